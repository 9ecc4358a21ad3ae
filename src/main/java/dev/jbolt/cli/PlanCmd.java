package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.output.PlanOutput;
import dev.jbolt.plan.Plan;
import dev.jbolt.plan.PlanFailure;
import dev.jbolt.plan.PlanRunner;
import dev.jbolt.plan.yaml.YamlPlan;
import dev.jbolt.result.Json;
import dev.jbolt.session.Console;
import dev.jbolt.session.RunOptions;
import dev.jbolt.session.Session;
import dev.jbolt.task.Params;
import dev.jbolt.task.TaskParams;
import java.nio.file.Path;
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

@Command(
    name = "plan",
    description = "Run and list plans: JavaScript that orchestrates tasks and commands.",
    mixinStandardHelpOptions = true,
    subcommands = {PlanCmd.RunCmd.class, PlanCmd.Show.class, PlanCmd.Convert.class})
final class PlanCmd {
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Run PLAN with parameters given as key=value or with --params; -t (or --rerun) fills its 'targets'"
              + " parameter.")
  static final class RunCmd implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAN")
    String name;

    @Parameters(index = "1..*", paramLabel = "KEY=VALUE")
    List<String> pairs = new ArrayList<>();

    @Option(
        names = "--params",
        paramLabel = "JSON",
        description = "Parameters as a JSON object, @FILE.json, or - for stdin.")
    String params;

    @Mixin Options.TargetOpts targets;
    @Mixin Options.RunOpts run;
    @Mixin Options.ExecOpts exec;
    @Mixin Options.ConnectOpts connect;
    @Mixin Options.ProjectOpts project;

    private final Console ctx;

    RunCmd(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      if ("-".equals(params)) {
        targets.oneReaderOfStdin("--params -");
      }
      try (Session s = Session.open(ctx, project.options(), connect.options(), run.options(exec))) {
        boolean json = s.format() == RunOptions.Format.json;
        PlanOutput out = new PlanOutput(ctx.out(), ctx.err(), json, run.verbose);
        try (PlanRunner runner = new PlanRunner(s, out)) {
          Plan plan = Plan.find(s.project(), s.modules(), name);
          PlanRunner.Info info = runner.info(plan);
          Map<String, Object> given =
              TaskParams.parse(pairs, params, ctx.cwd(), ctx.in(), info.params());
          String spec = s.spec(targets.targets, targets.rerun);
          if (spec != null) {
            // As Bolt: --targets fills 'targets', or 'nodes' in an older plan that has only that.
            String param =
                info.params() != null
                        && !info.params().containsKey("targets")
                        && info.params().containsKey("nodes")
                    ? "nodes"
                    : "targets";
            if (given.containsKey(param)) {
              throw new JboltException(
                  "give the plan's "
                      + param
                      + " either with --targets or as "
                      + param
                      + "=..., not both");
            }
            if (info.params() == null || !info.params().containsKey(param)) {
              throw new JboltException(
                  "plan "
                      + plan.name()
                      + " has no 'targets' parameter for --targets (declare it in"
                      + " the plan's params to take targets from the command line)");
            }
            given.put(param, spec);
          }
          Map<String, Object> values = Params.validate("plan " + plan.name(), info.params(), given);
          out.step("Starting: plan " + plan.name());
          long t0 = System.nanoTime();
          PlanRunner.Outcome o = runner.run(plan, values);
          out.step(
              String.format(
                  Locale.ROOT,
                  "Finished: plan %s in %.2f s",
                  plan.name(),
                  (System.nanoTime() - t0) / 1e9));
          return report(o, s, json);
        }
      }
    }

    private int report(PlanRunner.Outcome o, Session s, boolean json) {
      PlanFailure f = o.failure();
      if (f != null) {
        if (json) {
          ctx.out().println(Json.pretty(f.toMap()));
        } else {
          if (f.resultSet() != null) {
            s.print(f.resultSet(), true);
          }
          ctx.err()
              .println("jbolt: plan " + name + " failed (" + f.kind() + "): " + f.getMessage());
        }
        if (f.resultSet() != null) {
          s.writeRerun(f.resultSet());
        }
        return Main.FAILED;
      }
      if (o.resultSet() != null) {
        s.writeRerun(o.resultSet());
      }
      if (json) {
        ctx.out().println(o.valueJson());
      } else if (o.resultSet() != null) {
        s.print(o.resultSet(), true);
      } else if (o.valueJson().equals("null")) {
        ctx.out().println("Plan completed successfully with no result");
      } else {
        ctx.out().println(Json.pretty(Json.parse(o.valueJson())));
      }
      return Main.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "List the plans, or show one plan's parameters.")
  static final class Show extends ShowCmd {
    @Parameters(index = "0", arity = "0..1", paramLabel = "PLAN")
    String name;

    @Mixin ListOpts listing;

    Show(Console ctx) {
      super(ctx);
    }

    @Override
    void show(Session s) {
      try (PlanRunner runner =
          new PlanRunner(s, new PlanOutput(ctx.out(), ctx.err(), true, false))) {
        if (name == null) {
          list(s, runner);
        } else {
          one(Plan.find(s.project(), s.modules(), name), runner);
        }
      }
    }

    /**
     * Every plan, each with its description; one that cannot be read is listed as broken, with why.
     */
    private void list(Session s, PlanRunner runner) {
      List<List<String>> rows = new ArrayList<>();
      Map<String, String> broken = new LinkedHashMap<>();
      for (Plan plan : Plan.all(s.project(), s.modules()).values()) {
        if (!listing.listed(plan.name(), s.project(), "plans")) {
          continue;
        }
        try {
          PlanRunner.Info info = runner.info(plan);
          if (!info.isPrivate()) {
            rows.add(List.of(plan.name(), info.description() == null ? "" : info.description()));
          }
        } catch (JboltException e) {
          broken.put(plan.name(), e.getMessage());
          String mark =
              e.getMessage().contains("Puppet-language code") ? "(needs Puppet) " : "(broken) ";
          rows.add(List.of(plan.name(), mark + e.getMessage()));
        }
      }
      if (json()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("plans", rows);
        out.put("modulepath", s.modules().dirs().stream().map(Object::toString).toList());
        if (!broken.isEmpty()) {
          out.put("broken", broken);
        }
        ctx.out().println(Json.pretty(out));
      } else {
        Help.table(ctx.out(), rows);
      }
    }

    private void one(Plan plan, PlanRunner runner) {
      PlanRunner.Info info = runner.info(plan);
      if (json()) {
        Map<String, Object> ps = new LinkedHashMap<>();
        if (info.params() != null) {
          info.params()
              .values()
              .forEach(
                  x -> {
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
        ctx.out()
            .println(
                Json.pretty(
                    Map.of(
                        "name",
                        plan.name(),
                        "description",
                        info.description() == null ? "" : info.description(),
                        "parameters",
                        ps,
                        "file",
                        plan.file().toString())));
        return;
      }
      ctx.out()
          .println(plan.name() + (info.description() == null ? "" : " - " + info.description()));
      ctx.out().println();
      ctx.out().println("USAGE:\n  " + Help.usage("jbolt plan run " + plan.name(), info.params()));
      Help.parameters(ctx.out(), info.params());
      ctx.out().println("\nFILE:\n  " + plan.file());
    }
  }

  @Command(
      name = "convert",
      mixinStandardHelpOptions = true,
      description =
          "Print the JavaScript plan a Bolt YAML plan stands for: the way forward once a plan"
              + " outgrows YAML.")
  static final class Convert implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAN.yaml", description = "The YAML plan's file.")
    String file;

    private final Console ctx;

    Convert(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      Path path = ctx.cwd().resolve(file);
      if (!file.endsWith(".yaml")) {
        throw new JboltException(file + ": a YAML plan's file ends in .yaml");
      }
      ctx.out().print(YamlPlan.read(path, file).javascript());
      return Main.OK;
    }
  }
}
