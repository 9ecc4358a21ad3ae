package dev.jbolt.cli;

import dev.jbolt.action.Streams;
import dev.jbolt.inventory.Target;
import dev.jbolt.project.Project;
import dev.jbolt.result.Json;
import dev.jbolt.session.Console;
import dev.jbolt.session.Session;
import dev.jbolt.session.Work;
import dev.jbolt.task.ModulePath;
import dev.jbolt.task.Task;
import dev.jbolt.task.TaskMetadata;
import dev.jbolt.task.TaskParams;
import dev.jbolt.task.TaskRun;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "task",
    description = "Run and list tasks: scripts with typed parameters, as in Bolt.",
    mixinStandardHelpOptions = true,
    subcommands = {TaskCmd.RunCmd.class, TaskCmd.Show.class})
final class TaskCmd {
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "Run TASK on every target with parameters given as key=value or with --params.")
  static final class RunCmd implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "TASK",
        description = "module::task, or module for module::init.")
    String name;

    @Parameters(
        index = "1..*",
        paramLabel = "KEY=VALUE",
        description = "Parameters; values are JSON where the type is not a string.")
    List<String> pairs = new ArrayList<>();

    @Option(
        names = "--params",
        paramLabel = "JSON",
        description = "Parameters as a JSON object, @FILE.json, or - for stdin.")
    String params;

    @Option(
        names = "--noop",
        description = "Ask the task to change nothing (only for tasks that support it).")
    boolean noop;

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
        Task task = Task.load(s.modules(), name);
        Map<String, Object> values =
            task.validate(
                TaskParams.parse(pairs, params, ctx.cwd(), ctx.in(), task.metadata().parameters()));
        List<Target> ts = s.targets(targets.targets, targets.rerun, false);
        Streams out = s.streams(ts);
        try (TaskRun action =
            new TaskRun(task, s.modules(), values, noop, s.env(), s.timeoutMillis(), out)) {
          action.prepare(ts).warnings().forEach(w -> ctx.err().println("jbolt: warning: " + w));
          return Main.exitCode(s.run(new Work("task", task.name(), ts, action.action(), out)));
        }
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "List the tasks on the modulepath, or show one task's parameters.")
  static final class Show extends ShowCmd {
    @Parameters(index = "0", arity = "0..1", paramLabel = "TASK")
    String name;

    @Mixin ListOpts listing;

    Show(Console ctx) {
      super(ctx);
    }

    @Override
    void show(Session s) {
      if (name == null) {
        list(s.modules(), s.project());
      } else {
        one(Task.load(s.modules(), name));
      }
    }

    private void list(ModulePath path, Project proj) {
      List<List<String>> rows = new ArrayList<>();
      List<List<String>> listed = new ArrayList<>(); // JSON: null for no description, as Bolt
      Task.all(path)
          .forEach(
              (n, t) -> {
                if (t.problem() != null) {
                  ctx.err().println("jbolt: warning: " + t.problem() + "; it fails when run");
                }
                if (!t.metadata().isPrivate() && listing.listed(n, proj, "tasks")) {
                  String d = t.metadata().description();
                  rows.add(List.of(n, d == null ? "" : d));
                  listed.add(Arrays.asList(n, d));
                }
              });
      if (json()) {
        ctx.out()
            .println(
                Json.pretty(
                    Map.of(
                        "tasks",
                        listed,
                        "modulepath",
                        path.dirs().stream().map(Object::toString).toList())));
        return;
      }
      Help.table(ctx.out(), rows);
      if (rows.isEmpty()) {
        ctx.out().println("No tasks on the modulepath " + path.dirs());
      }
    }

    private void one(Task t) {
      TaskMetadata m = t.metadata();
      if (json()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", t.name());
        out.put(
            "files",
            t.executables().entrySet().stream()
                .map(e -> Map.of("name", e.getKey(), "path", e.getValue().toString()))
                .toList());
        out.put("metadata", m.raw());
        out.put("module_dir", t.moduleDir().toString());
        ctx.out().println(Json.pretty(out));
        return;
      }
      ctx.out().println(t.name() + (m.description() == null ? "" : " - " + m.description()));
      ctx.out().println();
      ctx.out()
          .println(
              "USAGE:\n  "
                  + Help.usage("jbolt task run " + t.name(), m.parameters())
                  + " -t <targets>"
                  + (m.supportsNoop() ? " [--noop]" : ""));
      Help.parameters(ctx.out(), m.parameters());
      ctx.out().println();
      ctx.out().println("MODULE:\n  " + t.moduleDir());
    }
  }
}
