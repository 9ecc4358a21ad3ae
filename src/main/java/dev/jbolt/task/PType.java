package dev.jbolt.task;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Puppet data type, as task metadata and plans declare parameters: {@code String[1]}, {@code
 * Optional[Integer[0, 10]]}, {@code Enum[a, b]}, {@code Struct[{a => String}]}... Values are
 * JSON-shaped Java values: String, Integer/Long/BigInteger, Double/BigDecimal, Boolean, null, List,
 * Map with String keys. {@link #toString()} gives the type back in Puppet's syntax.
 */
public sealed interface PType {
  boolean accepts(Object v);

  /**
   * Whether a missing value is acceptable (Optional, Undef, Any, Data, Variant with one of those).
   */
  default boolean acceptsUndef() {
    return accepts(null);
  }

  static String describe(Object v) {
    if (v == null) {
      return "undef";
    }
    if (v instanceof String) {
      return "a String";
    }
    if (isInteger(v)) {
      return "an Integer";
    }
    if (v instanceof Number) {
      return "a Float";
    }
    if (v instanceof Boolean) {
      return "a Boolean";
    }
    if (v instanceof List<?>) {
      return "an Array";
    }
    if (v instanceof Map<?, ?>) {
      return "a Hash";
    }
    return "a " + v.getClass().getSimpleName();
  }

  static boolean isInteger(Object v) {
    return v instanceof Integer
        || v instanceof Long
        || v instanceof BigInteger
        || v instanceof Short
        || v instanceof Byte;
  }

  static boolean isFloat(Object v) {
    return v instanceof Double || v instanceof Float || v instanceof BigDecimal;
  }

  static String bounds(Object min, Object max, Object defMin, Object defMax) {
    boolean hasMin = min != null && !min.equals(defMin);
    boolean hasMax = max != null && !max.equals(defMax);
    if (!hasMin && !hasMax) {
      return "";
    }
    return "[" + (hasMin ? min : "default") + (hasMax ? ", " + max : "") + "]";
  }

  record Any() implements PType {
    public boolean accepts(Object v) {
      return true;
    }

    public String toString() {
      return "Any";
    }
  }

  /** Data: any JSON value (what task parameters are); Puppet's ScalarData and Scalar are close. */
  record Data(String name) implements PType {
    public boolean accepts(Object v) {
      if (v == null || v instanceof String || v instanceof Boolean || v instanceof Number) {
        return !(name.startsWith("Scalar") && v == null);
      }
      if (name.startsWith("Scalar")) {
        return false;
      }
      if (v instanceof List<?> l) {
        return l.stream().allMatch(this::accepts);
      }
      if (v instanceof Map<?, ?> m) {
        return m.keySet().stream().allMatch(k -> k instanceof String)
            && m.values().stream().allMatch(this::accepts);
      }
      return false;
    }

    public String toString() {
      return name;
    }
  }

  record Undef() implements PType {
    public boolean accepts(Object v) {
      return v == null;
    }

    public String toString() {
      return "Undef";
    }
  }

  record Bool() implements PType {
    public boolean accepts(Object v) {
      return v instanceof Boolean;
    }

    public String toString() {
      return "Boolean";
    }
  }

  record Str(long min, long max) implements PType {
    public boolean accepts(Object v) {
      if (!(v instanceof String s)) {
        return false;
      }
      long n = s.codePointCount(0, s.length());
      return n >= min && n <= max;
    }

    public String toString() {
      return "String" + PType.bounds(min, max, 0L, Long.MAX_VALUE);
    }
  }

  record Int(BigInteger min, BigInteger max) implements PType {
    public boolean accepts(Object v) {
      if (!PType.isInteger(v)) {
        return false;
      }
      BigInteger n = new BigInteger(v.toString());
      return (min == null || n.compareTo(min) >= 0) && (max == null || n.compareTo(max) <= 0);
    }

    public String toString() {
      return "Integer" + PType.bounds(min, max, null, null);
    }
  }

  /** Float, or Numeric when {@code integers} (which takes Integers too). */
  record Num(boolean integers, BigDecimal min, BigDecimal max) implements PType {
    public boolean accepts(Object v) {
      if (!(PType.isFloat(v) || (integers && PType.isInteger(v)))) {
        return false;
      }
      BigDecimal n = new BigDecimal(v.toString());
      return (min == null || n.compareTo(min) >= 0) && (max == null || n.compareTo(max) <= 0);
    }

    public String toString() {
      return (integers ? "Numeric" : "Float") + PType.bounds(min, max, null, null);
    }
  }

  record Enum(List<String> values) implements PType {
    public boolean accepts(Object v) {
      return v instanceof String s && values.contains(s);
    }

    public String toString() {
      return "Enum["
          + values.stream().map(x -> "'" + x + "'").collect(Collectors.joining(", "))
          + "]";
    }
  }

  record Pat(List<Pattern> patterns) implements PType {
    public boolean accepts(Object v) {
      return v instanceof String s
          && (patterns.isEmpty() || patterns.stream().anyMatch(p -> p.matcher(s).find()));
    }

    public String toString() {
      return "Pattern["
          + patterns.stream().map(p -> "/" + p.pattern() + "/").collect(Collectors.joining(", "))
          + "]";
    }
  }

  record Opt(PType of) implements PType {
    public boolean accepts(Object v) {
      return v == null || of.accepts(v);
    }

    public String toString() {
      return "Optional[" + of + "]";
    }
  }

  record NotUndef(PType of) implements PType {
    public boolean accepts(Object v) {
      return v != null && of.accepts(v);
    }

    public String toString() {
      return "NotUndef[" + of + "]";
    }
  }

  record Arr(PType of, long min, long max) implements PType {
    public boolean accepts(Object v) {
      return v instanceof List<?> l
          && l.size() >= min
          && l.size() <= max
          && l.stream().allMatch(of::accepts);
    }

    public String toString() {
      String b =
          min == 0 && max == Long.MAX_VALUE
              ? ""
              : ", " + min + (max == Long.MAX_VALUE ? "" : ", " + max);
      return of instanceof Data d && d.name().equals("Data") && b.isEmpty()
          ? "Array"
          : "Array[" + of + b + "]";
    }
  }

  record Hash(PType key, PType value, long min, long max) implements PType {
    public boolean accepts(Object v) {
      if (!(v instanceof Map<?, ?> m) || m.size() < min || m.size() > max) {
        return false;
      }
      for (var e : m.entrySet()) {
        if (!key.accepts(e.getKey()) || !value.accepts(e.getValue())) {
          return false;
        }
      }
      return true;
    }

    public String toString() {
      return value instanceof Data d && d.name().equals("Data") && min == 0 && max == Long.MAX_VALUE
          ? "Hash"
          : "Hash[" + key + ", " + value + "]";
    }
  }

  /** Struct[{a => T, Optional[b] => T}]: keys marked optional may be missing. */
  record Struct(Map<String, PType> members, Set<String> optionalKeys) implements PType {
    public boolean accepts(Object v) {
      if (!(v instanceof Map<?, ?> m)) {
        return false;
      }
      for (Object k : m.keySet()) {
        if (!members.containsKey(String.valueOf(k))) {
          return false;
        }
      }
      for (var e : members.entrySet()) {
        if (!m.containsKey(e.getKey())) {
          if (!optionalKeys.contains(e.getKey()) && !e.getValue().acceptsUndef()) {
            return false;
          }
        } else if (!e.getValue().accepts(m.get(e.getKey()))) {
          return false;
        }
      }
      return true;
    }

    public String toString() {
      return "Struct[{"
          + members.entrySet().stream()
              .map(
                  e ->
                      (optionalKeys.contains(e.getKey())
                              ? "Optional['" + e.getKey() + "']"
                              : "'" + e.getKey() + "'")
                          + " => "
                          + e.getValue())
              .collect(Collectors.joining(", "))
          + "}]";
    }
  }

  /** Tuple[A, B, min?, max?]: the last type repeats for elements past the listed ones. */
  record Tuple(List<PType> types, long min, long max) implements PType {
    public boolean accepts(Object v) {
      if (!(v instanceof List<?> l) || l.size() < min || l.size() > max) {
        return false;
      }
      for (int i = 0; i < l.size(); i++) {
        if (!types.get(Math.min(i, types.size() - 1)).accepts(l.get(i))) {
          return false;
        }
      }
      return true;
    }

    public String toString() {
      return "Tuple["
          + types.stream().map(Object::toString).collect(Collectors.joining(", "))
          + "]";
    }
  }

  record Variant(List<PType> types) implements PType {
    public boolean accepts(Object v) {
      return types.stream().anyMatch(t -> t.accepts(v));
    }

    public String toString() {
      return "Variant["
          + types.stream().map(Object::toString).collect(Collectors.joining(", "))
          + "]";
    }
  }

  /** Bolt's TargetSpec: a target name or spec string, or a list of them. */
  record TargetSpec() implements PType {
    public boolean accepts(Object v) {
      if (v instanceof String s) {
        return !s.isEmpty();
      }
      return v instanceof List<?> l && l.stream().allMatch(this::accepts);
    }

    public String toString() {
      return "TargetSpec";
    }
  }

  /** Sensitive[T]: a T that is never printed. */
  record Sensitive(PType of) implements PType {
    public boolean accepts(Object v) {
      return of.accepts(v);
    }

    public String toString() {
      return "Sensitive[" + of + "]";
    }
  }
}
