package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.exec.Executor;
import dev.jbolt.exec.RunListener;
import dev.jbolt.action.RunSettings;
import dev.jbolt.exec.TargetAction;
import dev.jbolt.inventory.Data;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.Target;
import dev.jbolt.output.HumanOutput;
import dev.jbolt.output.JsonOutput;
import dev.jbolt.output.OutputDir;
import dev.jbolt.output.Progress;
import dev.jbolt.output.RerunFile;
import dev.jbolt.output.StreamPrinter;
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
  private final Project project;
  private final List<Target> targets;
  private final Transports transports;
  private final Executor executor;
  private final Options.Format format;
  private final Options.RunOpts opts;
  private final boolean colour;
  final long timeoutMillis;
  /** With --stream: gives actions a listener per target. */
  final StreamPrinter streams;

  private Run(Context ctx, Project project, List<Target> targets, Transports transports, boolean local,
      int concurrency, Options.Format format, Options.RunOpts opts, long timeoutMillis) {
    this.ctx = ctx;
    this.project = project;
    this.targets = targets;
    this.transports = transports;
    this.executor = new Executor(local ? transports::local : transports::connection, concurrency);
    this.format = format;
    this.opts = opts;
    this.timeoutMillis = timeoutMillis;
    Options.ColorMode color = opts.color != null ? opts.color
        : project.settings().get("color") instanceof Boolean b ? (b ? Options.ColorMode.always : Options.ColorMode.never)
        : Options.ColorMode.auto;
    this.colour = format == Options.Format.human && switch (color) {
      case always -> true;
      case never -> false;
      case auto -> ctx.stdoutTerminal() && !ctx.env().containsKey("NO_COLOR");
    };
    this.streams = opts.stream && format == Options.Format.human ? new StreamPrinter(ctx.out(), colour, targets) : null;
  }

  static Run prepare(Context ctx, Options.ProjectOpts p, Options.TargetOpts t, Options.ConnectOpts c, Options.RunOpts r) {
    return prepare(ctx, p, t, c, r, false);
  }

  /** With {@code local}, every action runs on this machine, whatever the targets' transports. */
  static Run prepare(Context ctx, Options.ProjectOpts p, Options.TargetOpts t, Options.ConnectOpts c, Options.RunOpts r,
      boolean local) {
    Project project = Project.discover(ctx.cwd(), p.project, p.inventory, ctx.err());
    Inventory inventory = project.inventory(ctx.cwd(), ctx.err(), ctx.plugins());
    List<Target> targets = withCliConfig(inventory.resolve(t.spec(project.dir())), c.config(), ctx);
    if (c.connectRetries < 0 || c.connectConcurrency < 1) {
      throw new JboltException("--connect-retries must be 0 or more and --connect-concurrency 1 or more");
    }
    Transports transports = new Transports(new SshTransport.Options(c.connectConcurrency, c.connectRetries, !c.noReuse));
    Set<String> unknown = new java.util.TreeSet<>();
    for (Target target : targets) {
      if (!local) {
        transports.validate(target);
      }
      RunSettings.of(target);
      if (target.config().get("ssh") instanceof Map<?, ?> ssh) {
        ssh.keySet().stream().map(String::valueOf).filter(k -> !dev.jbolt.transport.ssh.SshSettings.KEYS.contains(k))
            .forEach(unknown::add);
      }
    }
    unknown.forEach(k -> ctx.err().println("jbolt: warning: unknown ssh setting '" + k + "' is ignored"));
    int concurrency = concurrency(r.concurrency, project);
    Options.Format format = r.format;
    if (format == null) {
      String f = project.stringSetting("format", "human");
      try {
        format = Options.Format.valueOf(f);
      } catch (IllegalArgumentException e) {
        throw new JboltException(Project.PROJECT_FILE + ": 'format' must be human or json, not '" + f + "'");
      }
    }
    return new Run(ctx, project, targets, transports, local, concurrency, format, r, timeoutMillis(r.timeout));
  }

  /** --concurrency, else the project's 'concurrency', else 100; at least 1. */
  static int concurrency(Integer option, Project project) {
    int concurrency = option != null ? option : project.intSetting("concurrency", 100);
    if (concurrency < 1) {
      throw new JboltException("--concurrency must be 1 or more, not " + concurrency);
    }
    return concurrency;
  }

  /**
   * --timeout in milliseconds, 0 without one; it must be more than 0 seconds, and a fraction of a
   * millisecond is a millisecond (never 0, which would mean no limit).
   */
  static long timeoutMillis(Double seconds) {
    if (seconds == null) {
      return 0;
    }
    if (!(seconds > 0) || seconds > 31_536_000) {
      throw new JboltException("--timeout must be more than 0 seconds and at most a year, not " + seconds);
    }
    return (long) Math.ceil(seconds * 1000);
  }

  /**
   * Lays the inventory over the command line's connection flags: as in Bolt, the inventory's value
   * wins, and a warning says so when the two differ.
   */
  @SuppressWarnings("unchecked")
  static List<Target> withCliConfig(List<Target> targets, Map<String, Object> cli, Context ctx) {
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
    List<RunListener> listeners = new ArrayList<>();
    if (json != null) {
      json.begin();
      listeners.add(json);
    }
    if (streams != null) {
      listeners.add(streams);
    }
    if (opts.outputDir != null) {
      listeners.add(new OutputDir(ctx.cwd().resolve(opts.outputDir), ctx.err()));
    }
    Progress progress = json == null && ctx.stderrTerminal() ? new Progress(ctx.err(), targets.size()) : null;
    if (progress != null) {
      listeners.add(progress);
    }
    Object previous = ctx.handleSignals() ? Interrupts.install(executor) : null;
    ResultSet rs;
    try {
      rs = executor.run(targets, action, object, fn, RunListener.all(listeners));
    } finally {
      if (progress != null) {
        progress.close();
      }
      if (ctx.handleSignals()) {
        Interrupts.restore(previous);
      }
    }
    if (json != null) {
      json.end(rs);
    } else {
      new HumanOutput(ctx.out(), !opts.noGather && targets.size() > 1, colour, streams == null).print(rs);
    }
    if (project.dir() != null) {
      RerunFile.write(project.dir(), rs);
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
