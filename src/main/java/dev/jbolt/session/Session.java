package dev.jbolt.session;

import dev.jbolt.Cancelled;
import dev.jbolt.JboltException;
import dev.jbolt.action.Streams;
import dev.jbolt.exec.Cancellation;
import dev.jbolt.exec.Executor;
import dev.jbolt.exec.RunListener;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.Plugins;
import dev.jbolt.inventory.Target;
import dev.jbolt.output.HtmlReport;
import dev.jbolt.output.HumanOutput;
import dev.jbolt.output.JsonOutput;
import dev.jbolt.output.OutputDir;
import dev.jbolt.output.Progress;
import dev.jbolt.output.RerunFile;
import dev.jbolt.output.StreamPrinter;
import dev.jbolt.project.Project;
import dev.jbolt.result.ResultSet;
import dev.jbolt.task.ModulePath;
import dev.jbolt.transport.OutputBudget;
import dev.jbolt.transports.Transports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One run's set-up, shared by every command and by plans: the project, the inventory, target
 * resolution with the command line's connection flags laid under each target, the validated
 * transports and their connection pool, Ctrl-C (one {@link Cancellation} for everything the run
 * starts), and the listeners that show results. Bad input fails here, before any connection.
 */
public final class Session implements AutoCloseable {
  private final Console console;
  private final Project project;
  private final ProjectOptions where;
  private final ConnectOptions reach;
  private final RunOptions options;
  private final RunOptions.Format format;
  private final int concurrency;
  private final long timeoutMillis;
  private final boolean colour;
  private final Transports transports;
  private final Cancellation cancellation = new Cancellation();
  private final AutoCloseable interrupts;
  private final AutoCloseable log;
  private final TargetResolver resolver;
  private final HtmlReport report;
  private final AtomicInteger steps = new AtomicInteger();
  private Inventory inventory;
  private ModulePath modules;
  private final boolean inert; // plugins run nothing: the project is read for completion

  private Session(
      Console console,
      Project project,
      ProjectOptions where,
      ConnectOptions reach,
      RunOptions options,
      boolean runs,
      boolean inert) {
    this.console = console;
    this.project = project;
    this.where = where;
    this.reach = reach;
    reach.rememberGiven(console.scope().secrets());
    this.options = options;
    this.inert = inert;
    this.format = options.format(project);
    this.concurrency = options.concurrency(project);
    this.timeoutMillis = options.timeoutMillis();
    this.colour = options.colour(project, console, format);
    this.transports =
        new Transports(
            new Transports.Options(
                reach.connectConcurrency(),
                reach.connectRetries(),
                reach.reuse(),
                console.env().get("SSH_AUTH_SOCK"),
                console.kept(),
                console.scope()),
            new OutputBudget(options.outputMemoryBytes(project, console.err())),
            console.cwd());
    this.resolver =
        new TargetResolver(
            reach.config(),
            console.cwd(),
            project.dir() != null
                ? project.dir()
                : project.inventoryFile() != null ? project.inventoryFile().getParent() : null,
            transports,
            console.err());
    this.interrupts =
        runs && console.terminal() != null
            ? console.terminal().onInterrupt(cancellation)
            : () -> {};
    this.log = RunLog.start(console, project, concurrency, runs);
    this.report = options.report() == null ? null : new HtmlReport();
  }

  /** Finds the project and checks the options: a bad one is bad input, before any connection. */
  public static Session open(
      Console console, ProjectOptions where, ConnectOptions reach, RunOptions options) {
    return open(console, where, reach, options, true, false);
  }

  /**
   * A session for commands that only read the project (show): no run options, and Ctrl-C keeps its
   * default meaning (end the process), since nothing runs that would need stopping.
   */
  public static Session open(Console console, ProjectOptions where) {
    return open(console, where, ConnectOptions.DEFAULT, RunOptions.DEFAULT, false, false);
  }

  /** As {@link #open(Console, ProjectOptions)}, running no plugin (completion: nothing asked). */
  public static Session openWithoutPlugins(Console console, ProjectOptions where) {
    return open(console, where, ConnectOptions.DEFAULT, RunOptions.DEFAULT, false, true);
  }

