package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.result.Json;
import dev.jbolt.service.MilkCheckConf;
import dev.jbolt.service.ServicePrinter;
import dev.jbolt.service.Services;
import dev.jbolt.service.Status;
import dev.jbolt.session.Console;
import dev.jbolt.session.RunOptions;
import dev.jbolt.session.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "service",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run ACTION on a graph of services as MilkCheck does, from its YAML configuration"
          + " (services/ of the project, or -c DIR): every service's action starts as soon as its"
          + " dependencies allow, over one SSH connection per target. MilkCheck's options.",
      "'stop' follows the dependencies backwards. Exit 0 when every service is OK, 3 when some"
          + " only warned, 1 when one failed, 2 for bad input. 'jbolt milkcheck' (and bin/milkcheck"
          + " of a release) is MilkCheck's drop-in: its configuration file and exit codes."
    })
class ServiceCmd implements Callable<Integer> {
  @Parameters(
      arity = "0..*",
      paramLabel = "SERVICE... ACTION",
      description = "Services (all when none) and, last, the action.")
  List<String> words = new ArrayList<>();

  @Option(
      names = {"-c", "--config-dir"},
      paramLabel = "DIR",
      description =
          "The directory of service files (default: services/ of the project; for milkcheck,"
              + " config_dir of its configuration file, else /etc/milkcheck/conf).")
  Path configDir;

  @Option(
      names = {"-n", "--only-nodes"},
      paramLabel = "NODES",
      description = "Use only these nodes.")
  String only;

  @Option(
      names = {"-x", "--exclude-nodes"},
      paramLabel = "NODES",
      description = "Exclude these nodes.")
  String exclude;

  @Option(
      names = {"-X", "--exclude-service"},
      paramLabel = "SERVICE",
      split = ",",
      description =
          "Skip these services (LOCKED: done for their dependents, and what only they lead to is"
              + " not run).")
  List<String> excludedServices = new ArrayList<>();

  @Option(
      names = {"-t", "--tags"},
      paramLabel = "TAGS",
      split = ",",
      description = "Run only services with one of these tags.")
  Set<String> tags = new LinkedHashSet<>();

  @Option(
      names = {"-D", "--define", "--var"},
      paramLabel = "NAME=VALUE",
      description = "A variable for this run; repeatable.")
  List<String> defines = new ArrayList<>();

  @Option(names = "--nodeps", description = "Do not run the services' dependencies.")
  boolean nodeps;

  @Option(
      names = "--dry-run",
      description = "Print each action and its command in the order they would run; run nothing.")
  boolean dryRun;

  @Option(
      names = {"-g", "--graph"},
      description = "Print the dependency graph in Graphviz DOT and exit.")
  boolean graph;

  @Option(
      names = {"-s", "--summary"},
      description = "Print a summary of the actions run (--report default).")
  boolean summary;

  @Option(
      names = {"-r", "--report"},
      paramLabel = "TYPE",
      description =
          "no, default (as -s), full (with failed nodes and commands), or FILE.html: a page of"
              + " the run, with a timeline of every action on every node.")
  String report;

  @Option(
      names = {"-v", "--verbose"},
      description =
          "More output, as MilkCheck's: -v each action's command as it starts; -vv every"
              + " action's output, delays and SKIPPED services.")
  boolean[] verbose = new boolean[0];

  @Option(
      names = {"-d", "--debug"},
      description = "The most output (MilkCheck's debug mode).")
  boolean debug;

  @Option(
      names = {"-q", "--quiet"},
      description = "Only the services' status lines.")
  boolean quiet;

  @Option(
      names = {"-y", "--assumeyes"},
      description = "Answer yes to the confirmation that milkcheck's confirm_actions ask for.")
  boolean assumeYes;

  @Option(
      names = "--reverse-actions",
      paramLabel = "ACTIONS",
      split = ",",
      description =
          "Actions that follow the dependencies backwards (default: stop; for milkcheck,"
              + " reverse_actions of its configuration file).")
  Set<String> reverse;

  @Mixin Options.FormatOpt format;

  @Option(names = "--color", paramLabel = "WHEN", description = "auto, always or never.")
  RunOptions.ColorMode color;

  @Mixin Options.ConnectOpts connect;
  @Mixin Options.ProjectOpts project;

  final Console ctx;

  ServiceCmd(Console ctx) {
    this.ctx = ctx;
  }

  /** MilkCheck's drop-in: its configuration file, directory and exit codes. */
  boolean milkcheck() {
    return false;
  }

  /** MilkCheck's verbosity: 0 quiet, 1 the default, 2 -v, 3 -vv, 4 -vvv, 5 debug. */
  int verbosity() {
    return quiet ? 0 : debug ? 5 : 1 + verbose.length;
  }

