package dev.jbolt.plan;

import dev.jbolt.Cancelled;
import dev.jbolt.output.PlanOutput;
import java.util.List;
import java.util.Map;

/** The plan functions that are neither steps nor about targets: messages, sleep, sub-plans. */
final class OtherFunctions {
  private OtherFunctions() {}

  /** {@code out.message}, {@code out.verbose}, {@code log.*}: to PlanOutput, by level. */
  static final class Message implements PlanFunction {
    private final PlanOutput output;

    Message(PlanOutput output) {
      this.output = output;
    }

    @Override
    public String name() {
      return "message";
    }

    @Override
    public Object call(Args a) {
      output.message(a.string("level"), a.string("text"));
      return null;
    }
  }

  /** {@code ctrl.sleep(seconds)}: a job of its own in an async plan, so other branches go on. */
  static final class Sleep implements PlanFunction {
    @Override
    public String name() {
      return "sleep";
    }

    @Override
    public Object call(Args a) {
      try {
        Thread.sleep((long) (a.number("seconds", 0) * 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Cancelled("interrupted");
      }
      return Map.of("items", List.of());
    }
  }

  /**
   * {@code run_plan(name, params)}: a sub-plan in its own context, on this run's session and pool;
   * with {@code _run_as}, its steps run as that user unless they say otherwise.
   */
  static final class RunPlan implements PlanFunction {
    private final PlanRunner runner;

    RunPlan(PlanRunner runner) {
      this.runner = runner;
    }

    @Override
    public String name() {
      return "run_plan";
    }

    @Override
    public Object call(Args a) {
      return runner.runNested(a.string("name"), a.object("params"), a.optionalString("run_as"));
    }
  }
}
