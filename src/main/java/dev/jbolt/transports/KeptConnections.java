package dev.jbolt.transports;

import dev.jbolt.transport.ssh.WarmSessions;
import java.util.List;

/**
 * The connections the warm process keeps between its runs, as OpenSSH's ControlPersist keeps a
 * master connection: made once by that process and given to each run it serves ({@code
 * Console.kept}); a run of any other process has none. Closing it closes them all.
 */
public final class KeptConnections implements AutoCloseable {
  final WarmSessions ssh = new WarmSessions();

  /** The user@host:port of each connection kept now, for {@code persist status}. */
  public List<String> hosts() {
    return ssh.hosts();
  }

  @Override
  public void close() {
    ssh.closeAll();
  }
}
