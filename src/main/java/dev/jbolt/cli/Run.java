package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.exec.Executor;
import dev.jbolt.exec.RunListener;
import dev.jbolt.exec.RunSettings;
import dev.jbolt.exec.TargetAction;
import dev.jbolt.inventory.Data;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.Target;
import dev.jbolt.output.HumanOutput;
import dev.jbolt.output.JsonOutput;
import dev.jbolt.project.Project;
import dev.jbolt.result.ResultSet;
import dev.jbolt.transport.Transports;
import dev.jbolt.transport.ssh.SshTransport;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One run of an action on targets, from options to exit code: finds the project, resolves and
 * checks the targets (all bad input fails here, before any connection), runs the action, prints
 * the results.
 */
final class Run implements AutoCloseable {
  private final Context ctx;
  private final List<Target> targets;
  private final Transports transports;
  private final Executor executor;
  private final Options.Format format;
  private final boolean gather;
  final long timeoutMillis;

  private Run(Context ctx, List<Target> targets, Transports transports, int concurrency, Options.Format format,
      boolean gather, long timeoutMillis) {
    this.ctx = ctx;
    this.targets = targets;
    this.transports = transports;
    this.executor = new Executor(transports::connection, concurrency);
    this.format = format;
    this.gather = gather;
    this.timeoutMillis = timeoutMillis;
  }

  static Run prepare(Context ctx, Options.ProjectOpts p, Options.TargetOpts t, Options.ConnectOpts c, Options.RunOpts r) {
    Project project = Project.discover(ctx.cwd(), p.project, p.inventory, ctx.err());
    Inventory inventory = project.inventory(ctx.cwd(), ctx.err());
    List<Target> targets = withCliConfig(inventory.resolve(t.spec()), c.config(), ctx);
    if (c.connectRetries < 0 || c.connectConcurrency < 1) {
      throw new JboltException("--connect-retries must be 0 or more and --connect-concurrency 1 or more");
    }
    Transports transports = new Transports(new SshTransport.Options(c.connectConcurrency, c.connectRetries, !c.noReuse));
    for (Target target : targets) {
      transports.validate(target);
      RunSettings.of(target);
    }
    int concurrency = r.concurrency != null ? r.concurrency : project.intSetting("concurrency", 100);
    if (concurrency < 1) {
      throw new JboltException("--concurrency must be 1 or more, not " + concurrency);
    }
    Options.Format format = r.format;
    if (format == null) {
      String f = project.stringSetting("format", "human");
      try {
        format = Options.Format.valueOf(f);
      } catch (IllegalArgumentException e) {
        throw new JboltException(Project.PROJECT_FILE + ": 'format' must be human or json, not '" + f + "'");
      }
    }
    long timeout = 0;
    if (r.timeout != null) {
      if (!(r.timeout > 0)) {
        throw new JboltException("--timeout must be more than 0 seconds, not " + r.timeout);
      }
      timeout = (long) (r.timeout * 1000);
    }
    return new Run(ctx, targets, transports, concurrency, format, !r.noGather && targets.size() > 1, timeout);
  }

  /**
   * Lays the inventory over the command line's connection flags: as in Bolt, the inventory's value
   * wins, and a warning says so when the two differ.
   */
  @SuppressWarnings("unchecked")
  private static List<Target> withCliConfig(List<Target> targets, Map<String, Object> cli, Context ctx) {
    if (cli.isEmpty()) {
      return targets;
    }
    Set<String> warned = new HashSet<>();
    List<Target> out = new ArrayList<>(targets.size());
    for (Target t : targets) {
      for (String transport : List.of("ssh", "local")) {
        if (cli.get(transport) instanceof Map<?, ?> flags && t.config().get(transport) instanceof Map<?, ?> inv) {
          for (Object key : flags.keySet()) {
            if (inv.containsKey(key) && !Objects.equals(String.valueOf(inv.get(key)), String.valueOf(flags.get(key)))
                && warned.add(transport + "." + key)) {
              ctx.err().println("jbolt: warning: the inventory's " + transport + "." + key
                  + " overrides the command line's for some targets (first: " + t.safeName() + ")");
            }
          }
        }
      }
      Data d = t.data();
      out.add(new Target(t.name(), t.uri(), t.aliases(),
          new Data(Data.deepMerge(cli, d.config()), d.vars(), d.facts(), d.features()), t.groups()));
    }
    return out;
  }

  List<Target> targets() {
    return targets;
  }

  /** Runs {@code action} on every target and prints the results; returns the exit code. */
  int execute(String action, String object, TargetAction fn) {
    JsonOutput json = format == Options.Format.json ? new JsonOutput(ctx.out()) : null;
    if (json != null) {
      json.begin();
    }
    Object previous = ctx.handleSignals() ? Interrupts.install(executor) : null;
    ResultSet rs;
    try {
      rs = executor.run(targets, action, object, fn, json != null ? json : RunListener.NONE);
    } finally {
      if (ctx.handleSignals()) {
        Interrupts.restore(previous);
      }
    }
    if (json != null) {
      json.end(rs);
    } else {
      new HumanOutput(ctx.out(), gather).print(rs);
    }
    if (executor.cancelled()) {
      ctx.err().println("jbolt: interrupted; partial results above");
      return Main.INTERRUPTED;
    }
    return rs.ok() ? Main.OK : Main.FAILED;
  }

  @Override
  public void close() {
    transports.close();
  }
}
