package dev.jbolt.result;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why an action failed on a target, in Bolt's shape: a stable {@code kind} that plans and JSON
 * consumers match on, a one-line {@code msg}, {@code details}, and Bolt's {@code issue_code}.
 */
public record ErrorInfo(String kind, String msg, Map<String, Object> details, String issueCode) {
  public ErrorInfo {
    details = details == null ? Map.of() : details;
  }

  public static ErrorInfo of(String kind, String msg) {
    return new ErrorInfo(kind, msg, Map.of(), null);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", kind);
    m.put("msg", msg);
    m.put("details", details);
    if (issueCode != null) {
      m.put("issue_code", issueCode);
    }
    return m;
  }
}
