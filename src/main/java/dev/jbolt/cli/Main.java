package dev.jbolt.cli;

import dev.jbolt.Cancelled;
import dev.jbolt.JboltException;
import dev.jbolt.Log;
import dev.jbolt.Redacting;
import dev.jbolt.result.Printable;
import dev.jbolt.result.ResultSet;
import dev.jbolt.service.ServicePrinter;
import dev.jbolt.session.Console;
import dev.jbolt.transports.Transports;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code jbolt} root command. Exit codes are decided here and nowhere else. */
@Command(
    name = "jbolt",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runs commands, scripts, tasks and plans on many servers over SSH.")
public final class Main implements Runnable {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_INPUT = 2;
  public static final int INTERRUPTED = 130;

  /** A service graph ended with a service WARNING and none failed (MilkCheck's RC_WARNING). */
  public static final int WARNING = 3;

  /** Under the name milkcheck, MilkCheck's own codes: a service failed (RC_ERROR), ... */
  public static final int MILKCHECK_FAILED = 6;

  /** ... bad options or configuration (RC_EXCEPTION), ... */
  public static final int MILKCHECK_BAD_INPUT = 9;

  /** ... an internal error (RC_UNKNOWN_EXCEPTION). */
  public static final int MILKCHECK_INTERNAL = 12;

  /**
   * A run's exit code: 0 when every target succeeded, else 1 (Ctrl-C and bad input never get here).
   */
  static int exitCode(ResultSet rs) {
    return rs.ok() ? OK : FAILED;
  }

  @Option(
      names = "--trace",
      scope = ScopeType.INHERIT,
      description = "Show stack traces of errors.")
  boolean trace;

  @Option(
      names = "--log-level",
      scope = ScopeType.INHERIT,
      paramLabel = "LEVEL",
      description =
          "What jbolt says on stderr about its work: error, warn (default), info (what starts and"
              + " ends where; --verbose), debug (connections, authentication, host keys, channels,"
              + " retries) or trace. .jbolt/debug.log has the last run at debug level.")
  Log.Level logLevel;

  @Option(
      names = "--no-persist",
      scope = ScopeType.INHERIT,
      description =
          "Run in a process of its own: neither use nor leave a warm process (read by the"
              + " launcher; see 'jbolt persist').")
  boolean noPersist;

  private final Console ctx;

  public Main(Console ctx) {
    this.ctx = ctx;
  }

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** Bare {@code jbolt}: the usage with every command listed. */
  @Override
  public void run() {
    spec.commandLine().usage(ctx.out());
  }

  public static void main(String[] args) {
    System.exit(run(Console.system(), args));
  }

  /** The subcommands, in the order help lists them. */
  private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

  static {
    SUBCOMMANDS.put("command", CommandCmd.class);
    SUBCOMMANDS.put("script", ScriptCmd.class);
    SUBCOMMANDS.put("task", TaskCmd.class);
    SUBCOMMANDS.put("plan", PlanCmd.class);
    SUBCOMMANDS.put("file", FileCmd.class);
    SUBCOMMANDS.put("inventory", InventoryCmd.class);
    SUBCOMMANDS.put("group", GroupCmd.class);
    SUBCOMMANDS.put("plugin", PluginCmd.class);
    SUBCOMMANDS.put("secret", SecretCmd.class);
    SUBCOMMANDS.put("service", ServiceCmd.class);
    SUBCOMMANDS.put("milkcheck", MilkCheck.class);
    SUBCOMMANDS.put("module", ModuleCmd.class);
    SUBCOMMANDS.put("project", ProjectCmd.class);
    SUBCOMMANDS.put("persist", PersistCmd.class);
    SUBCOMMANDS.put("completion", CompletionCmd.class);
    SUBCOMMANDS.put("help", CommandLine.HelpCommand.class);
  }

  /**
   * The root command with only the subcommands this command line needs: picocli's model of every
   * command costs most of a short run's start-up, so {@code jbolt command run} builds only {@code
   * command}'s, and {@code --version} none. Help and unknown words get them all.
   */
  private static CommandLine commandLine(Factory factory, String[] args) throws Exception {
    CommandLine cl = new CommandLine(new Main(factory.ctx()), factory);
    String first = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().orElse(null);
    boolean versionOnly =
        first == null
            && Arrays.asList(args).contains("--version")
            && !Arrays.asList(args).contains("--help")
            && !Arrays.asList(args).contains("-h");
    for (var e : SUBCOMMANDS.entrySet()) {
      boolean needed =
          first == null
              ? !versionOnly
              : !SUBCOMMANDS.containsKey(first) || first.equals(e.getKey()) || first.equals("help");
      if (needed) {
        cl.addSubcommand(e.getKey(), factory.create(e.getValue()));
      }
    }
    return cl;
  }

  /** The word the completion scripts start their questions with (see {@link Complete}). */
  static final String COMPLETE = "__complete";

  /** The root command with every subcommand: for completion, man pages and the like. */
  static CommandLine all(Console ctx) {
    try {
      return commandLine(new Factory(ctx), new String[] {"help"});
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether the command line asks for {@code --format json}. */
  private static boolean wantsJson(String[] args) {
    for (int i = 0; i < args.length && !args[i].equals("--"); i++) {
      if (args[i].equals("--format=json")
          || args[i].equals("--format") && i + 1 < args.length && args[i + 1].equals("json")) {
        return true;
      }
    }
    return false;
  }

  /** Runs jbolt with {@code args} in {@code console}; returns the exit code. */
  public static int run(Console console, String... args) {
    // Every secret of the run is masked in all that is printed, JSON and human alike.
    Console ctx =
        new Console(
            new PrintStream(
                new Redacting(console.out(), console.scope().secrets()),
                true,
                console.out().charset()),
            new PrintStream(
                new Redacting(console.err(), console.scope().secrets()),
                true,
                console.err().charset()),
            console.in(),
            console.cwd(),
            console.env(),
            console.terminal(),
            console.stdoutTerminal(),
            console.stderrTerminal(),
            console.kept(),
            console.scope());
    if (args.length == 1 && args[0].equals("--version")) {
      // Answered before picocli builds even the root command's model (about 100 ms of a 0.3 s
      // start).
      ctx.out().println(Version.text());
      return 0;
    }
    Transports.prepareProcess();
    if (args.length > 0 && args[0].equals(COMPLETE)) {
      CommandLine all = all(ctx);
      return Complete.run(ctx, all, Arrays.asList(args).subList(1, args.length));
    }
    if (args.length > 2 && args[0].equals("help")) {
      // 'help command run' is 'command run --help' (picocli's help goes one level deep only)
      String[] rest = Arrays.copyOfRange(args, 1, args.length + 1);
      rest[rest.length - 1] = "--help";
      args = rest;
    }
    CommandLine cl;
    try {
      cl = commandLine(new Factory(ctx), args);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    cl.setOut(new PrintWriter(ctx.out(), true));
    cl.setErr(new PrintWriter(ctx.err(), true));
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    // '@FILE' is jbolt's (and Bolt's) to read: --params @p.json, command run @cmd.txt, -t @hosts.
    cl.setExpandAtFiles(false);
    boolean json = wantsJson(args);
    // MilkCheck's drop-in says what went wrong as MilkCheck does, with its exit codes
    boolean milkcheck = args.length > 0 && args[0].equals("milkcheck");
    cl.setParameterExceptionHandler((ex, a) -> badOption(ctx, ex, json, milkcheck));
    cl.setExecutionExceptionHandler((ex, c, parsed) -> failed(ctx, ex, parsed, json, milkcheck));
    cl.setExecutionStrategy(
        parsed -> {
          ctx.scope().log().consoleLevel(consoleLevel(parsed));
          return new CommandLine.RunLast().execute(parsed);
        });
    return cl.execute(args);
  }

  /** A command line picocli refused: bad input, exit 2 (MilkCheck's 9 under its name). */
  private static int badOption(
      Console ctx, CommandLine.ParameterException ex, boolean json, boolean milkcheck) {
    if (milkcheck) {
      ctx.err().println(ServicePrinter.log("CRITICAL", "Invalid options: " + ex.getMessage()));
      ctx.err().println("Try 'milkcheck --help' for more information.");
      return MILKCHECK_BAD_INPUT;
    }
    if (json) {
      ctx.out().println(new JboltException(ex.getMessage()).toMapJson());
    }
    ctx.err().println("jbolt: error: " + ex.getMessage());
    CommandLine c = ex.getCommandLine();
    ctx.err()
        .println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
    return BAD_INPUT;
  }

  /**
   * What a command threw, as an exit code: Ctrl-C 130 (or 128 + the signal), bad input 2, anything
   * else an internal error (MilkCheck's codes under its name); messages are redacted.
   */
  private static int failed(
      Console ctx, Exception ex, CommandLine.ParseResult parsed, boolean json, boolean milkcheck) {
    boolean trace = false;
    for (CommandLine.ParseResult pr = parsed; pr != null; pr = pr.subcommand()) {
      trace |= pr.hasMatchedOption("--trace");
    }
    if (ex instanceof Cancelled) {
      ctx.err().println("jbolt: " + ex.getMessage());
      // Ctrl-C 130; SIGTERM 143 and SIGHUP 129, with the same clean-up
      return ctx.terminal() == null ? INTERRUPTED : ctx.terminal().cancelledExit();
    }
    if (ex instanceof JboltException je && milkcheck) {
      ctx.err()
          .println(
              ServicePrinter.log(
                  "ERROR", Printable.text(ctx.scope().secrets().redact(ex.getMessage()))));
      return MILKCHECK_BAD_INPUT;
    }
    if (ex instanceof JboltException je) {
      if (json) { // Bolt's error object, for scripts that parse --format json
        ctx.out().println(je.toMapJson());
      }
      ctx.err()
          .println(
              "jbolt: error: " + Printable.text(ctx.scope().secrets().redact(ex.getMessage())));
      if (trace) {
        ex.printStackTrace(ctx.err());
      }
      return BAD_INPUT;
    }
    ctx.err()
        .println(
            "jbolt: internal error: "
                + ctx.scope().secrets().redact(String.valueOf(ex))
                + (trace ? "" : " (run with --trace for details)"));
    if (trace) {
      ex.printStackTrace(ctx.err());
    }
    return milkcheck ? MILKCHECK_INTERNAL : FAILED;
  }

  /** --log-level at any level of the command line, else info for -v/--verbose, else warn. */
  private static Log.Level consoleLevel(CommandLine.ParseResult parsed) {
    boolean verbose = false;
    for (CommandLine.ParseResult pr = parsed; pr != null; pr = pr.subcommand()) {
      if (pr.hasMatchedOption("--log-level")) {
        return pr.matchedOptionValue("--log-level", Log.Level.WARN);
      }
      // service's and milkcheck's -v is MilkCheck's verbosity, not jbolt's log level
      verbose |=
          pr.hasMatchedOption("--verbose")
              && !(pr.commandSpec().userObject() instanceof ServiceCmd);
    }
    return verbose ? Log.Level.INFO : Log.Level.WARN;
  }

  /** Gives commands that take a {@link Console} theirs. */
  private record Factory(Console ctx) implements IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      for (Constructor<?> c : cls.getDeclaredConstructors()) {
        if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Console.class) {
          c.setAccessible(true);
          return cls.cast(c.newInstance(ctx));
        }
      }
      return CommandLine.defaultFactory().create(cls);
    }
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {text()};
    }

    static String text() {
      String v = Main.class.getPackage().getImplementationVersion();
      return "jbolt " + (v == null ? "dev" : v);
    }
  }
}
