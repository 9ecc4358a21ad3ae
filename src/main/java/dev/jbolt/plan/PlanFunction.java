package dev.jbolt.plan;

/**
 * One function of the plan API (run_command, get_targets, ...), called from the JavaScript prelude
 * with its arguments as JSON; what it returns goes back as JSON. One class each, behind the one
 * registry of {@link PlanApi}.
 */
interface PlanFunction {
  /** The name the prelude calls it by. */
  String name();

  /** Does the work; the value is written as JSON for the prelude. */
  Object call(Args args);
}
