package dev.jbolt.plan;

import dev.jbolt.action.ScriptAction;
import dev.jbolt.exec.TargetAction;

/**
 * {@code run_script(script, targets, [description], {arguments: [...]})}: a file of the project or
 * a module.
 */
final class RunScript extends TargetStep {
  RunScript(PlanApi api) {
    super(api, "script", "script");
  }

  @Override
  String object(Args a) {
    return a.string("script");
  }

  @Override
  TargetAction action(Args a, Step step) {
    return ScriptAction.run(
        api.files().local(a.string("script")),
        a.opts().strings("arguments"),
        step.env(),
        step.timeoutMillis(),
        step.streams());
  }
}
