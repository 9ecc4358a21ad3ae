package dev.jbolt.transport.ssh;

import dev.jbolt.Log;
import dev.jbolt.RunScope;
import java.util.Map;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * What a session's connection context carries for the listeners, the verifier and the reporters
 * MINA calls back on its own threads: the target's settings, known_hosts, algorithms, where the
 * host key's verdict goes, the address, and the transport of the run that opened it ({@link
 * #OWNER}: its host keys, identities, agent and log).
 */
final class ConnectionContext {
  private ConnectionContext() {}

  /** The transport whose run opened a session. */
  static final AttributeRepository.AttributeKey<SshTransport> OWNER =
      new AttributeRepository.AttributeKey<>();

  private static final RunScope SILENT = RunScope.fresh();

  static AttributeRepository of(
      SshTransport owner, HostConfigEntry entry, SshSettings s, HostKeys.Verdict verdict) {
    return AttributeRepository.ofAttributesMap(
        Map.of(
            HostKeys.SETTINGS,
            s,
            HostKeys.KNOWN,
            KnownHosts.of(s, entry),
            Algorithms.KEY,
            s.algorithms().withConfig(s.loadConfig() ? entry : null),
            HostKeys.VERDICT,
            verdict,
            HostKeys.TARGET,
            new SshdSocketAddress(entry.getHostName(), entry.getPort()),
            OWNER,
            owner));
  }

  /** The transport of the run that opened {@code session}. */
  static SshTransport owner(SessionContext session) {
    SshTransport t = ownerOrNull(session);
    if (t == null) {
      throw new IllegalStateException("a session without its transport");
    }
    return t;
  }

  /** The log of the run that opened {@code session}; a silent one for a session of no run. */
  static Log log(SessionContext session) {
    SshTransport t = ownerOrNull(session);
    return t == null ? SILENT.log() : t.log();
  }

  private static SshTransport ownerOrNull(SessionContext session) {
    AttributeRepository ctx =
        session instanceof ClientSession cs ? cs.getConnectionContext() : null;
    return ctx == null ? null : ctx.getAttribute(OWNER);
  }
}
