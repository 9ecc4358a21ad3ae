package dev.jbolt.task;

import dev.jbolt.JboltException;
import dev.jbolt.result.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Typed parameters of tasks and plans: checked, completed with defaults, before anything runs. */
public final class Params {
  private Params() {}

  /**
   * Checks {@code given} against {@code declared} (null: anything goes): unknown parameters are
   * refused, missing required ones too, defaults are filled in. A bad value is bad input, named
   * with the expected type and the value (unless the parameter is sensitive).
   */
  /** Bolt's metaparameters: accepted by every task and plan without being declared. */
  static final Set<String> METAPARAMETERS =
      Set.of("_task", "_noop", "_run_as", "_catch_errors", "_env_vars", "_installdir");

  public static Map<String, Object> validate(
      String what, Map<String, TaskMetadata.Param> declared, Map<String, Object> given) {
    if (declared == null) {
      return new LinkedHashMap<>(given);
    }
    // Everything wrong is named at once, as Bolt does: unknown, mistyped and missing parameters.
    List<String> problems = new ArrayList<>();
    String unknown = unknown(declared, given);
    if (unknown != null) {
      problems.add(unknown);
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
        problems.add(
            "parameter '"
                + p.name()
                + "' expects "
                + p.type()
                + ", got "
                + (p.sensitive() ? "a value (sensitive, not shown)" : show(v)));
      }
      out.put(p.name(), v);
    }
    if (!missing.isEmpty()) {
      problems.add(
          "missing required parameter"
              + (missing.size() > 1 ? "s " : " ")
              + String.join(", ", missing));
    }
    if (!problems.isEmpty()) {
      throw new JboltException(what + ": " + String.join("; ", problems))
          .withKind("bolt/pal-error");
    }
    given.forEach(
        (k, v) -> {
          if (METAPARAMETERS.contains(k) && !declared.containsKey(k)) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** The problem of parameters given that are not declared (nor metaparameters); null: none. */
  private static String unknown(
      Map<String, TaskMetadata.Param> declared, Map<String, Object> given) {
    List<String> unknown = new ArrayList<>();
    for (String k : given.keySet()) {
      if (!declared.containsKey(k) && !METAPARAMETERS.contains(k)) {
        unknown.add("'" + k + "'");
      }
    }
    if (unknown.isEmpty()) {
      return null;
    }
    return "unknown parameter"
        + (unknown.size() > 1 ? "s " : " ")
        + String.join(", ", unknown)
        + " (it takes: "
        + (declared.isEmpty() ? "none" : String.join(", ", declared.keySet()))
        + ")";
  }

  private static String show(Object v) {
    String json = Json.write(v);
    return (json.length() > 80 ? json.substring(0, 77) + "..." : json)
        + " ("
        + PType.describe(v)
        + ")";
  }
}
