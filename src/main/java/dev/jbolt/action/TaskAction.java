package dev.jbolt.action;

import dev.jbolt.exec.TargetAction;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.ErrorInfo;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.result.Json;
import dev.jbolt.result.Result;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.Posix;
import dev.jbolt.transport.TransportException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a task on one target, as Bolt does: its staged files go into a fresh temp dir, it runs with
 * its parameters as {@code PT_*} environment variables (from a private file in that upload, never
 * on a command line) and/or one JSON object on stdin, and what it prints becomes its result. Which
 * files, and how laid out, is the task package's business ({@link Staging}).
 */
public final class TaskAction implements TargetAction {
  /**
   * The private file of {@code PT_name='value'; export PT_name} lines in a staged implementation.
   */
  public static final String ENV_FILE = ".jbolt-task-env";

  public static final String SENSITIVE_MASK = "Sensitive [value redacted]";

  /**
   * One implementation of a task laid out for upload: the directory, the executable's path in it,
   * whether it has {@code _installdir} (it ships files), and how it takes its parameters.
   */
  public record Staged(Path dir, String executable, boolean installdir, String inputMethod) {}

  /** The staged implementation for a target; a target no implementation fits is an error. */
  public interface Staging {
    Staged staged(Target t) throws TransportException;
  }

  private final String name;
  private final Map<String, Object> params;
  private final boolean noop;
  private final Map<String, String> env;
  private final Staging staging;
  private final long timeoutMillis;
  private final Streams streams;

  /** {@code env}: more environment variables (--env-var), set before the task's own. */
  public TaskAction(
      String name,
      Map<String, Object> params,
      boolean noop,
      Map<String, String> env,
      Staging staging,
      long timeoutMillis,
      Streams streams) {
    this.name = name;
    this.params = params;
    this.noop = noop;
    this.env = env;
    this.staging = staging;
    this.timeoutMillis = timeoutMillis;
    this.streams = streams;
  }

  /**
   * What the task is given: its parameters, then Bolt's metadata keys: {@code _task}, {@code
   * _installdir} (when it ships files; null otherwise), {@code _noop}.
   */
  public static Map<String, Object> input(
      String task, Map<String, Object> params, boolean noop, String installdir) {
    Map<String, Object> m = new LinkedHashMap<>(params);
    m.put("_task", task);
    if (installdir != null) {
      m.put("_installdir", installdir);
    }
    if (noop) {
      m.put("_noop", true);
    }
    return m;
  }

  @Override
  public Result run(Target t, Connection c) throws TransportException {
    long start = System.nanoTime();
    Staged s = staging.staged(t);
    RunSettings rs = RunSettings.of(t);
    Shell sh = new Shell(c, rs);
    String dir = sh.mktemp();
    try {
      String root = dir + "/" + s.dir().getFileName();
      c.upload(s.dir(), root, timeoutMillis);
      sh.handOver(dir);
      StringBuilder cmd = new StringBuilder();
      if (s.installdir()) {
        cmd.append("PT__installdir=").append(Posix.quote(root)).append("; export PT__installdir; ");
      }
      if (!s.inputMethod().equals("stdin")) {
        cmd.append(". ").append(Posix.quote(root + "/" + ENV_FILE)).append(" && ");
      }
      cmd.append(interpreter(t, s.executable())).append(Posix.quote(root + "/" + s.executable()));
      byte[] stdin =
          s.inputMethod().equals("environment")
              ? null
              : Json.write(input(name, params, noop, s.installdir() ? root : null))
                  .getBytes(StandardCharsets.UTF_8);
      Exec.Output out = sh.run(cmd.toString(), env, stdin, timeoutMillis, Streams.tee(streams, t));
      return result(t, out, Outputs.millis(start));
    } finally {
      sh.removeQuietly(dir);
    }
  }

  /** {@code interpreters} from the target's config, by the file's extension, as in Bolt. */
  @SuppressWarnings("unchecked")
  private static String interpreter(Target t, String executable) {
    if (!(t.transportConfig().get("interpreters") instanceof Map<?, ?> m)) {
      return "";
    }
    String file = executable.substring(executable.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    if (dot < 0) {
      return "";
    }
    String ext = file.substring(dot + 1);
    Object v = ((Map<String, Object>) m).get("." + ext);
    if (v == null) {
      v = ((Map<String, Object>) m).get(ext);
    }
    if (v == null) {
      return "";
    }
    List<String> words =
        v instanceof List<?> l
            ? l.stream().map(String::valueOf).toList()
            : List.of(String.valueOf(v));
    return Posix.join(words) + " ";
  }

  /** Bolt's rules: one JSON object on stdout is the value; _error or a non-zero exit fails. */
  @SuppressWarnings("unchecked")
  Result result(Target t, Exec.Output out, long elapsed) {
    if (!out.stdout().isUtf8()) {
      return Result.failure(
          t.safeName(),
          "task",
          name,
          ErrorKind.TASK_ERROR.error("The task result contained invalid UTF-8 on stdout"),
          elapsed);
    }
    String stdout = out.stdoutText();
    Map<String, Object> value = new LinkedHashMap<>();
    Object parsed = null;
    try {
      parsed = stdout.isBlank() ? null : Json.mapper().readValue(stdout, Object.class);
    } catch (IOException e) {
      // not JSON: the output as text
    }
    if (parsed instanceof Map<?, ?> m) {
      value.putAll((Map<String, Object>) m);
    } else {
      value.put("_output", stdout);
    }
    ErrorInfo error = null;
    Object err = value.remove("_error");
    if (err != null) {
      if (err instanceof Map<?, ?> em && em.get("msg") instanceof String msg) {
        Map<String, Object> details =
            em.get("details") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
        error =
            new ErrorInfo(
                em.get("kind") instanceof String k ? k : "bolt/error",
                msg,
                details,
                em.get("issue_code") instanceof String ic ? ic : null);
      } else {
        error =
            ErrorKind.INVALID_TASK_ERROR.error(
                "Invalid error returned from task " + name + ": " + Json.write(err),
                Map.of("original_error", err));
      }
    } else if (out.exitCode() == null || out.exitCode() != 0) {
      error = failure(out, stdout);
    }
    if (value.containsKey("_sensitive")) {
      value.put("_sensitive", SENSITIVE_MASK);
    }
    Outputs.truncation(value, out);
    return new Result(t.safeName(), "task", name, value, error, elapsed, 1);
  }

  private static ErrorInfo failure(Exec.Output out, String stdout) {
    Object code = out.exitCode() == null ? "unknown" : out.exitCode();
    String stderr = out.stderrText();
    String msg = "The task failed with exit code " + code;
    if (stdout.isEmpty() && stderr.isEmpty()) {
      msg += " and no output";
    } else if (stdout.isEmpty()) {
      msg += " and no stdout, but stderr contained:\n" + stderr;
    }
    if (stderr.contains("Argument list too long")) {
      msg +=
          " (it could not start: its environment is over the system's size limit; give the parameters on"
              + " stdin: input_method stdin or both)";
    } else if (Integer.valueOf(126).equals(out.exitCode())) {
      msg += " (the temp dir may be mounted noexec: set tmpdir)";
    }
    return ErrorKind.TASK_ERROR.error(msg, Map.of("exit_code", code));
  }
}
