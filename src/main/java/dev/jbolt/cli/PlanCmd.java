package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.output.HumanOutput;
import dev.jbolt.output.RerunFile;
import dev.jbolt.plan.Plan;
import dev.jbolt.plan.PlanHost;
import dev.jbolt.plan.PlanOutput;
import dev.jbolt.plan.PlanRunner;
import dev.jbolt.project.Project;
import dev.jbolt.result.ErrorInfo;
import dev.jbolt.result.Json;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import dev.jbolt.task.ModulePath;
import dev.jbolt.task.Params;
import dev.jbolt.task.TaskParams;
import dev.jbolt.transport.Transports;
import dev.jbolt.transport.ssh.SshTransport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plan", description = "Run and list plans: JavaScript that orchestrates tasks and commands.",
    mixinStandardHelpOptions = true, subcommands = {PlanCmd.RunCmd.class, PlanCmd.Show.class})
final class PlanCmd {
  @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Run PLAN with parameters given as key=value or with --params; -t fills its 'targets' parameter.")
  static final class RunCmd implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAN") String name;
    @Parameters(index = "1..*", paramLabel = "KEY=VALUE") List<String> pairs = new ArrayList<>();

    @Option(names = "--params", paramLabel = "JSON", description = "Parameters as a JSON object, @FILE.json, or - for stdin.")
    String params;

    @Option(names = {"-t", "--targets"}, paramLabel = "SPEC", description = "The value of the plan's 'targets' parameter.")
    List<String> targets = new ArrayList<>();

    @Option(names = {"-c", "--concurrency"}, paramLabel = "N", description = "Targets worked on at once by each step (default 100).")
    Integer concurrency;

    @Option(names = "--format", paramLabel = "FORMAT", description = "human (default) or json: only the plan's return value.")
    Options.Format format = Options.Format.human;

    @Option(names = "--timeout", paramLabel = "SECS", description = "Kill a step's action still running after this long.")
    Double timeout;

    @Option(names = {"-v", "--verbose"}, description = "Also print out.verbose() and log.info() messages.")
    boolean verbose;

    @Mixin Options.ConnectOpts connect;
    @Mixin Options.ProjectOpts project;

    private final Context ctx;

    RunCmd(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      Project p = Project.discover(ctx.cwd(), project.project, project.inventory, ctx.err());
      Inventory inventory = p.inventory(ctx.cwd(), ctx.err(), ctx.plugins());
      ModulePath modules = new ModulePath(p, project.modulepathDirs(ctx.cwd()));
      Plan plan = Plan.find(p, modules, name);
      boolean json = format == Options.Format.json;
      PlanOutput out = new PlanOutput(ctx.out(), ctx.err(), json, verbose);
      int limit = Run.concurrency(concurrency, p);
      long timeoutMillis = Run.timeoutMillis(timeout);
      Map<String, Object> cli = connect.config();
      try (Transports transports = new Transports(new SshTransport.Options(connect.connectConcurrency,
              connect.connectRetries, !connect.noReuse));
          PlanRunner runner = new PlanRunner(new PlanHost(p, spec -> Run.withCliConfig(inventory.resolve(spec), cli, ctx),
              modules, transports, out, limit, timeoutMillis))) {
        PlanRunner.Info info = runner.info(plan);
        Map<String, Object> given = TaskParams.parse(pairs, params, ctx.cwd(), ctx.in(), info.params());
        if (!targets.isEmpty()) {
          if (given.containsKey("targets")) {
            throw new JboltException("give the plan's targets either with --targets or as targets=..., not both");
          }
          if (info.params() != null && !info.params().containsKey("targets")) {
            throw new JboltException("plan " + plan.name() + " has no 'targets' parameter for --targets");
          }
          given.put("targets", String.join(",", targets));
        }
        Map<String, Object> values = Params.validate("plan " + plan.name(), info.params(), given);
        out.step("Starting: plan " + plan.name());
        long t0 = System.nanoTime();
        PlanRunner.Outcome o = runner.run(plan, values);
        out.step(String.format(Locale.ROOT, "Finished: plan %s in %.2f s", plan.name(), (System.nanoTime() - t0) / 1e9));
        return report(o, p, json);
      }
    }

