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
 * retries and timings; never a secret: every line goes through the run's {@link Secrets#redact},
 * and no caller passes a password, a key or a command's text. One per run ({@link RunScope}),
 * reached from its console and session.
 */
public final class Log {
  public enum Level {
    ERROR,
    WARN,
    INFO,
    DEBUG,
    TRACE
  }

  private final Secrets secrets;
  private volatile Level consoleLevel = Level.WARN;
  private volatile PrintStream console;
  private volatile Path filePath; // opened on the first line: a run refused as bad input
  private volatile String fileHeader; // leaves no file behind
  private PrintStream file; // guarded by this

  /** The log of the run whose secrets are {@code secrets}: silent until {@link #start}. */
  public Log(Secrets secrets) {
    this.secrets = secrets;
  }

  /** The console's level for the next run (from --log-level, --verbose). */
  public void consoleLevel(Level level) {
    consoleLevel = level;
  }

  /**
   * Starts the run's log: {@code err} at the console level, {@code debugLog} (null: none) at debug
   * level, replaced when the run first has something to say, after {@code header}. The returned
   * handle ends it.
   */
  public AutoCloseable start(PrintStream err, Path debugLog, String header) {
    console = err;
    fileHeader = header;
    filePath = debugLog;
    return () -> {
      console = null;
      filePath = null;
      consoleLevel = Level.WARN;
      synchronized (this) {
        if (file != null) {
          file.close();
          file = null;
        }
      }
    };
  }

  /** Whether a message at {@code level} goes anywhere (to skip building it when not). */
  public boolean enabled(Level level) {
    return (filePath != null && level.compareTo(Level.DEBUG) <= 0)
        || (console != null && level.compareTo(consoleLevel) <= 0);
  }

  private synchronized void toFile(String line) {
    Path p = filePath;
    if (file == null && p != null) {
      try {
        Files.createDirectories(p.getParent());
        OutputStream o = Files.newOutputStream(p);
        file = new PrintStream(o, true, StandardCharsets.UTF_8);
        file.println(Instant.now() + " DEBUG " + fileHeader);
      } catch (IOException e) {
        filePath = null; // a read-only project still runs; the console says what it can
        return;
      }
    }
    if (file != null) {
      file.println(line);
    }
  }

  public void info(String message) {
    log(Level.INFO, message);
  }

  public void debug(String message) {
    log(Level.DEBUG, message);
  }

  public void warn(String message) {
    log(Level.WARN, message);
  }

  private void log(Level level, String message) {
    if (!enabled(level)) {
      return;
    }
    String text = secrets.redact(message);
    if (filePath != null && level.compareTo(Level.DEBUG) <= 0) {
      toFile(Instant.now() + " " + level + " [" + Thread.currentThread().getName() + "] " + text);
    }
    PrintStream c = console;
    if (c != null && level.compareTo(consoleLevel) <= 0) {
      c.println("jbolt: " + level.name().toLowerCase(Locale.ROOT) + ": " + text);
    }
  }
}
