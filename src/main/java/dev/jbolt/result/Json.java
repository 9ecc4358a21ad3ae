package dev.jbolt.result;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Base64;
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
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    static final ObjectMapper LENIENT =
        new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  }

  /**
   * The mapper for JSON that Bolt reads with Ruby's parser, where the last of a duplicate key wins
   * (task metadata: the Forge's own modules have such keys).
   */
  public static ObjectMapper lenientMapper() {
    return Holder.LENIENT;
  }

  /** A JSON text as plain values (maps, lists, strings, numbers, booleans, null). */
  public static Object parse(String json) {
    try {
      return mapper().readValue(json, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON: " + e.getMessage(), e);
    }
  }

  public static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    new Writer(sb, false).writeUnchecked(value);
    return sb.toString();
  }

  /** Jackson's default pretty format: objects one field a line, arrays on one line. */
  public static String pretty(Object value) {
    StringBuilder sb = new StringBuilder();
    new Writer(sb, true).writeUnchecked(value);
    return sb.toString();
  }

  /**
   * Writes values to an {@link Appendable} as they are walked, {@link Text} streamed from where it
   * lies (memory or a spill file), so that no value is built whole. {@link #abort} closes what is
   * open, so that a write that failed half-way (out of memory, a spill file gone) still leaves
   * valid JSON.
   */
  public static final class Writer {
    private final Appendable out;
    private final boolean pretty;

    /** What is open: '{' and '[' (with whether a key awaits its value), '"'. */
    private final ArrayDeque<char[]> open = new ArrayDeque<>();

    public Writer(Appendable out, boolean pretty) {
      this.out = out;
      this.pretty = pretty;
    }

    public void write(Object value) throws IOException {
      value(value, 0);
    }

    void writeUnchecked(Object value) {
      try {
        write(value);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * Closes what a failed write left open: a string, a key's missing value (null), objects,
     * arrays. Whatever is closed completes the value of the key above it.
     */
    public void abort() throws IOException {
      while (!open.isEmpty()) {
        char[] top = open.pop();
        switch (top[0]) {
          case '"' -> out.append('"');
          case '{' -> out.append(top[1] == 1 ? "null}" : "}");
          default -> out.append(']');
        }
        if (!open.isEmpty() && open.peek()[0] == '{') {
          open.peek()[1] = 0;
        }
      }
    }

    private void value(Object v, int level) throws IOException {
      if (v == null) {
        out.append("null");
      } else if (v instanceof String s) {
        string(s);
      } else if (v instanceof Text t) {
        text(t);
      } else if (v instanceof Text.Base64 b) {
        base64(b.text());
      } else if (v instanceof Boolean
          || v instanceof Integer
          || v instanceof Long
          || v instanceof Short
          || v instanceof Byte
          || v instanceof BigInteger
          || v instanceof BigDecimal) {
        out.append(v.toString());
      } else if (v instanceof Double || v instanceof Float) {
        double d = ((Number) v).doubleValue();
        out.append(Double.isFinite(d) ? v.toString() : "\"" + v + "\"");
      } else if (v instanceof Map<?, ?> m) {
        object(m, level);
      } else if (v instanceof Collection<?> c) {
        array(c.iterator(), c.isEmpty(), level);
      } else if (v instanceof Object[] a) {
        array(Arrays.asList(a).iterator(), a.length == 0, level);
      } else {
        string(String.valueOf(v));
      }
    }

    private void object(Map<?, ?> m, int level) throws IOException {
      if (m.isEmpty()) {
        out.append(pretty ? "{ }" : "{}");
        return;
      }
      out.append('{');
      char[] frame = {'{', 0};
      open.push(frame);
      boolean first = true;
      for (var e : m.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        if (pretty) {
          out.append('\n').append("  ".repeat(level + 1));
        }
        string(String.valueOf(e.getKey()));
        out.append(pretty ? " : " : ":");
        frame[1] = 1;
        value(e.getValue(), level + 1);
        frame[1] = 0;
      }
      if (pretty) {
        out.append('\n').append("  ".repeat(level));
      }
      open.pop();
      out.append('}');
    }

    private void array(Iterator<?> it, boolean empty, int level) throws IOException {
      if (empty) {
        out.append(pretty ? "[ ]" : "[]");
        return;
      }
      out.append(pretty ? "[ " : "[");
      open.push(new char[] {'['});
      boolean first = true;
      while (it.hasNext()) {
        if (!first) {
          out.append(pretty ? ", " : ",");
        }
        first = false;
        value(it.next(), level); // inline arrays do not indent what they hold
      }
      open.pop();
      out.append(pretty ? " ]" : "]");
    }

    private void string(String s) throws IOException {
      out.append('"');
      open.push(new char[] {'"'});
      escape(s);
      open.pop();
      out.append('"');
    }

    private void text(Text t) throws IOException {
      out.append('"');
      open.push(new char[] {'"'});
      t.decode(this::escape);
      open.pop();
      out.append('"');
    }

    private void base64(Text t) throws IOException {
      out.append('"');
      open.push(new char[] {'"'});
      OutputStream chars =
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              out.append((char) b);
            }
          };
      try (OutputStream enc = Base64.getEncoder().wrap(chars);
          InputStream in = t.open()) {
        in.transferTo(enc);
      }
      open.pop();
      out.append('"');
    }

    private void escape(CharSequence s) throws IOException {
      int start = 0;
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        String e =
            switch (c) {
              case '"' -> "\\\"";
              case '\\' -> "\\\\";
              case '\n' -> "\\n";
              case '\r' -> "\\r";
              case '\t' -> "\\t";
              case '\b' -> "\\b";
              case '\f' -> "\\f";
              default -> c < 0x20 ? String.format("\\u%04X", (int) c) : null;
            };
        if (e != null) {
          out.append(s, start, i).append(e);
          start = i + 1;
        }
      }
      out.append(s, start, s.length());
    }
  }
}
