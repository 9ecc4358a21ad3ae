package dev.jbolt;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;

/**
 * What a run did, for whoever needs to know why: the console at the level {@code --log-level} (or
 * {@code --verbose}) asks for, and, in a project, {@code .jbolt/debug.log}, the last run at debug
 * level, as Bolt keeps {@code bolt-debug.log}. Connections, authentication, host keys, channels,
 * retries and timings; never a secret: every line goes through {@link Secret#redact}, and no caller
 * passes a password, a key or a command's text. One run at a time per process (the warm process
 * runs one at a time).
 */
public final class Log {
  public enum Level {
    ERROR,
    WARN,
    INFO,
    DEBUG,
    TRACE
  }

  private static volatile Level consoleLevel = Level.WARN;
  private static volatile PrintStream console;
  private static volatile PrintStream file;

  private Log() {}

  /** The console's level for the next run (from --log-level, --verbose). */
  public static void consoleLevel(Level level) {
    consoleLevel = level;
  }

  /**
   * Starts the run's log: {@code err} at the console level, {@code debugLog} (null: none) at debug
   * level, replaced. The returned handle ends it.
   */
  public static AutoCloseable start(PrintStream err, Path debugLog) {
    console = err;
    PrintStream f = null;
    if (debugLog != null) {
      try {
        Files.createDirectories(debugLog.getParent());
        OutputStream o = Files.newOutputStream(debugLog);
        f = new PrintStream(o, true, StandardCharsets.UTF_8);
      } catch (IOException e) {
        f = null; // a read-only project still runs; the console says what it can
      }
    }
    file = f;
    PrintStream opened = f;
    return () -> {
      console = null;
      file = null;
      consoleLevel = Level.WARN;
      if (opened != null) {
        opened.close();
      }
    };
  }

  /** Whether a message at {@code level} goes anywhere (to skip building it when not). */
  public static boolean enabled(Level level) {
    return (file != null && level.compareTo(Level.DEBUG) <= 0)
        || (console != null && level.compareTo(consoleLevel) <= 0);
  }

  public static void info(String message) {
    log(Level.INFO, message);
  }

  public static void debug(String message) {
    log(Level.DEBUG, message);
  }

  public static void warn(String message) {
    log(Level.WARN, message);
  }

  private static void log(Level level, String message) {
    if (!enabled(level)) {
      return;
    }
    String text = Secret.redact(message);
    PrintStream f = file;
    if (f != null && level.compareTo(Level.DEBUG) <= 0) {
      f.println(
          Instant.now() + " " + level + " [" + Thread.currentThread().getName() + "] " + text);
    }
    PrintStream c = console;
    if (c != null && level.compareTo(consoleLevel) <= 0) {
      c.println("jbolt: " + level.name().toLowerCase(Locale.ROOT) + ": " + text);
    }
  }
}
