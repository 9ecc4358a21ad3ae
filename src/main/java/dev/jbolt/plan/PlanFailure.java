package dev.jbolt.plan;

import dev.jbolt.JboltException;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;

/** A plan that failed: Bolt's error shape, and where in the plan when it was a JS error. */
public final class PlanFailure extends RuntimeException {
  private final String kind;
  private final Map<String, Object> details;
  private final ResultSet resultSet;

  PlanFailure(String kind, String msg, Map<String, Object> details) {
    this(kind, msg, details, null);
  }

  PlanFailure(String kind, String msg, Map<String, Object> details, ResultSet resultSet) {
    super(msg);
    this.kind = kind;
    this.details = details;
    this.resultSet = resultSet;
  }

  public String kind() {
    return kind;
  }

  /** The results of the step that failed the plan, with their timing; null when no step did. */
  public ResultSet resultSet() {
    return resultSet;
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    m.put("msg", getMessage());
    m.put("details", details);
    return m;
  }

  /**
   * The failure a JavaScript exception stands for: a PlanError's kind, message, details and step
   * results ({@code error}, as the prelude gives it, or null), a JboltException's message, or a
   * JavaScript error with the plan's file and line.
   */
  @SuppressWarnings("unchecked")
  static PlanFailure of(PolyglotException e, Map<String, Object> error, Plan plan) {
    if (error != null) {
      Map<String, Object> details =
          error.get("details") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
      return new PlanFailure(
          String.valueOf(error.get("kind")),
          String.valueOf(error.get("msg")),
          details,
          error.get("_resultset") instanceof Map<?, ?> rs ? resultSet(rs) : null);
    }
    if (e.isHostException() && e.asHostException() instanceof JboltException je) {
      String kind = je.kind().equals("bolt/cli-error") ? "bolt/plan-failure" : je.kind();
      return new PlanFailure(kind, je.getMessage(), je.details());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    SourceSection at = location(e, plan);
    if (at != null) {
      details.put("file", plan.file().toString());
      details.put("line", at.getStartLine());
    }
    // An error of the plan's own code (a TypeError, a ReferenceError), as Bolt's evaluation error.
    return new PlanFailure(
        "bolt/evaluation-error", where(e, plan) + ": " + e.getMessage(), details);
  }

  /** The innermost frame of the plan's own file. */
  private static SourceSection location(PolyglotException e, Plan plan) {
    if (e.getSourceLocation() != null
        && plan.file().toString().equals(e.getSourceLocation().getSource().getName())) {
      return e.getSourceLocation();
    }
    for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
      SourceSection s = f.getSourceLocation();
      if (s != null && plan.file().toString().equals(s.getSource().getName())) {
        return s;
      }
    }
    return null;
  }

  static String where(PolyglotException e, Plan plan) {
    SourceSection s = location(e, plan);
    return plan.file() + (s == null ? "" : ":" + s.getStartLine());
  }

  /**
   * A result set as the prelude writes it: Bolt's items with their timing, and the step's elapsed
   * time.
   */
  @SuppressWarnings("unchecked")
  static ResultSet resultSet(Map<?, ?> json) {
    List<Result> results = new ArrayList<>();
    if (json.get("items") instanceof List<?> items) {
      items.forEach(i -> results.add(Result.fromMap((Map<String, Object>) i)));
    }
    return new ResultSet(
        results,
        json.get("elapsed_ms") instanceof Number n
            ? n.longValue()
            : results.stream().mapToLong(Result::elapsedMillis).max().orElse(0));
  }
}
