package dev.jbolt.service;

import dev.jbolt.Cancelled;
import dev.jbolt.JboltException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * MilkCheck's substitutions in targets, commands and variables: {@code %NAME} and {@code %{NAME}}
 * (a variable of the entity or of a level above it, else one of its automatic ones: {@code NAME},
 * {@code SERVICE}, {@code ACTION}, {@code TARGET}, {@code FANOUT}, {@code TIMEOUT}, {@code DESC},
 * {@code TAGS}, and the run's {@code SELECTED_NODES}, {@code EXCLUDED_NODES} and {@code -D} ones),
 * {@code %(command)} (the output of a local shell command, trailing newlines dropped), and {@code
 * %%} for a {@code %}.
 */
final class Vars {
  private static final Pattern TOKEN =
      Pattern.compile(
          "%(?:(?<escaped>%)|(?<named>[_a-z][_a-z0-9]*)|\\{(?<braced>[_a-z][_a-z0-9]*)}"
              + "|\\((?<parenth>.+?)\\)|(?<invalid>))",
          Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final int MAX_DEPTH = 20;

  /** How long a {@code %(command)} may take, and how much it may print. */
  static final long SHELL_LIMIT_MILLIS = 60_000;

  static final int SHELL_MAX_OUTPUT = 1 << 20;

  private final Map<String, String> run;
  private final boolean runsCommands;
  private final Path cwd;
  private final Map<String, String> shellCache = new ConcurrentHashMap<>();

  /**
   * {@code run}: the run's own variables (-D, SELECTED_NODES, EXCLUDED_NODES), over all others;
   * {@code runsCommands} false (a dry run, the graph drawn): a {@code %(command)} is left as
   * written, and nothing runs; commands run in {@code cwd}, the run's working directory.
   */
  Vars(Map<String, String> run, boolean runsCommands, Path cwd) {
    this.run = run;
    this.runsCommands = runsCommands;
    this.cwd = cwd;
  }

  /** {@code text} with every substitution done, as seen from {@code scope}. */
  String resolve(String text, Entity scope, Map<String, String> automatic) {
    return resolve(text, scope, automatic, 0);
  }

  private String resolve(String text, Entity scope, Map<String, String> automatic, int depth) {
    if (text == null || text.indexOf('%') < 0) {
      return text;
    }
    if (depth > MAX_DEPTH) {
      throw new JboltException("variables refer to each other in a loop in '" + text + "'");
    }
    Matcher m = TOKEN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String rep;
      if (m.group("escaped") != null) {
        rep = "%";
      } else if (m.group("parenth") != null && !runsCommands) {
        rep = "%(" + resolve(m.group("parenth"), scope, automatic, depth + 1) + ")";
      } else if (m.group("parenth") != null) {
        rep =
            shellCache.computeIfAbsent(
                resolve(m.group("parenth"), scope, automatic, depth + 1),
                c -> shell(c, cwd, SHELL_LIMIT_MILLIS, SHELL_MAX_OUTPUT));
      } else if (m.group("invalid") != null) {
        throw new JboltException(
            "invalid '%' at position " + (m.start() + 1) + " of '" + text + "' (write %% for a %)");
      } else {
        String name = m.group("named") != null ? m.group("named") : m.group("braced");
        rep = resolve(lookup(name, scope, automatic), scope, automatic, depth + 1);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(rep));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * As MilkCheck looks a name up: the entity's variables, then its automatic ones (by upper-case
   * name), then the level above; the run's variables win over the configuration's top level.
   */
  private String lookup(String name, Entity scope, Map<String, String> automatic) {
    String upper = name.toUpperCase(Locale.ROOT);
    for (Entity e = scope; e != null; e = e.parent) {
      if (e.kind == Entity.Kind.ROOT && run.containsKey(name)) {
        return run.get(name);
      }
      if (e.variables.containsKey(name)) {
        return e.variables.get(name);
      }
      String auto = automatic(e, upper, automatic);
      if (auto != null) {
        return auto;
      }
    }
    if (run.containsKey(upper)) {
      return run.get(upper);
    }
    throw new JboltException("undefined variable '" + name + "' in " + scope);
  }

  private static String automatic(Entity e, String upper, Map<String, String> automatic) {
    if (e.kind == Entity.Kind.ROOT) {
      return null;
    }
    return switch (upper) {
      case "NAME" -> e.name;
      case "SERVICE" -> e.kind == Entity.Kind.ACTION ? null : e.name;
      case "ACTION" -> e.kind == Entity.Kind.ACTION ? e.name : null;
      case "TARGET" -> automatic.getOrDefault("TARGET", str(e.prop("target")));
      case "FANOUT" -> str(e.prop("fanout"));
      case "TIMEOUT" -> str(e.prop("timeout"));
      case "DESC" -> str(e.prop("desc"));
      case "TAGS" ->
          e.prop("tags") instanceof List<?> l
              ? String.join(",", l.stream().map(String::valueOf).toList())
              : "";
      default -> null;
    };
  }

  private static String str(Object o) {
    return o == null ? "" : String.valueOf(o);
  }

  /**
   * A local shell command's output, as {@code %( ... )} gives it (once per run and command). It
   * runs in a process group of its own, killed whole at the time limit or when it prints too much.
   */
  static String shell(String command, Path cwd, long limitMillis, int maxOutput) {
    boolean setsid = Files.isExecutable(Path.of("/usr/bin/setsid"));
    List<String> argv =
        setsid
            ? List.of("/usr/bin/setsid", "/bin/sh", "-c", command)
            : List.of("/bin/sh", "-c", command);
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
      if (cwd != null) {
        pb.directory(cwd.toFile());
      }
      p = pb.start();
    } catch (IOException e) {
      throw new JboltException("cannot evaluate %(" + command + "): " + e.getMessage());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicBoolean tooMuch = new AtomicBoolean();
    Thread reader =
        Thread.ofVirtual()
            .start(() -> read(p, out, maxOutput, tooMuch, () -> killGroup(p, setsid)));
    try {
      p.getOutputStream().close();
      boolean ended = p.waitFor(limitMillis, TimeUnit.MILLISECONDS);
      // What it started in the background may hold the pipe: it is ended with the group.
      if (!ended || !reader.join(Duration.ofSeconds(2))) {
        killGroup(p, setsid);
        reader.join(Duration.ofSeconds(2));
      }
      if (tooMuch.get()) {
        throw new JboltException(
            "%(" + command + ") printed more than " + (maxOutput >> 10) + " KiB: it was stopped");
      }
      if (!ended) {
        throw new JboltException(
            "%(" + command + ") did not finish in " + limitMillis / 1000 + " s: it was stopped");
      }
      if (p.exitValue() >= 126) {
        throw new JboltException("cannot evaluate %(" + command + "): exit " + p.exitValue());
      }
      return out.toString(StandardCharsets.UTF_8).replaceAll("\\n+$", "");
    } catch (IOException e) {
      throw new JboltException("cannot evaluate %(" + command + "): " + e.getMessage());
    } catch (InterruptedException e) {
      killGroup(p, setsid);
      Thread.currentThread().interrupt();
      throw new Cancelled("interrupted");
    }
  }

  /** Reads the command's output into {@code out}; past {@code max} bytes, stops it. */
  private static void read(
      Process p, ByteArrayOutputStream out, int max, AtomicBoolean tooMuch, Runnable stop) {
    byte[] buf = new byte[8192];
    try (var in = p.getInputStream()) {
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        if (out.size() + n > max) {
          tooMuch.set(true);
          stop.run();
          return;
        }
        out.write(buf, 0, n);
      }
    } catch (IOException e) {
      // killed
    }
  }

  /** The command's whole process group (it leads one under setsid), else what descends from it. */
  private static void killGroup(Process p, boolean setsid) {
    if (setsid) {
      try {
        new ProcessBuilder("kill", "-KILL", "--", "-" + p.pid())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(5, TimeUnit.SECONDS);
      } catch (IOException e) {
        // falls through to the descendants
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