  @Override
  public Integer call() {
    MilkCheckConf conf = milkcheck() ? MilkCheck.conf(ctx, verbosity()) : null;
    String type =
        report != null ? report : summary ? "default" : conf == null ? "no" : conf.report();
    boolean page = type.toLowerCase(Locale.ROOT).endsWith(".html");
    RunOptions run =
        RunOptions.builder()
            .format(format.format)
            .color(color)
            .report(page ? Path.of(type) : null)
            .build();
    if (!page && !Set.of("no", "default", "full").contains(type)) {
      throw new JboltException(
          "--report must be no, default, full or a FILE.html, not '" + type + "'");
    }
    if (configDir != null && !Files.isDirectory(ctx.cwd().resolve(configDir))) {
      throw new JboltException("-c/--config-dir should be a valid directory: " + configDir);
    }
    try (Session s = Session.open(ctx, project.options(), connect.options(), run)) {
      Path dir =
          configDir != null
              ? ctx.cwd().resolve(configDir)
              : conf != null
                  ? conf.configDir()
                  : (s.project().dir() == null ? ctx.cwd() : s.project().dir()).resolve("services");
      String shown =
          configDir != null ? configDir.toString() : conf != null ? dir.toString() : "services";
      if (conf != null && verbosity() >= 4) {
        ctx.err()
            .println(
                ServicePrinter.log("DEBUG", "Configuration\n" + MilkCheck.dump(this, conf, type)));
      }
      if (words.isEmpty() && !graph && milkcheck()) {
        // MilkCheck without an action checks its configuration
        ctx.out().println("No actions specified, checking configuration...");
        Services.load(dir, shown, ctx.err()).dot(List.of(), Set.of());
        ctx.out().println(shown + " seems good");
        return Main.OK;
      }
      Services services = Services.load(dir, shown, ctx.err());
      if (graph) {
        // println: MilkCheck prints the graph with Python's print(), a blank line after its '}'
        ctx.out().println(services.dot(words, new LinkedHashSet<>(excludedServices)));
        return Main.OK;
      }
      if (words.isEmpty()) {
        throw new JboltException(
            "no action: give it last, as in 'jbolt service [SERVICE...] start'");
      }
      String action = words.get(words.size() - 1);
      if (conf != null && conf.confirmActions().contains(action) && !assumeYes) {
        MilkCheck.confirm(ctx, action);
      }
      return run(s, services, options(action, conf), page ? "page" : type);
    }
  }

  /** The graph's options from the command line, over the MilkCheck configuration's. */
  private Services.Options options(String action, MilkCheckConf conf) {
    Map<String, String> vars = new LinkedHashMap<>();
    for (String d : defines) {
      int eq = d.indexOf('=');
      if (eq <= 0) {
        throw new JboltException("-D " + d + ": give it as NAME=VALUE");
      }
      vars.put(d.substring(0, eq), d.substring(eq + 1));
    }
    Services.Builder b =
        Services.Options.of(action, words.subList(0, words.size() - 1))
            .only(only)
            .exclude(exclude)
            .excludedServices(new LinkedHashSet<>(excludedServices))
            .tags(tags)
            .defines(vars)
            .dryRun(dryRun)
            .nodeps(nodeps);
    if (reverse != null) {
      b.reverseActions(reverse);
    } else if (conf != null) {
      b.reverseActions(new LinkedHashSet<>(conf.reverseActions()));
    }
    if (conf != null) {
      b.fanout(conf.fanout());
    }
    return b.build();
  }

  /**
   * Runs the graph, printing as MilkCheck does (or JSON), then the summary the report type asks for
   * ({@code page}: the run report is a page, no summary); the exit code by the overall status.
   */
  private int run(Session s, Services services, Services.Options opts, String type) {
    boolean json = s.format() == RunOptions.Format.json;
    ServicePrinter printer =
        new ServicePrinter(
            ctx.out(),
            ctx.err(),
            ctx.stderrTerminal() ? ctx.err() : null,
            s.colour(),
            verbosity(),
            ctx.env().getOrDefault("COLUMNS", ctx.env().get("JBOLT_COLUMNS")));
    Services.Report r =
        services.run(
            s,
            opts,
            json
                ? new Services.Listener() {
                  @Override
                  public void status(String sv, String desc, Status st, Services.Outcome o) {}
                }
                : printer);
    if (json) {
      ctx.out().println(Json.pretty(r.toMap(opts.action())));
    } else if (!(type.equals("page") || type.equals("no"))) {
      printer.summary(type.equals("full"));
    }
    return switch (r.overall()) {
      case DONE -> Main.OK;
      case WARNING -> Main.WARNING;
      default -> milkcheck() ? Main.MILKCHECK_FAILED : Main.FAILED;
    };
  }
}
