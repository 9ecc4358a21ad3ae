package dev.jbolt.plan;

import dev.jbolt.exec.TargetAction;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.result.Result;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.TransportException;
import java.util.Map;

/**
 * {@code wait_until_available(targets, {wait_time, retry_interval})}: tries each target until it
 * answers or {@code wait_time} (default 120 s) has passed.
 */
final class WaitUntilAvailable extends TargetStep {
  WaitUntilAvailable(PlanApi api) {
    super(api, "wait_until_available", "wait_until_available");
  }

  @Override
  String object(Args a) {
    return "wait_until_available";
  }

  @Override
  String title(Args a) {
    return "wait until available";
  }

  @Override
  TargetAction action(Args a, Step step) {
    long waitMillis = (long) (a.opts().number("wait_time", 120) * 1000);
    long intervalMillis = (long) (a.opts().number("retry_interval", 1) * 1000);
    return (t, c) -> {
      long start = System.nanoTime();
      while (true) {
        try {
          Exec.run(c, "true", null, Math.max(intervalMillis, 10_000), null);
          return new Result(
              t.safeName(),
              "wait_until_available",
              "wait_until_available",
              Map.of(),
              null,
              (System.nanoTime() - start) / 1_000_000,
              1);
        } catch (TransportException e) {
          long elapsed = (System.nanoTime() - start) / 1_000_000;
          if (e.kind() == ErrorKind.CANCELLED || elapsed >= waitMillis) {
            return Result.failure(
                t.safeName(),
                "wait_until_available",
                "wait_until_available",
                ErrorKind.WAIT_UNTIL_AVAILABLE.error(
                    "not available after " + elapsed / 1000 + " s: " + e.getMessage(),
                    Map.of("last_error", e.toError().toMap())),
                elapsed);
          }
          try {
            Thread.sleep(intervalMillis);
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw TransportException.cancelled("cancelled while waiting for the target", ie);
          }
        }
      }
    };
  }
}
