package dev.jbolt.session;

import dev.jbolt.JboltException;
import dev.jbolt.RunScope;
import dev.jbolt.exec.Cancellation;
import dev.jbolt.inventory.Plugins;
import dev.jbolt.transports.KeptConnections;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The world a command runs in: its streams, working directory, environment and the user's terminal
 * (prompts, Ctrl-C). Injected, so that tests run the real CLI in-process ({@code terminal} null: no
 * Ctrl-C handler, prompts on the streams) and the warm process runs it for its clients, with the
 * connections it keeps between runs ({@code kept}; null in any other process). A console is one
 * run's: its {@code scope} holds the run's secrets and log.
 */
public record Console(
    PrintStream out,
    PrintStream err,
    InputStream in,
    Path cwd,
    Map<String, String> env,
    Terminal terminal,
    boolean stdoutTerminal,
    boolean stderrTerminal,
    KeptConnections kept,
    RunScope scope) {

  public Console(
      PrintStream out, PrintStream err, InputStream in, Path cwd, Map<String, String> env) {
    this(out, err, in, cwd, env, null, false, false, null, RunScope.fresh());
  }

  /** What the user's terminal does for a run: asks questions and sends Ctrl-C. */
  public interface Terminal {
    /** Asks {@code message} (not echoed when {@code secret}); null when there is no terminal. */
    String ask(String message, boolean secret);

    /**
     * Cancels {@code cancellation} on Ctrl-C (a second one ends the run at once) until the returned
     * handle is closed.
     */
    AutoCloseable onInterrupt(Cancellation cancellation);

    /** The exit code of a run this terminal cancelled: 128 + its signal (130 for Ctrl-C). */
    default int cancelledExit() {
      return 130;
    }
  }

  /** This process's terminal: the console for questions, SIGINT for Ctrl-C. */
  public static final Terminal SYSTEM =
      new Terminal() {
        @Override
        public String ask(String message, boolean secret) {
          java.io.Console console = System.console();
          if (console == null) {
            return null;
          }
          if (secret) {
            char[] answer = console.readPassword("%s: ", message);
            return answer == null ? "" : new String(answer);
          }
          String answer = console.readLine("%s: ", message);
          return answer == null ? "" : answer;
        }

        @Override
        public AutoCloseable onInterrupt(Cancellation cancellation) {
          Object previous = Interrupts.install(cancellation);
          return () -> Interrupts.restore(previous);
        }

        @Override
        public int cancelledExit() {
          return Interrupts.exitCode();
        }
      };

  public static Console system() {
    return new Console(
        System.out,
        System.err,
        System.in,
        Path.of("").toAbsolutePath(),
        System.getenv(),
        SYSTEM,
        isTerminal(1),
        isTerminal(2),
        null,
        RunScope.fresh());
  }

  /**
   * Inventory plugins with this context's environment; prompts read a line from the console (not
   * echoed) or, without one, from stdin.
   */
  public Plugins plugins(Path dir, Map<String, Object> settings) {
    return new Plugins(
        env, message -> ask(message, true), dir == null ? cwd : dir, settings, scope.secrets());
  }

  /**
   * Asks {@code message} and reads a line: on the terminal (not echoed when {@code secret}), or,
   * without one, from stdin.
   */
  public String ask(String message, boolean secret) {
    String answer = terminal == null ? null : terminal.ask(message, secret);
    if (answer != null) {
      return answer;
    }
    err.print(message + ": ");
    err.flush();
    try {
      ByteArrayOutputStream line = new ByteArrayOutputStream();
      for (int c = in.read(); c >= 0 && c != '\n'; c = in.read()) {
        line.write(c);
      }
      return line.toString(StandardCharsets.UTF_8).replaceFirst("\r$", "");
    } catch (IOException e) {
      throw new JboltException("cannot read an answer for '" + message + "': " + e.getMessage());
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
