package dev.jbolt.task;

import dev.jbolt.JboltException;
import dev.jbolt.result.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed parameters of tasks and plans: checked, completed with defaults, before anything runs. */
public final class Params {
  private Params() {}

  /**
   * Checks {@code given} against {@code declared} (null: anything goes): unknown parameters are
   * refused, missing required ones too, defaults are filled in. A bad value is bad input, named
   * with the expected type and the value (unless the parameter is sensitive).
   */
  public static Map<String, Object> validate(
      String what, Map<String, TaskMetadata.Param> declared, Map<String, Object> given) {
    if (declared == null) {
      return new LinkedHashMap<>(given);
    }
    for (String k : given.keySet()) {
      if (!declared.containsKey(k)) {
        throw new JboltException(
            what
                + ": unknown parameter '"
                + k
                + "' (it takes: "
                + (declared.isEmpty() ? "none" : String.join(", ", declared.keySet()))
                + ")");
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (TaskMetadata.Param p : declared.values()) {
      Object v = given.get(p.name());
      if (v == null && p.hasDefault()) {
        v = p.defaultValue();
      }
      if (v == null && !given.containsKey(p.name()) && !p.hasDefault()) {
        if (!p.type().acceptsUndef()) {
          missing.add(p.name() + " (" + p.type() + ")");
        }
        continue;
      }
      if (!p.type().accepts(v)) {
        throw new JboltException(
            what
                + ": parameter '"
                + p.name()
                + "' expects "
                + p.type()
                + ", got "
                + (p.sensitive() ? "a value (sensitive, not shown)" : show(v)));
      }
      out.put(p.name(), v);
    }
    if (!missing.isEmpty()) {
      throw new JboltException(
          what
              + ": missing required parameter"
              + (missing.size() > 1 ? "s " : " ")
              + String.join(", ", missing));
    }
    return out;
  }

  private static String show(Object v) {
    String json = Json.write(v);
    return (json.length() > 80 ? json.substring(0, 77) + "..." : json)
        + " ("
        + PType.describe(v)
        + ")";
  }
}
