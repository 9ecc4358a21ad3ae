package dev.jbolt.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The world a command runs in: its streams, working directory and environment. Injected, so that
 * tests run the real CLI in-process; {@code handleSignals} is false there (no Ctrl-C handler).
 */
public record Context(PrintStream out, PrintStream err, InputStream in, Path cwd, Map<String, String> env,
    boolean handleSignals, boolean stdoutTerminal, boolean stderrTerminal) {

  public Context(PrintStream out, PrintStream err, InputStream in, Path cwd, Map<String, String> env,
      boolean handleSignals) {
    this(out, err, in, cwd, env, handleSignals, false, false);
  }

  public static Context system() {
    return new Context(System.out, System.err, System.in, Path.of("").toAbsolutePath(), System.getenv(), true,
        isTerminal(1), isTerminal(2));
  }

  /** Whether file descriptor {@code fd} of this process is a terminal (Linux: /proc/self/fd). */
  static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
