package dev.jbolt.cli;

import dev.jbolt.inventory.Target;
import dev.jbolt.output.PlanOutput;
import dev.jbolt.plan.Plan;
import dev.jbolt.plan.PlanRunner;
import dev.jbolt.service.MilkCheckConf;
import dev.jbolt.service.Services;
import dev.jbolt.session.Console;
import dev.jbolt.session.ProjectOptions;
import dev.jbolt.session.Session;
import dev.jbolt.task.Task;
import dev.jbolt.task.TaskMetadata;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * What the shell completion scripts ({@code jbolt completion bash|zsh}) ask for: {@code jbolt
 * __complete WORD... CURRENT} prints the words that may stand in CURRENT's place, one per line,
 * from picocli's model of the commands and, for targets, tasks, plans and their parameters, from
 * the project of the working directory (or {@code --project}). {@value #FILES} alone means "a file
 * name": the shell completes it. Nothing is printed on any error: completion never fails loudly.
 */
final class Complete {
  static final String FILES = "__files__";

  private Complete() {}

  static int run(Console ctx, CommandLine root, List<String> words) {
    try {
      for (String w : new Complete.Walk(root.getCommandSpec(), words).candidates(ctx)) {
        ctx.out().println(w);
      }
    } catch (RuntimeException e) {
      // an unreadable project or a bad option: no candidates
    }
    return Main.OK;
  }

  /** The words before the current one, read as picocli would, far enough to know what comes. */
  private static final class Walk {
    CommandSpec spec;
    OptionSpec valueOf; // the option the current word is the value of, if any
    final List<String> positionals = new ArrayList<>();
    Path project;
    Path inventory;
    String modulepath;
    Path configDir;
    final String current;

    Walk(CommandSpec root, List<String> words) {
      spec = root;
      // A word the shell still has an open quote on ('web,!web0: '!' must be quoted) is
      // completed without it; the shell keeps the quote.
      current = words.isEmpty() ? "" : words.get(words.size() - 1).replaceFirst("^['\"]", "");
      for (int i = 0; i < words.size() - 1; i++) {
        String w = words.get(i);
        if (positionals.isEmpty() && spec.subcommands().containsKey(w)) {
          spec = spec.subcommands().get(w).getCommandSpec();
        } else if (w.startsWith("-") && w.length() > 1) {
          OptionSpec o = spec.findOption(w.contains("=") ? w.substring(0, w.indexOf('=')) : w);
          if (o != null && o.arity().max() > 0 && !w.contains("=")) {
            if (i + 1 == words.size() - 1) {
              valueOf = o;
            } else {
              remember(o, words.get(++i));
            }
          } else if (o != null && w.contains("=")) {
            remember(o, w.substring(w.indexOf('=') + 1));
          }
        } else {
          positionals.add(w);
        }
      }
    }

    private void remember(OptionSpec o, String value) {
      switch (o.longestName()) {
        case "--project" -> project = Path.of(value);
        case "--inventoryfile" -> inventory = Path.of(value);
        case "--modulepath" -> modulepath = value;
        case "--config-dir" -> configDir = Path.of(value);
        default -> {}
      }
    }

    Collection<String> candidates(Console ctx) {
      if (valueOf != null) {
        return values(ctx, valueOf, "", current);
      }
      if (current.startsWith("--") && current.contains("=")) {
        OptionSpec o = spec.findOption(current.substring(0, current.indexOf('=')));
        return o == null
            ? List.of()
            : values(
                ctx,
                o,
                current.substring(0, current.indexOf('=') + 1),
                current.substring(current.indexOf('=') + 1));
      }
      if (current.startsWith("-")) {
        Set<String> names = new LinkedHashSet<>();
        for (OptionSpec o : spec.options()) {
          if (!o.hidden()) {
            names.addAll(List.of(o.names()));
          }
        }
        return matching(names, current);
      }
      if (positionals.isEmpty() && !spec.subcommands().isEmpty()) {
        Set<String> names = new LinkedHashSet<>();
        spec.subcommands()
            .forEach(
                (n, c) -> {
                  if (!c.getCommandSpec().usageMessage().hidden()) {
                    names.add(n);
                  }
                });
        return matching(names, current);
      }
      return positional(ctx);
    }

    /** A task's or plan's name, then its parameters as {@code name=}; else a file. */
    private Collection<String> positional(Console ctx) {
      String command = spec.qualifiedName(" ");
      boolean task = command.startsWith("jbolt task ");
      boolean plan = command.startsWith("jbolt plan ") && !command.endsWith(" convert");
      if (command.equals("jbolt help")) { // help's words are commands
        CommandSpec c = spec.root();
        for (String p : positionals) {
          CommandLine sub = c.subcommands().get(p);
          if (sub == null) {
            return List.of();
          }
          c = sub.getCommandSpec();
        }
        return matching(c.subcommands().keySet(), current);
      }
      if (command.equals("jbolt service") || command.equals("jbolt milkcheck")) {
        return matching(services(ctx, command.endsWith("milkcheck")), current);
      }
      if (!task && !plan) {
        return List.of(FILES);
      }
      try (Session s = quiet(ctx)) {
        if (positionals.isEmpty()) {
          Collection<String> names =
              task
                  ? Task.all(s.modules()).entrySet().stream()
                      .filter(e -> !e.getValue().metadata().isPrivate())
                      .map(Map.Entry::getKey)
                      .toList()
                  : Plan.all(s.project(), s.modules()).keySet();
          return matching(names, current);
        }
        if (!command.endsWith(" run") || current.contains("=")) {
          return List.of();
        }
        Map<String, TaskMetadata.Param> params;
        if (task) {
          params = Task.load(s.modules(), positionals.get(0)).metadata().parameters();
        } else {
          try (PlanRunner runner = new PlanRunner(s, new PlanOutput(nul(), nul(), false, false))) {
            params = runner.info(Plan.find(s.project(), s.modules(), positionals.get(0))).params();
          }
        }
        if (params == null) {
          return List.of();
        }
        Set<String> given = new LinkedHashSet<>();
        positionals.forEach(p -> given.add(p.contains("=") ? p.substring(0, p.indexOf('=')) : p));
        return matching(
            params.keySet().stream().filter(p -> !given.contains(p)).map(p -> p + "=").toList(),
            current);
      }
    }

    /**
     * The names of the services (a group's members as GROUP.NAME too) and of their actions, from
     * -c's directory, else the project's services/ (milkcheck: its configuration file's
     * config_dir).
     */
    private Collection<String> services(Console ctx, boolean milkcheck) {
      Path dir = configDir == null ? null : ctx.cwd().resolve(configDir);
      if (dir == null && milkcheck) {
        dir = MilkCheckConf.read(ctx.env()).configDir();
      }
      if (dir == null) {
        try (Session s = quiet(ctx)) {
          dir = (s.project().dir() == null ? ctx.cwd() : s.project().dir()).resolve("services");
        }
      }
      return Services.load(dir, dir.toString(), nul()).names();
    }

    /** The values an option takes: target and group names, an enum's constants, or a file. */
    private Collection<String> values(Console ctx, OptionSpec o, String prefix, String word) {
      List<String> out = new ArrayList<>();
      if (o.paramLabel().equals("SPEC") || o.paramLabel().equals("NODES")) {
        // -t, service's -n and -x: a comma list, of which only the last element is being
        // written; '!' before it leaves its targets out
        String head = word.substring(0, word.lastIndexOf(',') + 1);
        if (word.startsWith("!", head.length())) {
          head += "!";
        }
        try (Session s = quiet(ctx)) {
          Set<String> names = new LinkedHashSet<>(s.inventory().groupNames());
          s.inventory().targets().stream().map(Target::name).forEach(names::add);
          for (String n : matching(names, word.substring(head.length()))) {
            out.add(prefix + head + n);
          }
        }
        return out;
      }
      if (o.completionCandidates() != null) {
        o.completionCandidates().forEach(c -> out.add(prefix + c));
      } else if (o.type().isEnum()) {
        for (Object c : o.type().getEnumConstants()) {
          out.add(prefix + c.toString().toLowerCase(Locale.ROOT));
        }
      } else if (o.type() == Path.class || o.type() == File.class) {
        return List.of(FILES);
      } else {
        return List.of();
      }
      return matching(out, prefix + word);
    }

    /** The project, read with no terminal and no streams, and running no plugin. */
    private Session quiet(Console ctx) {
      Console none = new Console(nul(), nul(), InputStream.nullInputStream(), ctx.cwd(), ctx.env());
      return Session.openWithoutPlugins(none, new ProjectOptions(project, inventory, modulepath));
    }
  }

  private static List<String> matching(Collection<String> words, String prefix) {
    return words.stream().filter(w -> w.startsWith(prefix)).toList();
  }

  private static PrintStream nul() {
    return new PrintStream(OutputStream.nullOutputStream());
  }
}
