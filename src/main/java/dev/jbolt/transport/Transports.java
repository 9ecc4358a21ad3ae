package dev.jbolt.transport;

import dev.jbolt.JboltException;
import dev.jbolt.inventory.Target;
import dev.jbolt.transport.local.LocalTransport;
import dev.jbolt.transport.ssh.SshTransport;

/**
 * The transports of one run, by name, and the run's budget of memory for output (its spill files
 * are removed on close). SSH is made on first use, so that a local-only run never loads MINA.
 */
public final class Transports implements AutoCloseable {
  private final SshTransport.Options sshOptions;
  private final OutputBudget budget;
  private final LocalTransport local;
  private volatile SshTransport ssh;

  public Transports(SshTransport.Options sshOptions) {
    this(sshOptions, OutputBudget.UNLIMITED);
  }

  public Transports(SshTransport.Options sshOptions, OutputBudget budget) {
    this(sshOptions, budget, null);
  }

  /** Local commands start in {@code cwd} (the run's working directory; null: this process's). */
  public Transports(SshTransport.Options sshOptions, OutputBudget budget, java.nio.file.Path cwd) {
    this.sshOptions = sshOptions;
    this.budget = budget;
    this.local = new LocalTransport(budget, cwd);
  }

  public synchronized SshTransport ssh() {
    if (ssh == null) {
      ssh = new SshTransport(sshOptions, budget);
    }
    return ssh;
  }

  /** Checks a target's transport and its settings before anything runs; bad input throws. */
  public void validate(Target t) {
    switch (t.transport()) {
      case "ssh" -> ssh().validate(t);
      case "local" -> {}
      default ->
          throw new JboltException(
              "target '"
                  + t.safeName()
                  + "': unknown transport '"
                  + t.transport()
                  + "' (jbolt has ssh and local)");
    }
  }

  /** The local connection, whatever the target's transport (for --local fan-out). */
  public Connection local(Target t) {
    return local.connection(t);
  }

  public Connection connection(Target t) {
    return switch (t.transport()) {
      case "local" -> local.connection(t);
      case "ssh" -> ssh().connection(t);
      default -> throw new JboltException("unknown transport '" + t.transport() + "'");
    };
  }

  @Override
  public void close() {
    SshTransport s = ssh;
    if (s != null) {
      s.close();
    }
    if (budget != OutputBudget.UNLIMITED) {
      budget.close();
    }
  }
}
