package dev.jbolt.inventory;

import dev.jbolt.JboltException;
import dev.jbolt.result.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Bolt's inventory plugins for values: {@code {_plugin: env_var, var: NAME, default: X, optional:
 * true, json: true}} and {@code {_plugin: prompt, message: TEXT}}, so that passwords need not be
 * written in inventory.yaml. A prompt is asked once per message, however many targets use it.
 */
public final class Plugins {
  public static final Plugins NONE =
      new Plugins(
          Map.of(),
          message -> {
            throw new JboltException("cannot prompt for '" + message + "' here");
          });

  private final Map<String, String> env;
  private final Function<String, String> prompter;
  private final Map<String, String> answers = new LinkedHashMap<>();

  /**
   * @param prompter asks the user the message and returns the answer (not echoed on a terminal)
   */
  public Plugins(Map<String, String> env, Function<String, String> prompter) {
    this.env = env;
    this.prompter = prompter;
  }

  /** {@code value} with every {@code _plugin} map in it replaced by what its plugin gives. */
  @SuppressWarnings("unchecked")
  Object resolve(Object value) {
    if (value instanceof Map<?, ?> m) {
      if (m.containsKey("_plugin")) {
        return plugin((Map<String, Object>) m);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), resolve(v)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(resolve(x)));
      return out;
    }
    return value;
  }

  private Object plugin(Map<String, Object> spec) {
    String name = String.valueOf(spec.get("_plugin"));
    switch (name) {
      case "env_var" -> {
        if (!(spec.get("var") instanceof String var) || var.isBlank()) {
          throw new JboltException("plugin env_var needs 'var: NAME'");
        }
        String v = env.get(var);
        if (v == null) {
          if (spec.containsKey("default")) {
            return spec.get("default");
          }
          if (Boolean.TRUE.equals(spec.get("optional"))) {
            return null;
          }
          throw new JboltException(
              "environment variable "
                  + var
                  + " is not set (plugin env_var; give it a 'default'"
                  + " or 'optional: true')");
        }
        if (Boolean.TRUE.equals(spec.get("json"))) {
          try {
            return Json.mapper().readValue(v, Object.class);
          } catch (Exception e) {
            throw new JboltException(
                "environment variable "
                    + var
                    + " is not valid JSON (plugin env_var with json: true)");
          }
        }
        return v;
      }
      case "prompt" -> {
        if (!(spec.get("message") instanceof String message) || message.isBlank()) {
          throw new JboltException("plugin prompt needs 'message: TEXT'");
        }
        return answers.computeIfAbsent(message, prompter);
      }
      default ->
          throw new JboltException("unknown plugin '" + name + "' (jbolt has env_var and prompt)");
    }
  }
}
