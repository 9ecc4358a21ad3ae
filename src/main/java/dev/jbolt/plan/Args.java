package dev.jbolt.plan;

import dev.jbolt.JboltException;
import dev.jbolt.result.Json;
import java.util.List;
import java.util.Map;

/** The arguments of one plan function call: JSON from the prelude, read with types. */
record Args(String function, Map<String, Object> map) {
  String string(String key) {
    Object v = map.get(key);
    if (!(v instanceof String s)) {
      throw new JboltException(function + ": '" + key + "' must be a string, not " + Json.write(v));
    }
    return s;
  }

  String optionalString(String key) {
    return map.get(key) == null ? null : string(key);
  }

  /** A list of strings, or one string as a list of one. */
  List<String> strings(String key) {
    Object v = map.get(key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof String s) {
      return List.of(s);
    }
    if (v instanceof List<?> l) {
      return l.stream().map(String::valueOf).toList();
    }
    throw new JboltException(
        function + ": '" + key + "' must be a list of strings, not " + Json.write(v));
  }

  Map<String, Object> object(String key) {
    return object(function, "'" + key + "'", map.get(key));
  }

  /** {@code v} as a JSON object (none: an empty one); {@code what} names it in the error. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> object(String function, String what, Object v) {
    if (v == null) {
      return Map.of();
    }
    if (!(v instanceof Map<?, ?> m)) {
      throw new JboltException(function + ": " + what + " must be an object, not " + Json.write(v));
    }
    return (Map<String, Object>) m;
  }

  /** The step's options ({@code _run_as}, {@code _catch_errors}, ... without their underscore). */
  Args opts() {
    return new Args(function, object("opts"));
  }

  Object get(String key) {
    return map.get(key);
  }

  /** A number of seconds above 0, as milliseconds rounded up; {@code dflt} when not given. */
  long millis(String key, long dflt) {
    Object v = map.get(key);
    if (v == null) {
      return dflt;
    }
    if (!(v instanceof Number n) || !(n.doubleValue() > 0)) {
      throw new JboltException(
          function
              + ": the "
              + key
              + " option must be a number of seconds above 0, not "
              + Json.write(v));
    }
    return (long) Math.ceil(n.doubleValue() * 1000);
  }

  double number(String key, double dflt) {
    return map.get(key) instanceof Number n ? n.doubleValue() : dflt;
  }
}
