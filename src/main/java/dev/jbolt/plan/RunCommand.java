package dev.jbolt.plan;

import dev.jbolt.action.CommandAction;
import dev.jbolt.exec.TargetAction;

/** {@code run_command(command, targets, [description], [options])}. */
final class RunCommand extends TargetStep {
  RunCommand(PlanApi api) {
    super(api, "command", "command");
  }

  @Override
  String object(Args a) {
    return a.string("command");
  }

  @Override
  TargetAction action(Args a, Step step) {
    return CommandAction.run(a.string("command"), step.env(), step.timeoutMillis(), step.streams());
  }
}