  private static Session open(
      Console console,
      ProjectOptions where,
      ConnectOptions reach,
      RunOptions options,
      boolean runs,
      boolean inert) {
    Project project =
        Project.discover(
            console.cwd(),
            where.project(),
            where.inventory(),
            console.err(),
            inert ? (dir, settings) -> Plugins.inert() : console::plugins);
    reach.check();
    return new Session(console, project, where, reach, options, runs, inert);
  }

  public Console console() {
    return console;
  }

  public Project project() {
    return project;
  }

  /** Whether human output is in colour (--color, the project's 'color', the terminal). */
  public boolean colour() {
    return colour;
  }

  public Cancellation cancellation() {
    return cancellation;
  }

  public RunOptions.Format format() {
    return format;
  }

  public int concurrency() {
    return concurrency;
  }

  /** The run's --timeout in milliseconds, 0 for none. */
  public long timeoutMillis() {
    return timeoutMillis;
  }

  /** --env-var: variables for every command, script and task of the run. */
  public Map<String, String> env() {
    return options.env();
  }

  /** The inventory, read on first use (or an empty one without an inventory file). */
  public synchronized Inventory inventory() {
    if (inventory == null) {
      inventory = project.inventory(console.cwd(), console.err(), plugins());
    }
    return inventory;
  }

  /** The project's plugins: built in, task and module plugins (none run when inert). */
  public Plugins plugins() {
    if (inert) {
      return Plugins.inert();
    }
    Path dir = project.dir() == null ? console.cwd() : project.dir();
    return new TaskPlugins(
            this::modules,
            transports,
            cancellation,
            console.scope().log(),
            options.env(),
            dir,
            project.pluginSettings())
        .addTo(console.plugins(dir, project.pluginSettings()));
  }

  /** The modulepath: --modulepath's directories, then the project's. */
  public synchronized ModulePath modules() {
    if (modules == null) {
      List<Path> extra = new ArrayList<>();
      if (where.modulepath() != null) {
        for (String d : where.modulepath().split(":")) {
          if (!d.isBlank()) {
            extra.add(console.cwd().resolve(d).normalize());
          }
        }
      }
      modules = new ModulePath(project, extra);
    }
    return modules;
  }

  /**
   * The targets of {@code -t} specs or of {@code --rerun FILTER} (exactly one of the two), with the
   * command line's connection flags, checked. With {@code local}, transports are not checked: the
   * action runs on this machine whatever they say.
   */
  public List<Target> targets(List<String> specs, String rerun, boolean local) {
    String spec = spec(specs, rerun);
    if (spec == null) {
      throw new JboltException("no targets: give them with --targets/-t (or --rerun)");
    }
    return resolve(spec, local);
  }

  /**
   * The target spec of {@code -t} (lists from files and stdin read) or of {@code --rerun FILTER}
   * (at most one of the two); null for neither.
   */
  public String spec(List<String> specs, String rerun) {
    return TargetLists.spec(specs, rerun, project.dir(), console, this::inventory);
  }

  /** The targets a spec names (a plan's), as {@link #targets}. */
  public List<Target> resolve(String spec) {
    return resolve(spec, false);
  }

  private List<Target> resolve(String spec, boolean local) {
    return resolver.resolve(inventory().resolve(spec, project.maxTargets(console.env())), local);
  }

  /** With --stream (human format): what prints each target's lines as they come; else null. */
  public Streams streams(List<Target> targets) {
    return options.stream() && format == RunOptions.Format.human
        ? new StreamPrinter(console.out(), colour, targets)
        : null;
  }

  /**
   * Runs {@code fn} on every target and shows the results as the options say (JSON items as they
   * finish, or gathered blocks and a summary); writes the rerun file. A run that Ctrl-C stopped
   * prints what finished, then throws {@link Cancelled}.
   */
  public ResultSet run(Work work) {
    return run(work, false);
  }

