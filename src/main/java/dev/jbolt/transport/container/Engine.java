package dev.jbolt.transport.container;

import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.TransportException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** The container engine's command line, run as a child process (never through a shell). */
final class Engine {
  private Engine() {}

  /** What a short engine command left: its exit code, standard output and error. */
  record Result(int code, String out, String err) {}

  /** An engine process whose standard error is being collected as it comes. */
  record Proc(Process process, Thread drain, ByteArrayOutputStream err) {
    /** Waits for the end; gives the exit code and the standard error (stdout is the caller's). */
    Result finish() throws InterruptedException {
      int code = process.waitFor();
      drain.join();
      String said;
      synchronized (err) {
        said = err.toString(StandardCharsets.UTF_8);
      }
      return new Result(code, "", said);
    }
  }

  /** Starts {@code cmd} with {@code env} added; a missing engine is a connect error. */
  static Process start(List<String> cmd, Map<String, String> env) throws TransportException {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().putAll(env);
    try {
      return pb.start();
    } catch (IOException e) {
      throw new TransportException(
          ErrorKind.CONNECT_ERROR,
          "CONNECT_ERROR",
          cmd.get(0) + " is not installed here: cannot run it (" + e.getMessage() + ")",
          e);
    }
  }

  /** As {@link #start}, collecting standard error. */
  static Proc spawn(List<String> cmd, Map<String, String> env) throws TransportException {
    Process p = start(cmd, env);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread drain =
        Thread.ofVirtual()
            .start(
                () -> {
                  byte[] buf = new byte[8192];
                  try (InputStream in = p.getErrorStream()) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                      synchronized (err) {
                        if (err.size() < 64 * 1024) {
                          err.write(buf, 0, n);
                        }
                      }
                    }
                  } catch (IOException e) {
                    // the process was killed
                  }
                });
    return new Proc(p, drain, err);
  }

  /** Runs a short engine command (no input) to its end. */
  static Result run(List<String> cmd, Map<String, String> env) throws TransportException {
    Proc p = spawn(cmd, env);
    try {
      p.process().getOutputStream().close();
      String out = new String(p.process().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      Result r = p.finish();
      return new Result(r.code(), out, r.err());
    } catch (IOException e) {
      p.process().destroyForcibly();
      return new Result(-1, "", String.valueOf(e.getMessage()));
    } catch (InterruptedException e) {
      p.process().destroyForcibly();
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled", e);
    }
  }
}
