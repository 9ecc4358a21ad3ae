package dev.jbolt.transport;

import java.io.OutputStream;

/** A command started on a target. */
public interface RemoteProcess {
  /** The command's standard input; close it to send end-of-file. */
  OutputStream stdin();

  /**
   * Waits up to {@code millis} for the command to end and its output to be delivered.
   *
   * @return true when it ended, false on timeout
   */
  boolean waitFor(long millis) throws InterruptedException;

  /** The exit code, or null when the command ended without one (killed by a signal, lost). */
  Integer exitCode();

  /** True when the command's end was never seen because the connection dropped. */
  default boolean connectionLost() {
    return false;
  }

  /** True when the connection was lost because it went silent: keepalives got no answer. */
  default boolean connectionSilent() {
    return false;
  }

  /**
   * True when the command ended without its shell ever running it: the login shell is not a POSIX
   * shell (/bin/false, nologin). Known once the command has ended.
   */
  default boolean shellFailed() {
    return false;
  }

  /** Stops the command and frees its resources; safe to call more than once. */
  void kill();
}
