package dev.jbolt.transports;

import dev.jbolt.JboltException;
import dev.jbolt.RunScope;
import dev.jbolt.inventory.Target;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.OutputBudget;
import dev.jbolt.transport.container.ContainerTransport;
import dev.jbolt.transport.local.LocalTransport;
import dev.jbolt.transport.ssh.SshSettings;
import dev.jbolt.transport.ssh.SshTransport;
import dev.jbolt.transport.ssh.TrainingServer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transports of one run, by name, and the run's budget of memory for output (its spill files
 * are removed on close). SSH is made on first use, so that a local-only run never loads MINA. The
 * only package that knows the transports' implementations: the layers above see {@link Connection}
 * and the neutral {@link Options}.
 */
public final class Transports implements AutoCloseable {
  /**
   * How a run reaches its targets, whatever the transport: how many connections open at once, how
   * often a failed connect is retried, whether connections are shared between the run's actions,
   * the SSH agent's socket (null for none), the warm process's kept connections (null in any other
   * process), and the run's secrets and log.
   */
  public record Options(
      int connectConcurrency,
      int connectRetries,
      boolean reuse,
      String agentSocket,
      KeptConnections kept,
      RunScope scope) {}

  private final SshTransport.Options sshOptions;
  private final OutputBudget budget;
  private final LocalTransport local;
  private volatile SshTransport ssh;
  private final Map<String, ContainerTransport> containers = new ConcurrentHashMap<>();

  /** Local commands start in {@code cwd} (the run's working directory; null: this process's). */
  public Transports(Options options, OutputBudget budget, Path cwd) {
    this.sshOptions =
        new SshTransport.Options(
            options.connectConcurrency(),
            options.connectRetries(),
            options.reuse(),
            options.agentSocket(),
            options.kept() == null ? null : options.kept().ssh,
            options.scope());
    this.budget = budget;
    this.local = new LocalTransport(budget, cwd);
  }

  private synchronized SshTransport ssh() {
    if (ssh == null) {
      ssh = new SshTransport(sshOptions, budget);
    }
    return ssh;
  }

  private ContainerTransport container(String engine) {
    return containers.computeIfAbsent(engine, e -> new ContainerTransport(e, budget));
  }

  /** Checks a target's transport and its settings before anything runs; bad input throws. */
  public void validate(Target t) {
    switch (t.transport()) {
      case "ssh" -> ssh().validate(t);
      case "local" -> {}
      case "podman", "docker" -> container(t.transport()).validate(t);
      default ->
          throw new JboltException(
              "target '"
                  + t.safeName()
                  + "': unknown transport '"
                  + t.transport()
                  + "' (jbolt has "
                  + String.join(", ", Target.TRANSPORTS)
                  + ")");
    }
  }

  /**
   * Warnings for a target's transport settings jbolt does not know or cannot honour, by a key to
   * say each once per run ({@code ssh.tty}) and the line to print.
   */
  public static Map<String, String> settingWarnings(Target t) {
    Map<String, String> out = new LinkedHashMap<>();
    if (t.config().get("ssh") instanceof Map<?, ?> ssh) {
      for (var e : new TreeMap<>(ssh).entrySet()) {
        String k = String.valueOf(e.getKey());
        if (!SshSettings.KEYS.contains(k)) {
          out.put("ssh." + k, "jbolt: warning: unknown ssh setting '" + k + "' is ignored");
          continue;
        }
        String why = SshSettings.notHonoured(k, e.getValue());
        if (why != null) {
          out.put("ssh." + k, "jbolt: warning: ssh setting '" + k + "' is ignored: " + why);
        }
      }
    }
    for (String engine : List.of("podman", "docker")) {
      if (t.config().get(engine) instanceof Map<?, ?> settings) {
        for (var e : new TreeMap<>(settings).entrySet()) {
          String k = String.valueOf(e.getKey());
          String why =
              ContainerTransport.keys(engine).contains(k)
                  ? ContainerTransport.notHonoured(k, e.getValue())
                  : "jbolt does not know it";
          if (why != null) {
            out.put(
                engine + "." + k,
                "jbolt: warning: " + engine + " setting '" + k + "' is ignored: " + why);
          }
        }
      }
    }
    return out;
  }

  /**
   * Prepares this process before anything touches an SSH library: BouncyCastle stays out of MINA's
   * own crypto.
   */
  public static void prepareProcess() {
    SshTransport.keepBouncyCastleOut();
  }

  /** A loopback SSH server on {@code port}; closing it stops it. */
  public record LoopbackServer(int port, AutoCloseable stop) implements AutoCloseable {
    @Override
    public void close() throws Exception {
      stop.close();
    }
  }

  /**
   * A loopback SSH server for the start-up cache's training run ({@code cli.Train}) that lets in
   * the key it writes to {@code keyFile}.
   */
  public static LoopbackServer trainingServer(Path keyFile) throws Exception {
    TrainingServer s = new TrainingServer(keyFile);
    return new LoopbackServer(s.port(), s);
  }

  /** The local connection, whatever the target's transport (for --local fan-out). */
  public Connection local(Target t) {
    return local.connection(t);
  }

  public Connection connection(Target t) {
    return switch (t.transport()) {
      case "local" -> local.connection(t);
      case "ssh" -> ssh().connection(t);
      case "podman", "docker" -> container(t.transport()).connection(t);
      default -> throw new JboltException("unknown transport '" + t.transport() + "'");
    };
  }

  @Override
  public void close() {
    SshTransport s = ssh;
    if (s != null) {
      s.close();
    }
    containers.values().forEach(ContainerTransport::close);
    if (budget != OutputBudget.UNLIMITED) {
      budget.close();
    }
  }
}
