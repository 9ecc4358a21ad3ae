package dev.jbolt.action;

import dev.jbolt.inventory.Target;
import dev.jbolt.result.ErrorInfo;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.result.Result;
import dev.jbolt.transport.Exec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The shared steps of turning what ran into a result: output, exit code, truncation, timing. */
final class Outputs {
  private Outputs() {}

  /**
   * Bolt's command result: stdout, stderr, merged_output, exit_code; a non-zero exit fails. A
   * stream that is not valid UTF-8 (binary output) is also given exactly, as {@code stdout_base64}
   * or {@code stderr_base64}: its text has U+FFFD where the bytes were.
   */
  static Result command(Target t, String action, String object, Exec.Output out, long startNanos) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("stdout", out.stdout());
    value.put("stderr", out.stderr());
    value.put("merged_output", out.merged());
    value.put("exit_code", out.exitCode() == null ? "unknown" : out.exitCode());
    if (!out.stdout().isUtf8()) {
      value.put("stdout_base64", out.stdout().base64());
    }
    if (!out.stderr().isUtf8()) {
      value.put("stderr_base64", out.stderr().base64());
    }
    truncation(value, out);
    ErrorInfo error = null;
    if (out.exitCode() == null) {
      error = ErrorKind.COMMAND_ERROR.error("The " + action + " ended without an exit code");
    } else if (out.exitCode() != 0) {
      error =
          ErrorKind.COMMAND_ERROR.error(
              "The " + action + " failed with exit code " + out.exitCode(),
              Map.of("exit_code", out.exitCode()));
    }
    return new Result(t.safeName(), action, object, value, error, millis(startNanos), 1);
  }

  /**
   * Marks output that was not all kept: {@code _truncated: {stdout: N, stderr: M}}, bytes dropped.
   */
  static void truncation(Map<String, Object> value, Exec.Output out) {
    if (out.droppedStdout() > 0 || out.droppedStderr() > 0) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("stdout", out.droppedStdout());
      t.put("stderr", out.droppedStderr());
      t.put("kept_per_stream", Exec.MAX_KEPT);
      value.put("_truncated", t);
    }
  }

  /** A transfer's result: its message, and what it skipped (never read: FIFOs, devices). */
  static Result transfer(
      Target t,
      String action,
      String object,
      String message,
      List<String> skipped,
      Map<String, Object> more,
      long startNanos) {
    Map<String, Object> value = new LinkedHashMap<>(more);
    String note =
        skipped.isEmpty()
            ? ""
            : "; skipped "
                + skipped.size()
                + " special file"
                + (skipped.size() == 1 ? "" : "s")
                + " (not copied): "
                + String.join(", ", skipped.subList(0, Math.min(5, skipped.size())))
                + (skipped.size() > 5 ? ", ..." : "");
    value.put("_output", message + note);
    if (!skipped.isEmpty()) {
      value.put("skipped", skipped);
    }
    return new Result(t.safeName(), action, object, value, null, millis(startNanos), 1);
  }

  static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
