package dev.jbolt.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * The world a command runs in: its streams, working directory and environment. Injected, so that
 * tests run the real CLI in-process; {@code handleSignals} is false there (no Ctrl-C handler).
 */
public record Context(PrintStream out, PrintStream err, InputStream in, Path cwd, Map<String, String> env,
    boolean handleSignals) {

  public static Context system() {
    return new Context(System.out, System.err, System.in, Path.of("").toAbsolutePath(), System.getenv(), true);
  }
}
