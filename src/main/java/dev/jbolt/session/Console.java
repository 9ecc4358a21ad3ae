package dev.jbolt.session;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The world a command runs in: its streams, working directory and environment. Injected, so that
 * tests run the real CLI in-process; {@code handleSignals} is false there (no Ctrl-C handler).
 */
public record Console(
    PrintStream out,
    PrintStream err,
    InputStream in,
    Path cwd,
    Map<String, String> env,
    boolean handleSignals,
    boolean stdoutTerminal,
    boolean stderrTerminal) {

  public Console(
      PrintStream out,
      PrintStream err,
      InputStream in,
      Path cwd,
      Map<String, String> env,
      boolean handleSignals) {
    this(out, err, in, cwd, env, handleSignals, false, false);
  }

  public static Console system() {
    return new Console(
        System.out,
        System.err,
        System.in,
        Path.of("").toAbsolutePath(),
        System.getenv(),
        true,
        isTerminal(1),
        isTerminal(2));
  }

  /**
   * Inventory plugins with this context's environment; prompts read a line from the console (not
   * echoed) or, without one, from stdin.
   */
  public dev.jbolt.inventory.Plugins plugins(
      java.nio.file.Path dir, java.util.Map<String, Object> settings) {
    return new dev.jbolt.inventory.Plugins(
        env, message -> ask(message, true), dir == null ? cwd : dir, settings);
  }

  /**
   * Asks {@code message} and reads a line: on the terminal (not echoed when {@code secret}), or,
   * without one, from stdin.
   */
  public String ask(String message, boolean secret) {
    java.io.Console console = handleSignals() ? System.console() : null;
    if (console != null) {
      if (secret) {
        char[] answer = console.readPassword("%s: ", message);
        return answer == null ? "" : new String(answer);
      }
      String answer = console.readLine("%s: ", message);
      return answer == null ? "" : answer;
    }
    err.print(message + ": ");
    err.flush();
    try {
      java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
      for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
        line.write(c);
      }
      return line.toString(java.nio.charset.StandardCharsets.UTF_8).replaceFirst("\r$", "");
    } catch (IOException e) {
      throw new dev.jbolt.JboltException(
          "cannot read an answer for '" + message + "': " + e.getMessage());
    }
  }

  /** Whether file descriptor {@code fd} of this process is a terminal (Linux: /proc/self/fd). */
  public static boolean isTerminal(int fd) {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }
}
