package dev.jbolt.result;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON for jbolt's values (maps, lists, strings, numbers, booleans, null). Writing is done here,
 * byte for byte as Jackson writes it: Jackson's data binding costs about 470 classes at start-up,
 * more than the rest of a local run. Reading goes through the one configured {@link #mapper()}.
 */
public final class Json {
  private Json() {}

  /** The mapper for reading JSON, made on first use (see the class comment). */
  public static ObjectMapper mapper() {
    return Holder.MAPPER;
  }

  private static final class Holder {
    // A key given twice is refused (task metadata, --params): the second must never silently win.
    static final ObjectMapper MAPPER =
        new ObjectMapper()
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  }

  /** A JSON text as plain values (maps, lists, strings, numbers, booleans, null). */
  public static Object parse(String json) {
    try {
      return mapper().readValue(json, Object.class);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, -1);
    return sb.toString();
  }

  /** Jackson's default pretty format: objects one field a line, arrays on one line. */
  public static String pretty(Object value) {
    StringBuilder sb = new StringBuilder();
    write(sb, value, 0);
    return sb.toString();
  }

  /**
   * @param pretty -1 for compact, else the nesting level of objects
   */
  private static void write(StringBuilder sb, Object v, int pretty) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String s) {
      string(sb, s);
    } else if (v instanceof Boolean
        || v instanceof Integer
        || v instanceof Long
        || v instanceof Short
        || v instanceof Byte
        || v instanceof java.math.BigInteger
        || v instanceof java.math.BigDecimal) {
      sb.append(v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      sb.append(Double.isFinite(d) ? v.toString() : "\"" + v + "\"");
    } else if (v instanceof Map<?, ?> m) {
      object(sb, m, pretty);
    } else if (v instanceof Collection<?> c) {
      array(sb, c.iterator(), c.isEmpty(), pretty);
    } else if (v instanceof Object[] a) {
      array(sb, java.util.Arrays.asList(a).iterator(), a.length == 0, pretty);
    } else {
      string(sb, String.valueOf(v));
    }
  }

  private static void object(StringBuilder sb, Map<?, ?> m, int level) {
    if (m.isEmpty()) {
      sb.append(level < 0 ? "{}" : "{ }");
      return;
    }
    sb.append('{');
    boolean first = true;
    for (var e : m.entrySet()) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      if (level >= 0) {
        sb.append('\n').append("  ".repeat(level + 1));
      }
      string(sb, String.valueOf(e.getKey()));
      sb.append(level < 0 ? ":" : " : ");
      write(sb, e.getValue(), level < 0 ? -1 : level + 1);
    }
    if (level >= 0) {
      sb.append('\n').append("  ".repeat(level));
    }
    sb.append('}');
  }

  private static void array(StringBuilder sb, Iterator<?> it, boolean empty, int level) {
    if (empty) {
      sb.append(level < 0 ? "[]" : "[ ]");
      return;
    }
    sb.append(level < 0 ? "[" : "[ ");
    boolean first = true;
    while (it.hasNext()) {
      if (!first) {
        sb.append(level < 0 ? "," : ", ");
      }
      first = false;
      write(sb, it.next(), level); // inline arrays do not indent what they hold
    }
    sb.append(level < 0 ? "]" : " ]");
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04X", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
