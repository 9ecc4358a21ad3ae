package dev.jbolt.inventory;

import dev.jbolt.JboltException;
import dev.jbolt.Yaml;
import dev.jbolt.result.Json;
import dev.jbolt.secret.Pkcs7;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The plugins jbolt carries, with Bolt's parameters: {@code env_var} ({@code var}, {@code default},
 * {@code optional}, {@code json}), {@code prompt} ({@code message}), {@code pkcs7} ({@code
 * encrypted_value}) and {@code yaml} ({@code filepath}, relative to the project).
 */
final class BuiltinPlugins {
  private BuiltinPlugins() {}

  static void register(
      Plugins plugins,
      Map<String, String> env,
      Function<String, String> prompter,
      Path dir,
      Map<String, Object> settings) {
    Map<String, String> answers = new LinkedHashMap<>();
    Pkcs7[] keys = new Pkcs7[1]; // one key pair for every value of the file, read on first use
    plugins.with(
        "env_var",
        "a value from an environment variable (var, default, optional, json)",
        p -> {
          return envVar(env, p);
        });
    plugins.with(
        "prompt",
        "a value typed at a prompt, not echoed, asked once per message (message)",
        p -> {
          if (!(p.get("message") instanceof String message) || message.isBlank()) {
            throw new JboltException("needs 'message: TEXT'");
          }
          synchronized (answers) {
            return plugins.secrets().rememberTransient(answers.computeIfAbsent(message, prompter));
          }
        });
    plugins.with(
        "pkcs7",
        "a value decrypted from ENC[PKCS7,...] with the project's keys (encrypted_value)",
        p -> {
          if (!(p.get("encrypted_value") instanceof String value)) {
            throw new JboltException("needs 'encrypted_value: ENC[PKCS7,...]'");
          }
          Pkcs7 k;
          synchronized (keys) {
            k = keys[0] == null ? (keys[0] = Pkcs7.forProject(dir, settings)) : keys[0];
          }
          return plugins.secrets().remember(k.decrypt(value));
        });
    plugins.with(
        "yaml",
        "the data of another YAML file, relative to the project (filepath)",
        p -> {
          if (!(p.get("filepath") instanceof String file) || file.isBlank()) {
            throw new JboltException("needs 'filepath: FILE'");
          }
          String f =
              file.startsWith("~/") ? System.getProperty("user.home") + file.substring(1) : file;
          Path path = dir.resolve(f).normalize();
          Yaml y = Yaml.read(path, path.toString());
          return y.value(y.root());
        });
  }

  private static Object envVar(Map<String, String> env, Map<String, Object> spec) {
    if (!(spec.get("var") instanceof String var) || var.isBlank()) {
      throw new JboltException("needs 'var: NAME'");
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
          "environment variable " + var + " is not set (give it a 'default' or 'optional: true')");
    }
    if (Boolean.TRUE.equals(spec.get("json"))) {
      try {
        return Json.mapper().readValue(v, Object.class);
      } catch (Exception e) {
        throw new JboltException(
            "environment variable " + var + " is not valid JSON (with json: true)");
      }
    }
    return v;
  }
}
