package dev.jbolt.plan;

import dev.jbolt.action.DownloadAction;
import dev.jbolt.exec.TargetAction;

/**
 * {@code download_file(source, destination, targets, ...)}: into
 * PROJECT/downloads/DESTINATION/TARGET/.
 */
final class DownloadFile extends TargetStep {
  DownloadFile(PlanApi api) {
    super(api, "download", "download");
  }

  @Override
  String object(Args a) {
    return a.string("source");
  }

  @Override
  TargetAction action(Args a, Step step) {
    return DownloadAction.of(
        a.string("source"), api.files().downloads(a.string("destination")), step.timeoutMillis());
  }
}