  /** As {@link #run}, each target's action run here (--local) instead of on the target. */
  public ResultSet runLocally(Work work) {
    return run(work, true);
  }

  private ResultSet run(Work work, boolean local) {
    JsonOutput json = format == RunOptions.Format.json ? new JsonOutput(console.out()) : null;
    List<RunListener> listeners = new ArrayList<>();
    if (json != null) {
      json.begin();
      listeners.add(json);
    }
    ResultSet rs =
        execute(work, new Shown(listeners, options.outputDir(), true, local, concurrency));
    if (json != null) {
      json.end(rs);
    } else {
      print(rs, work.streams() == null);
    }
    writeRerun(rs);
    if (cancellation.cancelled()) {
      throw new Cancelled("interrupted; partial results above");
    }
    return rs;
  }

  /**
   * A plan's step, as {@link #run} without printing, {@code concurrency} targets at a time, with
   * the progress line of a long one.
   */
  public ResultSet step(Work work, int concurrency) {
    return step(work, concurrency, true);
  }

  /** As {@link #step}, without a progress line (a service graph draws its own). */
  public ResultSet quietStep(Work work, int concurrency) {
    return step(work, concurrency, false);
  }

  private ResultSet step(Work work, int stepConcurrency, boolean progress) {
    if (cancellation.cancelled()) {
      throw new Cancelled("interrupted");
    }
    String name = String.format(Locale.ROOT, "%03d-%s", steps.incrementAndGet(), work.action());
    Path dir =
        options.outputDir() == null
            ? null
            : options.outputDir().resolve(name.replaceAll("[^a-z_0-9-]", "_"));
    ResultSet rs =
        execute(work, new Shown(new ArrayList<>(), dir, progress, false, stepConcurrency));
    if (cancellation.cancelled()) {
      throw new Cancelled("interrupted");
    }
    return rs;
  }

  /**
   * How an execution is seen and bounded: its listeners, the output directory (null: none), whether
   * a progress line may show, whether actions run here (--local), how many targets at once.
   */
  private record Shown(
      List<RunListener> listeners, Path outputDir, boolean progress, boolean local, int limit) {}

  private ResultSet execute(Work work, Shown how) {
    List<Target> targets = work.targets();
    List<RunListener> listeners = how.listeners();
    if (work.streams() instanceof RunListener l) {
      listeners.add(l);
    }
    if (how.outputDir() != null) {
      listeners.add(new OutputDir(console.cwd().resolve(how.outputDir()), console.err()));
    }
    Progress progress =
        how.progress() && format == RunOptions.Format.human && console.stderrTerminal()
            ? new Progress(console.err(), targets.size())
            : null;
    if (progress != null) {
      listeners.add(progress);
    }
    Executor executor =
        new Executor(
            how.local() ? transports::local : transports::connection,
            how.limit(),
            cancellation,
            console.scope().log());
    HtmlReport.Timing timing = report == null ? null : report.timing(work.action(), work.object());
    if (timing != null) {
      listeners.add(timing);
    }
    try {
      ResultSet rs =
          executor.run(
              targets, work.action(), work.object(), work.fn(), RunListener.all(listeners));
      if (timing != null) {
        timing.done(rs);
      }
      return rs;
    } finally {
      if (progress != null) {
        progress.close();
      }
    }
  }

  /** Gathered blocks (unless --no-gather; not when --stream printed them) and the summary. */
  public void print(ResultSet rs, boolean blocks) {
    new HumanOutput(console.out(), !options.noGather() && rs.count() > 1, colour, blocks).print(rs);
  }

  /** {@code .jbolt/rerun.json}, for {@code --rerun}; nothing without a project. */
  public void writeRerun(ResultSet rs) {
    if (project.dir() != null && options.saveRerun(project)) {
      RerunFile.write(project.dir(), rs);
    }
  }

  @Override
  public void close() {
    if (report != null) { // also after Ctrl-C or a plan's failure: what ran until then
      report.write(
          console.cwd().resolve(options.report()),
          console.scope().secrets()::redact,
          console.err());
    }
    transports.close();
    try {
      log.close();
      interrupts.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
