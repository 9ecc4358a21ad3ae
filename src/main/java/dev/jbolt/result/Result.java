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

  public static Result failure(String target, String action, String object, ErrorInfo error, long elapsedMillis) {
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

  /** A string field of the value, or "" when absent. */
  public String text(String key) {
    Object o = value.get(key);
    return o == null ? "" : String.valueOf(o);
  }
}
