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
 * A task's metadata ({@code task.json}), Bolt's keys: description, parameters, input_method,
 * supports_noop, private, files, implementations, extensions. Unknown keys are kept.
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
  static final Set<String> INPUT_METHODS = Set.of("environment", "stdin", "both");

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
      Object o = Json.mapper().readValue(Files.readString(file), Object.class);
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
    String input = optString(raw, "input_method", label);
    if (input != null && !INPUT_METHODS.contains(input)) {
      throw new JboltException(
          label + ": input_method must be environment, stdin or both, not '" + input + "'");
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
        String imInput = optString(im, "input_method", label);
        if (imInput != null && !INPUT_METHODS.contains(imInput)) {
          throw new JboltException(
              label
                  + ": implementation "
                  + name
                  + ": input_method must be environment, stdin or both");
        }
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
