package dev.jbolt.transport;

import java.nio.file.Path;

/**
 * The way to one target. A connection is opened on first use and shared by every action on its
 * target for the whole run; its methods may be called from many threads at once.
 */
public interface Connection {
  /** Opens the connection now if it is not open (for {@code wait_until_available}, checks). */
  void connect() throws TransportException;

  /** Starts {@code command} under the target's POSIX shell. */
  RemoteProcess start(String command, OutputListener listener) throws TransportException;

  /**
   * Runs a short command of jbolt's own (mktemp, chmod, rm: never a user's, no input) to its end.
   * A connection may run these in a shell it keeps open, which is cheaper than a new channel.
   */
  default Exec.Output runOwn(String command, long timeoutMillis) throws TransportException {
    return Exec.run(this, command, null, timeoutMillis, null);
  }

  /**
   * Copies a local file or directory (recursively, modes kept) to {@code destination}; when the
   * destination is an existing directory, the source goes inside it, as {@code cp -r} does.
   */
  void upload(Path source, String destination) throws TransportException;

  /** Copies a remote file or directory to exactly {@code destination} (which must not exist). */
  void download(String source, Path destination) throws TransportException;

  /** The user the connection logs in as, or null when unknown. */
  String loginUser();

  /**
   * True when the connection dropped under its last use. Clean-up skips such a target: reaching it
   * again would mean a new connection to a host that just failed (and, blackholed, a long wait).
   */
  default boolean lost() {
    return false;
  }

  /** How many tries opening the connection took (retries of refused or reset connections). */
  default int attempts() {
    return 1;
  }
}
