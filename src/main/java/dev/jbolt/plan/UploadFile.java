package dev.jbolt.plan;

import dev.jbolt.action.UploadAction;
import dev.jbolt.exec.TargetAction;

/** {@code upload_file(source, destination, targets, [description], [options])}. */
final class UploadFile extends TargetStep {
  UploadFile(PlanApi api) {
    super(api, "upload", "upload");
  }

  @Override
  String object(Args a) {
    return a.string("source");
  }

  @Override
  TargetAction action(Args a, Step step) {
    return UploadAction.of(
        api.files().local(a.string("source")),
        a.string("source"),
        a.string("destination"),
        step.timeoutMillis());
  }
}
