package dev.jbolt.service;

import dev.jbolt.JboltException;
import dev.jbolt.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MilkCheck's own configuration file, {@code /etc/milkcheck/milkcheck.conf} (the {@code milkcheck}
 * command reads it; {@code JBOLT_MILKCHECK_CONF} names another): the default configuration
 * directory, fanout, report, reverse actions and the actions that ask for confirmation. Read as
 * MilkCheck reads it: an unknown key, or a value of the wrong type, is an error.
 */
public record MilkCheckConf(
    Path file,
    boolean found,
    Path configDir,
    int fanout,
    List<String> reverseActions,
    String report,
    List<String> confirmActions) {
  public static final Path PATH = Path.of("/etc/milkcheck/milkcheck.conf");

  /** The file a run reads: {@code JBOLT_MILKCHECK_CONF} in {@code env}, else MilkCheck's path. */
  public static MilkCheckConf read(Map<String, String> env) {
    String named = env.get("JBOLT_MILKCHECK_CONF");
    return read(named == null || named.isEmpty() ? PATH : Path.of(named));
  }

  /** MilkCheck's defaults, as when {@code file} does not exist. */
  static MilkCheckConf defaults(Path file) {
    return new MilkCheckConf(
        file, false, Path.of("/etc/milkcheck/conf"), 64, List.of("stop"), "no", List.of());
  }

  /** {@code file} read, or MilkCheck's defaults when there is none. */
  public static MilkCheckConf read(Path file) {
    MilkCheckConf c = defaults(file);
    if (!Files.exists(file)) {
      return c;
    }
    Yaml y = Yaml.read(file, file.toString());
    if (Yaml.isNull(y.root())) {
      return new MilkCheckConf(
          file, true, c.configDir, c.fanout, c.reverseActions, c.report, c.confirmActions);
    }
    Path dir = c.configDir;
    int fanout = c.fanout;
    List<String> reverse = c.reverseActions;
    String report = c.report;
    List<String> confirm = c.confirmActions;
    for (Map.Entry<String, Object> e : y.map(y.root(), file.toString()).entrySet()) {
      Object v = e.getValue();
      switch (e.getKey()) {
        case "config_dir" -> dir = Path.of(typed(file, e.getKey(), v, String.class));
        case "fanout" -> fanout = typed(file, e.getKey(), v, Integer.class);
        case "reverse_actions" -> reverse = strings(file, e.getKey(), v);
        case "confirm_actions" -> confirm = strings(file, e.getKey(), v);
        // Accepted and, as by MilkCheck 1.2, not used (its 'report' replaced it)
        case "summary" -> typed(file, e.getKey(), v, Boolean.class);
        case "report" -> {
          report = typed(file, e.getKey(), v, String.class);
          if (!List.of("no", "default", "full").contains(report)) {
            throw new JboltException(
                file + ": report must be one of 'no', 'default', 'full' (found '" + report + "')");
          }
        }
        default -> throw new JboltException(file + ": bad entry '" + e.getKey() + "'");
      }
    }
    return new MilkCheckConf(file, true, dir, fanout, reverse, report, confirm);
  }

  private static <T> T typed(Path file, String key, Object v, Class<T> type) {
    if (!type.isInstance(v)) {
      throw new JboltException(file + ": wrong value '" + v + "' for '" + key + "'");
    }
    return type.cast(v);
  }

  private static List<String> strings(Path file, String key, Object v) {
    List<String> out = new ArrayList<>();
    for (Object o : typed(file, key, v, List.class)) {
      out.add(String.valueOf(o));
    }
    return List.copyOf(out);
  }
}