    private int report(PlanRunner.Outcome o, Project p, boolean json) {
      if (o.failure() != null) {
        if (json) {
          ctx.out().println(Json.pretty(o.failure().toMap()));
        } else {
          Object rs = o.failure().toMap().get("details") instanceof Map<?, ?> d ? d.get("result_set") : null;
          if (rs != null) {
            new HumanOutput(ctx.out(), true, false, true).print(resultSet(Json.write(rs)));
          }
          ctx.err().println("jbolt: plan " + name + " failed (" + o.failure().kind() + "): " + o.failure().getMessage());
        }
        if (p.dir() != null && o.failure().toMap().get("details") instanceof Map<?, ?> d && d.get("result_set") != null) {
          RerunFile.write(p.dir(), resultSet(Json.write(d.get("result_set"))));
        }
        return Main.FAILED;
      }
      if (o.resultSet() && p.dir() != null) {
        RerunFile.write(p.dir(), resultSet(o.valueJson()));
      }
      if (json) {
        ctx.out().println(o.valueJson());
      } else if (o.resultSet()) {
        new HumanOutput(ctx.out(), true, false, true).print(resultSet(o.valueJson()));
      } else if (o.valueJson().equals("null")) {
        ctx.out().println("Plan completed successfully with no result");
      } else {
        ctx.out().println(Json.pretty(dev.jbolt.result.Json.mapper().convertValue(parse(o.valueJson()), Object.class)));
      }
      return Main.OK;
    }

    private static Object parse(String json) {
      try {
        return Json.mapper().readValue(json, Object.class);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** Result items (Bolt's JSON shape) back into a ResultSet, for printing. */
    @SuppressWarnings("unchecked")
    static ResultSet resultSet(String itemsJson) {
      List<Result> results = new ArrayList<>();
      for (Object o : (List<Object>) parse(itemsJson)) {
        Map<String, Object> item = (Map<String, Object>) o;
        Map<String, Object> value = new LinkedHashMap<>((Map<String, Object>) item.getOrDefault("value", Map.of()));
        ErrorInfo error = null;
        if (value.remove("_error") instanceof Map<?, ?> e) {
          Map<String, Object> em = (Map<String, Object>) e;
          error = new ErrorInfo(String.valueOf(em.get("kind")), String.valueOf(em.get("msg")),
              em.get("details") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of(), (String) em.get("issue_code"));
        } else if ("failure".equals(item.get("status"))) {
          error = ErrorInfo.of("bolt/error", "failed");
        }
        results.add(new Result(String.valueOf(item.get("target")), String.valueOf(item.get("action")),
            String.valueOf(item.get("object")), value, error, 0, 1));
      }
      return new ResultSet(results, 0);
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
      description = "List the plans, or show one plan's parameters.")
  static final class Show implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PLAN") String name;

    @Option(names = "--format", paramLabel = "FORMAT", description = "human (default) or json.")
    Options.Format format = Options.Format.human;

    @Mixin Options.ProjectOpts project;

    private final Context ctx;

    Show(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      Project p = Project.discover(ctx.cwd(), project.project, project.inventory, ctx.err());
      ModulePath modules = new ModulePath(p, project.modulepathDirs(ctx.cwd()));
      try (Transports transports = new Transports(SshTransport.Options.DEFAULT);
          PlanRunner runner = new PlanRunner(new PlanHost(p, spec -> List.of(), modules, transports,
              new PlanOutput(ctx.out(), ctx.err(), true, false), 1, 0))) {
        if (name == null) {
          List<List<String>> rows = new ArrayList<>();
          for (Plan plan : Plan.all(p, modules).values()) {
            String d = runner.info(plan).description();
            rows.add(List.of(plan.name(), d == null ? "" : d));
          }
          if (format == Options.Format.json) {
            ctx.out().println(Json.pretty(Map.of("plans", rows, "modulepath", modules.dirs().stream().map(Object::toString).toList())));
          } else {
            Help.table(ctx.out(), rows);
          }
          return Main.OK;
        }
        Plan plan = Plan.find(p, modules, name);
        PlanRunner.Info info = runner.info(plan);
        if (format == Options.Format.json) {
          Map<String, Object> ps = new LinkedHashMap<>();
          if (info.params() != null) {
            info.params().values().forEach(x -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("type", x.type().toString());
              m.put("sensitive", x.sensitive());
              m.put("description", x.description());
              if (x.hasDefault() && !x.sensitive()) {
                m.put("default_value", x.defaultValue());
              }
              ps.put(x.name(), m);
            });
          }
          ctx.out().println(Json.pretty(Map.of("name", plan.name(), "description", info.description() == null ? "" : info.description(),
              "parameters", ps, "file", plan.file().toString())));
          return Main.OK;
        }
        ctx.out().println(plan.name() + (info.description() == null ? "" : " - " + info.description()));
        ctx.out().println();
        ctx.out().println("USAGE:\n  " + Help.usage("jbolt plan run " + plan.name(), info.params()));
        Help.parameters(ctx.out(), info.params());
        ctx.out().println("\nFILE:\n  " + plan.file());
        return Main.OK;
      }
    }
  }
}
