package dev.jbolt.result;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of one action on one target. {@code value} holds the action's data (for a command:
 * stdout, stderr, merged_output, exit_code); {@code error} is null on success. {@link #toMap()}
 * gives Bolt's JSON shape, with the error as {@code value._error}.
 */
public record Result(
    String target,
    String action,
    String object,
    Map<String, Object> value,
    ErrorInfo error,
    long elapsedMillis,
    int attempts) {

  public Result {
    value = value == null ? Map.of() : value;
  }

  public static Result failure(
      String target, String action, String object, ErrorInfo error, long elapsedMillis) {
    return new Result(target, action, object, Map.of(), error, elapsedMillis, 1);
  }

  public boolean ok() {
    return error == null;
  }

  public String status() {
    return ok() ? "success" : "failure";
  }

  public Result withAttempts(int n) {
    return new Result(target, action, object, value, error, elapsedMillis, n);
  }

  /** Bolt's JSON shape for one item. */
  public Map<String, Object> toMap() {
    Map<String, Object> v = new LinkedHashMap<>(value);
    if (error != null) {
      v.put("_error", error.toMap());
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("target", target);
    m.put("action", action);
    m.put("object", object);
    m.put("status", status());
    m.put("value", v);
    return m;
  }

  /**
   * A result from {@link #toMap}'s shape (a plan's ResultSet, back from JavaScript): the error from
   * {@code value._error}; {@code elapsed_ms} and {@code attempts} beside Bolt's keys, when there,
   * else 0 and 1.
   */
  @SuppressWarnings("unchecked")
  public static Result fromMap(Map<String, Object> item) {
    Map<String, Object> value =
        new LinkedHashMap<>(
            item.get("value") instanceof Map<?, ?> v ? (Map<String, Object>) v : Map.of());
    ErrorInfo error = null;
    if (value.remove("_error") instanceof Map<?, ?> e) {
      Map<String, Object> em = (Map<String, Object>) e;
      error =
          new ErrorInfo(
              String.valueOf(em.get("kind")),
              String.valueOf(em.get("msg")),
              em.get("details") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of(),
              em.get("issue_code") instanceof String ic ? ic : null);
    } else if ("failure".equals(item.get("status"))) {
      error = ErrorInfo.of("bolt/error", "failed");
    }
    long elapsed = item.get("elapsed_ms") instanceof Number n ? n.longValue() : 0;
    int attempts = item.get("attempts") instanceof Number n ? n.intValue() : 1;
    return new Result(
        String.valueOf(item.get("target")),
        String.valueOf(item.get("action")),
        String.valueOf(item.get("object")),
        value,
        error,
        elapsed,
        attempts);
  }

  /** {@link #toMap}, with {@code elapsed_ms} and {@code attempts} beside (for {@link #fromMap}). */
  public Map<String, Object> toMapWithTiming() {
    Map<String, Object> m = toMap();
    m.put("elapsed_ms", elapsedMillis);
    m.put("attempts", attempts);
    return m;
  }

  /** A string field of the value, or "" when absent. */
  public String text(String key) {
    Object o = value.get(key);
    return o == null ? "" : String.valueOf(o);
  }
}
