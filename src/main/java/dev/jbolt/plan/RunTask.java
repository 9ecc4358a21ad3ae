package dev.jbolt.plan;

import dev.jbolt.exec.TargetAction;
import dev.jbolt.inventory.Target;
import dev.jbolt.task.Task;
import dev.jbolt.task.TaskRun;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code run_task(task, targets, [description], params)} and {@code run_task_with} (parameters per
 * target): staged before anything runs, so a bad task file fails the step, not each target.
 */
final class RunTask extends TargetStep {
  RunTask(PlanApi api) {
    super(api, "task", "task");
  }

  @Override
  String object(Args a) {
    return a.string("task");
  }

  @Override
  TargetAction action(Args a, Step step) {
    Task task = Task.load(api.session().modules(), a.string("task"));
    boolean noop = Boolean.TRUE.equals(a.opts().get("noop"));
    if (a.get("per_target") == null) {
      return prepare(task, a.object("params"), noop, step, step.targets()).action();
    }
    Map<String, TaskRun> runs = new LinkedHashMap<>();
    for (var e : a.object("per_target").entrySet()) {
      List<Target> one = step.targets().stream().filter(t -> t.name().equals(e.getKey())).toList();
      runs.put(
          e.getKey(),
          prepare(
              task,
              Args.object(a.function(), "parameters of " + e.getKey(), e.getValue()),
              noop,
              step,
              one));
    }
    return (t, c) -> runs.get(t.name()).action().run(t, c);
  }

  private TaskRun prepare(
      Task task, Map<String, Object> params, boolean noop, Step step, List<Target> targets) {
    TaskRun run =
        new TaskRun(
            task,
            api.session().modules(),
            task.validate(params),
            noop,
            step.env(),
            step.timeoutMillis(),
            step.streams());
    step.closing().add(run);
    run.prepare(targets).warnings().forEach(w -> api.output().message("warn", w));
    return run;
  }
}
