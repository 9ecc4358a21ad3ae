package dev.jbolt.plan;

import dev.jbolt.JboltException;
import dev.jbolt.action.Streams;
import dev.jbolt.exec.TargetAction;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.Json;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import dev.jbolt.session.Work;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plan function that runs an action on targets (run_command, run_task, upload_file, ...): the
 * targets resolved (with {@code _run_as}), the step's options, Starting/Finished lines, the run on
 * the session's executor and pool, and the result set back as JSON. Subclasses say only what the
 * action is.
 */
abstract class TargetStep implements PlanFunction {
  final PlanApi api;
  private final String name;
  private final String action;

  TargetStep(PlanApi api, String name, String action) {
    this.api = api;
    this.name = name;
    this.action = action;
  }

  /** What this step's results name as their object: the command, the task, the path. */
  abstract String object(Args a);

  /** The action to run; resources it needs until the step ends go to {@code step.closing()}. */
  abstract TargetAction action(Args a, Step step) throws Exception;

  /** How the Starting line names the step. */
  String title(Args a) {
    return action + " '" + object(a) + "'";
  }

  /**
   * What the action of a step needs: its targets, time limit, environment, streams; what to close
   * after.
   */
  record Step(
      List<Target> targets,
      long timeoutMillis,
      Map<String, String> env,
      Streams streams,
      List<AutoCloseable> closing) {}

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final Object call(Args a) {
    Args opts = a.opts();
    List<Target> targets = api.targets(a.strings("targets"), opts.optionalString("run_as"));
    Map<String, String> env = new LinkedHashMap<>(api.session().env());
    opts.object("env_vars")
        .forEach((k, v) -> env.put(k, v instanceof String s ? s : Json.write(v)));
    Step step =
        new Step(
            targets,
            opts.millis("timeout", api.session().timeoutMillis()),
            env,
            api.session().streams(targets),
            new ArrayList<>());
    try {
      TargetAction fn = action(a, step);
      String title = title(a);
      String description = a.optionalString("description");
      api.output().starting(title, description, targets.stream().map(Target::safeName).toList());
      int limit =
          opts.get("concurrency") instanceof Number n && n.intValue() > 0
              ? n.intValue()
              : api.session().concurrency();
      ResultSet rs =
          api.session().step(new Work(action, object(a), targets, fn, step.streams()), limit);
      api.output().finished(title, description, rs.errorSet().size(), rs.elapsedMillis());
      return json(rs);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new JboltException(name + ": " + e.getMessage(), e);
    } finally {
      for (AutoCloseable c : step.closing()) {
        try {
          c.close();
        } catch (Exception e) {
          // staging dirs: best effort
        }
      }
    }
  }

  /**
   * A result set for the prelude: Bolt's items, with their timing beside, and the step's elapsed
   * time.
   */
  static Map<String, Object> json(ResultSet rs) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", rs.results().stream().map(Result::toMapWithTiming).toList());
    out.put("elapsed_ms", rs.elapsedMillis());
    return out;
  }
}
