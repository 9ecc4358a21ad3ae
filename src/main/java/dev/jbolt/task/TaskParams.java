package dev.jbolt.task;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.jbolt.JboltException;
import dev.jbolt.result.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parameter values from the command line: {@code k=v} words, or {@code --params} with a JSON
 * object, {@code @file.json}, or {@code -} for stdin. A {@code k=v} value is read as JSON when the
 * declared type accepts what it parses to (so {@code count=5} is 5 for an Integer and "5" for a
 * String), else kept as the string, as Bolt does.
 */
public final class TaskParams {
  private TaskParams() {}

  public static Map<String, Object> parse(
      List<String> pairs,
      String paramsOption,
      Path cwd,
      InputStream stdin,
      Map<String, TaskMetadata.Param> declared) {
    if (paramsOption != null && !pairs.isEmpty()) {
      throw new JboltException("give parameters either as key=value or with --params, not both");
    }
    if (paramsOption != null) {
      return fromJson(paramsOption, cwd, stdin);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new JboltException("'" + pair + "' is not a parameter: give parameters as key=value");
      }
      String key = pair.substring(0, eq);
      String text = pair.substring(eq + 1);
      TaskMetadata.Param p = declared == null ? null : declared.get(key);
      out.put(key, typed(text, p == null ? null : p.type()));
    }
    return out;
  }

  /** The JSON reading of {@code text} when the type takes it, else the text itself. */
  static Object typed(String text, PType type) {
    if (type instanceof PType.Str || type instanceof PType.Enum || type instanceof PType.Pat) {
      return text;
    }
    Object parsed;
    try {
      parsed = Json.mapper().readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      return text; // not JSON: the string it is
    }
    if (type == null || type.accepts(parsed) || !type.accepts(text)) {
      return parsed; // when neither fits, the error shows the value as meant: 11, not "11"
    }
    return text;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> fromJson(String option, Path cwd, InputStream stdin) {
    String text;
    String what = "--params";
    try {
      if (option.equals("-")) {
        text = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
      } else if (option.startsWith("@")) {
        Path f = cwd.resolve(option.substring(1));
        what = option.substring(1);
        text = Files.readString(f);
      } else {
        text = option;
      }
    } catch (IOException e) {
      throw new JboltException(what + ": cannot read: " + e.getMessage());
    }
    try {
      Object o = Json.mapper().readValue(text, Object.class);
      if (!(o instanceof Map<?, ?>)) {
        throw new JboltException(what + ": parameters must be a JSON object");
      }
      return new LinkedHashMap<>((Map<String, Object>) o);
    } catch (JsonProcessingException e) {
      throw new JboltException(
          what
              + ": invalid JSON at line "
              + e.getLocation().getLineNr()
              + ": "
              + e.getOriginalMessage().replaceAll("\\s+", " "));
    }
  }
}
