package dev.jbolt.transport;

import java.nio.file.Path;
import java.util.List;

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
   * As {@link #start}, for a command that reads no input (its stdin is empty from the start): a
   * connection may run it on a shell it keeps open, which is cheaper than a new channel, with the
   * same semantics.
   */
  default RemoteProcess startNoInput(String command, OutputListener listener)
      throws TransportException {
    return start(command, listener);
  }

  /**
   * Runs a short command of jbolt's own (mktemp, chmod, rm: never a user's, no input) to its end. A
   * connection may run these in a shell it keeps open, which is cheaper than a new channel.
   */
  default Exec.Output runOwn(String command, long timeoutMillis) throws TransportException {
    return Exec.run(this, command, null, timeoutMillis, null);
  }

  /**
   * Copies a local file or directory (recursively, modes kept) to {@code destination}; when the
   * destination is an existing directory, the source goes inside it, as {@code cp -r} does. A link
   * given as the source is followed; links inside a tree are copied as links; special files (FIFOs,
   * devices, sockets) are skipped, never read. At most {@code timeoutMillis} (0: no limit).
   *
   * @return what was skipped, one line each
   */
  List<String> upload(Path source, String destination, long timeoutMillis)
      throws TransportException;

  /** As {@link #upload(Path, String, long)}, without a time limit. */
  default List<String> upload(Path source, String destination) throws TransportException {
    return upload(source, destination, 0);
  }

  /**
   * Copies a remote file or directory to exactly {@code destination} (which must not exist, in a
   * directory that does), with the rules of {@link #upload(Path, String, long)}.
   *
   * @return what was skipped, one line each
   */
  List<String> download(String source, Path destination, long timeoutMillis)
      throws TransportException;

  /** As {@link #download(String, Path, long)}, without a time limit. */
  default List<String> download(String source, Path destination) throws TransportException {
    return download(source, destination, 0);
  }

  /** The user the connection logs in as, or null when unknown. */
  String loginUser();

  /**
   * True when the connection dropped under its last use. Clean-up skips such a target: reaching it
   * again would mean a new connection to a host that just failed (and, blackholed, a long wait).
   */
  default boolean lost() {
    return false;
  }

  /** Where the output of its commands is kept: the run's budget of memory, then spill files. */
  default OutputBudget outputBudget() {
    return OutputBudget.UNLIMITED;
  }

  /** How many tries opening the connection took (retries of refused or reset connections). */
  default int attempts() {
    return 1;
  }
}
