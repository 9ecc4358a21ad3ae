package dev.jbolt.plan;

import dev.jbolt.JboltException;
import dev.jbolt.output.PlanOutput;
import dev.jbolt.session.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Bolt's plan functions that work on this machine, not on targets: {@code file::read}, {@code
 * file::exists}, {@code dir::children} (paths absolute, relative to the project, or MODULE/PATH in
 * a module's files/, as for uploads), {@code system::env}, and {@code prompt} / {@code
 * prompt::menu}.
 */
final class LocalFunctions {
  private LocalFunctions() {}

  /** {@code file.read(path)}: the file's text. */
  static final class FileRead implements PlanFunction {
    private final PlanApi api;

    FileRead(PlanApi api) {
      this.api = api;
    }

    @Override
    public String name() {
      return "file_read";
    }

    @Override
    public Object call(Args a) {
      Path p = api.files().local(a.string("path"));
      try {
        return Files.readString(p, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new JboltException("file::read: cannot read " + p + ": " + e.getMessage());
      }
    }
  }

  /** {@code file.exists(path)}: whether the file or directory is there. */
  static final class FileExists implements PlanFunction {
    private final PlanApi api;

    FileExists(PlanApi api) {
      this.api = api;
    }

    @Override
    public String name() {
      return "file_exists";
    }

    @Override
    public Object call(Args a) {
      try {
        return Files.exists(api.files().local(a.string("path")));
      } catch (JboltException e) {
        return false; // not found anywhere it may be
      }
    }
  }

  /** {@code dir.children(path)}: the names in a directory, sorted, {@code .} and {@code ..} too. */
  static final class DirChildren implements PlanFunction {
    private final PlanApi api;

    DirChildren(PlanApi api) {
      this.api = api;
    }

    @Override
    public String name() {
      return "dir_children";
    }

    @Override
    public Object call(Args a) {
      Path p = api.files().local(a.string("path"));
      try (Stream<Path> s = Files.list(p)) {
        List<String> names = new ArrayList<>(List.of(".", ".."));
        s.map(f -> f.getFileName().toString()).sorted().forEach(names::add);
        return names;
      } catch (IOException e) {
        throw new JboltException("dir::children: cannot list " + p + ": " + e.getMessage());
      }
    }
  }

  /** {@code system.env(name)}: the variable in jbolt's own environment, or null. */
  static final class SystemEnv implements PlanFunction {
    private final Console console;

    SystemEnv(Console console) {
      this.console = console;
    }

    @Override
    public String name() {
      return "system_env";
    }

    @Override
    public Object call(Args a) {
      return console.env().get(a.string("name"));
    }
  }

  /**
   * {@code prompt(text, {default, sensitive})} and {@code prompt.menu(text, options, {default})}: a
   * line read from the terminal (or stdin); a menu's answer is one of its options, by number or by
   * key.
   */
  static final class Prompt implements PlanFunction {
    private final Console console;
    private final PlanOutput output;

    Prompt(Console console, PlanOutput output) {
      this.console = console;
      this.output = output;
    }

    @Override
    public String name() {
      return "prompt";
    }

    @Override
    public Object call(Args a) {
      Args opts = a.opts();
      Object dflt = opts.get("default");
      String text = a.string("text");
      Object menu = a.get("menu");
      if (menu == null) {
        String answer =
            console.ask(
                dflt == null ? text : text + " [" + dflt + "]",
                Boolean.TRUE.equals(opts.get("sensitive")));
        if (answer.isEmpty() && dflt != null) {
          return String.valueOf(dflt);
        }
        if (answer.isEmpty()) {
          throw new JboltException("prompt: no answer for '" + text + "'");
        }
        return answer;
      }
      Map<String, Object> choices = new LinkedHashMap<>();
      if (menu instanceof List<?> l) {
        for (int i = 0; i < l.size(); i++) {
          choices.put(String.valueOf(i + 1), l.get(i));
        }
      } else if (menu instanceof Map<?, ?> m) {
        m.forEach((k, v) -> choices.put(String.valueOf(k), v));
      } else {
        throw new JboltException("prompt::menu: the options must be a list or a hash");
      }
      StringBuilder shown = new StringBuilder();
      choices.forEach((k, v) -> shown.append("(").append(k).append(") ").append(v).append("\n"));
      output.message("message", shown.toString().stripTrailing());
      String answer = console.ask(text, false).strip();
      if (answer.isEmpty() && dflt != null) {
        return dflt;
      }
      if (!choices.containsKey(answer)) {
        throw new JboltException(
            "prompt::menu: '" + answer + "' is not one of " + String.join(", ", choices.keySet()));
      }
      return choices.get(answer);
    }
  }
}
