package dev.jbolt;

import dev.jbolt.result.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bad input or configuration found before any target is touched: an unknown option, a malformed
 * file, a spec that matches nothing. The message is one line that names the file, line or word at
 * fault; the root command turns it into exit code 2.
 */
public class JboltException extends RuntimeException {
  private String kind = "bolt/cli-error";
  private Map<String, Object> details = Map.of();

  public JboltException(String message) {
    super(oneLine(message));
  }

  /** This error with Bolt's kind for it ({@code bolt/unknown-plan}, ...), for JSON output. */
  public JboltException withKind(String kind) {
    return withKind(kind, details);
  }

  public JboltException withKind(String kind, Map<String, Object> details) {
    this.kind = kind;
    this.details = details;
    return this;
  }

  /** Bolt's kind for this error ({@code bolt/cli-error} unless said otherwise). */
  public String kind() {
    return kind;
  }

  public Map<String, Object> details() {
    return details;
  }

  /** {@link #toMap} as JSON. */
  public String toMapJson() {
    return Json.pretty(toMap());
  }

  /** Bolt's error object: what {@code --format json} prints for an error that is no result. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    m.put("msg", getMessage());
    m.put("details", details);
    return m;
  }

  public JboltException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /**
   * Messages quote what the user wrote, which may hold newlines and control characters: escaped.
   */
  static String oneLine(String message) {
    if (message == null) {
      return "error";
    }
    StringBuilder sb = new StringBuilder(message.length());
    for (char c : message.toCharArray()) {
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
