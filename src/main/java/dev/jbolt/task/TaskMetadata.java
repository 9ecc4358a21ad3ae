package dev.jbolt.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jbolt.JboltException;
import dev.jbolt.result.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A task's metadata ({@code task.json}), every key of Bolt's "Task metadata" reference:
 * description, parameters, input_method, supports_noop, private, files, implementations, remote,
 * extensions, identifiers, puppet_task_version. Other keys are kept, and named by {@link
 * #unknownKeys} (Bolt warns about them too).
 *
 * @param parameters null when the metadata declares none: then any parameter is accepted
 */
public record TaskMetadata(
    String description,
    Map<String, Param> parameters,
    String inputMethod,
    boolean supportsNoop,
    boolean isPrivate,
    List<String> files,
    List<Implementation> implementations,
    Map<String, Object> raw) {

  public static final TaskMetadata NONE =
      new TaskMetadata(null, null, null, false, false, List.of(), List.of(), Map.of());

  /** {@code powershell} (named arguments) is accepted, for implementations Windows targets run. */
  static final Set<String> INPUT_METHODS = Set.of("environment", "stdin", "both", "powershell");

  static final Set<String> KEYS =
      Set.of(
          "description",
          "parameters",
          "input_method",
          "supports_noop",
          "private",
          "files",
          "implementations",
          "remote",
          "extensions",
          "identifiers",
          "puppet_task_version");

  private static final Set<String> IMPLEMENTATION_KEYS =
      Set.of("name", "requirements", "input_method", "files", "remote");

  /** One declared parameter. */
  public record Param(
      String name,
      PType type,
      String description,
      boolean hasDefault,
      Object defaultValue,
      boolean sensitive) {}

  /** One entry of {@code implementations}. */
  public record Implementation(
      String name, List<String> requirements, String inputMethod, List<String> files) {}

  @SuppressWarnings("unchecked")
  public static TaskMetadata read(Path file, String label) {
    Map<String, Object> raw;
    try {
      // As Bolt's Ruby parser: the last of a duplicate key wins.
      Object o = Json.lenientMapper().readValue(Files.readString(file), Object.class);
      if (!(o instanceof Map<?, ?>)) {
        throw new JboltException(label + ": task metadata must be a JSON object");
      }
      raw = (Map<String, Object>) o;
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new JboltException(
          label
              + (loc == null ? "" : ":" + loc.getLineNr())
              + ": invalid JSON: "
              + e.getOriginalMessage().replaceAll("\\s+", " "));
    } catch (IOException e) {
      throw new JboltException(label + ": cannot read: " + e.getMessage());
    }
    return of(raw, label);
  }

  @SuppressWarnings("unchecked")
  static TaskMetadata of(Map<String, Object> raw, String label) {
    String description = optString(raw, "description", label);
    Map<String, Param> params = null;
    if (raw.get("parameters") != null) {
      if (!(raw.get("parameters") instanceof Map<?, ?> pm)) {
        throw new JboltException(label + ": 'parameters' must be an object");
      }
      params = new LinkedHashMap<>();
      for (var e : ((Map<String, Object>) pm).entrySet()) {
        params.put(e.getKey(), param(e.getKey(), e.getValue(), label));
      }
    }
    String input = inputMethod(raw, label, "");
    bool(raw, "remote", label);
    for (String key : List.of("extensions", "identifiers")) {
      if (raw.get(key) != null && !(raw.get(key) instanceof Map<?, ?>)) {
        throw new JboltException(label + ": '" + key + "' must be an object");
      }
    }
    List<Implementation> impls = new ArrayList<>();
    if (raw.get("implementations") != null) {
      if (!(raw.get("implementations") instanceof List<?> l)) {
        throw new JboltException(label + ": 'implementations' must be a list");
      }
      for (Object o : l) {
        if (!(o instanceof Map<?, ?> m) || !(m.get("name") instanceof String name)) {
          throw new JboltException(label + ": each implementation needs a 'name'");
        }
        Map<String, Object> im = (Map<String, Object>) m;
        String imInput = inputMethod(im, label, "implementation " + name + ": ");
        bool(im, "remote", label);
        impls.add(
            new Implementation(
                name, strings(im, "requirements", label), imInput, strings(im, "files", label)));
      }
    }
    return new TaskMetadata(
        description,
        params,
        input,
        bool(raw, "supports_noop", label),
        bool(raw, "private", label),
        strings(raw, "files", label),
        impls,
        raw);
  }

  private static String inputMethod(Map<String, Object> m, String label, String where) {
    String input = optString(m, "input_method", label);
    if (input != null && !INPUT_METHODS.contains(input)) {
      throw new JboltException(
          label
              + ": "
              + where
              + "input_method must be environment, stdin, both or powershell, not '"
              + input
              + "'");
    }
    return input;
  }

  /** Keys that are not Bolt's, at the top and in implementations: kept, and worth a warning. */
  public List<String> unknownKeys() {
    List<String> out = new ArrayList<>();
    raw.keySet().stream().filter(k -> !KEYS.contains(k)).forEach(out::add);
    if (raw.get("implementations") instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> m) {
          m.keySet().stream()
              .map(String::valueOf)
              .filter(k -> !IMPLEMENTATION_KEYS.contains(k))
              .forEach(k -> out.add("implementations[" + m.get("name") + "]." + k));
        }
      }
    }
    return out;
  }

  /**
   * A parameter declared as {@code {type, description, default, sensitive}}; errors name {@code
   * label}.
   */
  @SuppressWarnings("unchecked")
  public static Param param(String name, Object spec, String label) {
    if (!name.matches("[a-z][a-z0-9_]*")) {
      throw new JboltException(
          label + ": parameter name '" + name + "' must match [a-z][a-z0-9_]*");
    }
    if (spec != null && !(spec instanceof Map<?, ?>)) {
      throw new JboltException(label + ": parameter '" + name + "' must be an object");
    }
    Map<String, Object> m = spec == null ? Map.of() : (Map<String, Object>) spec;
    PType type;
    try {
      type =
          m.get("type") == null ? new PType.Any() : TypeParser.parse(String.valueOf(m.get("type")));
    } catch (JboltException e) {
      throw new JboltException(label + ": parameter '" + name + "': " + e.getMessage());
    }
    return new Param(
        name,
        type,
        optString(m, "description", label),
        m.containsKey("default"),
        m.get("default"),
        bool(m, "sensitive", label) || type instanceof PType.Sensitive);
  }

  private static String optString(Map<String, Object> m, String key, String label) {
    Object v = m.get(key);
    if (v != null && !(v instanceof String)) {
      throw new JboltException(label + ": '" + key + "' must be a string");
    }
    return (String) v;
  }

  private static boolean bool(Map<String, Object> m, String key, String label) {
    Object v = m.get(key);
    if (v != null && !(v instanceof Boolean)) {
      throw new JboltException(label + ": '" + key + "' must be true or false");
    }
    return Boolean.TRUE.equals(v);
  }

  private static List<String> strings(Map<String, Object> m, String key, String label) {
    Object v = m.get(key);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List<?> l) || !l.stream().allMatch(x -> x instanceof String)) {
      throw new JboltException(label + ": '" + key + "' must be a list of strings");
    }
    return l.stream().map(String.class::cast).toList();
  }
}
