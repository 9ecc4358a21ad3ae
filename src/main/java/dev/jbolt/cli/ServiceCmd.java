package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.result.Json;
import dev.jbolt.service.Services;
import dev.jbolt.session.Console;
import dev.jbolt.session.RunOptions;
import dev.jbolt.session.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
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
          + " dependencies allow, over one SSH connection per target.",
      "'stop' follows the dependencies backwards. Exit 0 when every service is OK, 3 when some"
          + " only warned, 1 when one failed, 2 for bad input."
    })
final class ServiceCmd implements Callable<Integer> {
  @Parameters(
      arity = "0..*",
      paramLabel = "SERVICE... ACTION",
      description = "Services (all when none) and, last, the action.")
  List<String> words = new ArrayList<>();

  @Option(
      names = {"-c", "--config-dir"},
      paramLabel = "DIR",
      description = "The directory of service files (default: services/ of the project).")
  Path configDir;

  @Option(
      names = {"-n", "--only-nodes"},
      paramLabel = "SPEC",
      description = "Only these targets.")
  String only;

  @Option(
      names = {"-x", "--exclude-nodes"},
      paramLabel = "SPEC",
      description = "Not these targets.")
  String exclude;

  @Option(
      names = {"-X", "--exclude-service"},
      paramLabel = "SERVICE",
      split = ",",
      description = "Skip these services (they count as done for their dependents).")
  List<String> excludedServices = new ArrayList<>();

  @Option(
      names = "--tags",
      paramLabel = "TAGS",
      split = ",",
      description = "Only services with one of these tags.")
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
      description = "Print a summary of the actions run.")
  boolean summary;

  @Option(
      names = {"-r", "--report"},
      paramLabel = "TYPE",
      description =
          "no, default (as -s), full (with failed nodes and commands), or FILE.html: a page of"
              + " the run, with a timeline of every action on every node.")
  String report = "no";

  @Option(
      names = {"-v", "--verbose"},
      description = "Also print every action's output, and SKIPPED services.")
  boolean verbose;

  @Option(
      names = "--reverse-actions",
      paramLabel = "ACTIONS",
      split = ",",
      description = "Actions that follow the dependencies backwards (default: stop).")
  Set<String> reverse = new LinkedHashSet<>(Set.of("stop"));

  @Option(names = "--format", paramLabel = "FORMAT", description = "human (default) or json.")
  RunOptions.Format format;

  @Option(names = "--color", paramLabel = "WHEN", description = "auto, always or never.")
  RunOptions.ColorMode color;

  @Mixin Options.ConnectOpts connect;
  @Mixin Options.ProjectOpts project;

  private final Console ctx;

  ServiceCmd(Console ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() {
    boolean page = report.toLowerCase(java.util.Locale.ROOT).endsWith(".html");
    RunOptions run =
        new RunOptions(
            null,
            format,
            null,
            false,
            false,
            color,
            null,
            Map.of(),
            null,
            page ? Path.of(report) : null,
            null);
    if (!page && !Set.of("no", "default", "full").contains(report)) {
      throw new JboltException(
          "--report must be no, default, full or a FILE.html, not '" + report + "'");
    }
    try (Session s = Session.open(ctx, project.options(), connect.options(), run)) {
      Path dir =
          configDir != null
              ? ctx.cwd().resolve(configDir)
              : (s.project().dir() == null ? ctx.cwd() : s.project().dir()).resolve("services");
      String shown = configDir != null ? configDir.toString() : "services";
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
      Map<String, String> vars = new LinkedHashMap<>();
      for (String d : defines) {
        int eq = d.indexOf('=');
        if (eq <= 0) {
          throw new JboltException("-D " + d + ": give it as NAME=VALUE");
        }
        vars.put(d.substring(0, eq), d.substring(eq + 1));
      }
      Services.Options opts =
          new Services.Options(
              words.get(words.size() - 1),
              words.subList(0, words.size() - 1),
              only,
              exclude,
              new LinkedHashSet<>(excludedServices),
              tags,
              vars,
              dryRun,
              nodeps,
              reverse);
      boolean json = s.format() == RunOptions.Format.json;
      ServicePrinter printer =
          new ServicePrinter(
              ctx.out(),
              ctx.stderrTerminal() ? ctx.err() : null,
              s.colour(),
              verbose,
              ctx.env().getOrDefault("COLUMNS", ctx.env().get("JBOLT_COLUMNS")));
      Services.Report r =
          services.run(
              s,
              opts,
              json
                  ? new Services.Listener() {
                    @Override
                    public void status(String sv, String desc, String st, Services.Outcome o) {}
                  }
                  : printer);
      if (json) {
        ctx.out().println(Json.pretty(r.toMap(opts.action())));
      } else if (summary || !(page || report.equals("no"))) {
        printer.summary(report.equals("full"));
      }
      return switch (r.overall()) {
        case "OK" -> Main.OK;
        case "WARNING" -> 3;
        default -> Main.FAILED;
      };
    }
  }
}
