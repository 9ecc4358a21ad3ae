package dev.jbolt.project;

import dev.jbolt.JboltException;
import dev.jbolt.Yaml;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.InventoryParser;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A jbolt project: a directory with {@code jbolt-project.yaml} and/or {@code inventory.yaml},
 * {@code tasks/}, {@code plans/}, {@code modules/}. The directory is {@code --project DIR}, else the
 * current directory when it holds one of those two files; without one, jbolt runs on ad-hoc
 * targets only.
 */
public record Project(Path dir, String name, Path inventoryFile, Map<String, Object> settings) {
  public static final String PROJECT_FILE = "jbolt-project.yaml";
  public static final String INVENTORY_FILE = "inventory.yaml";
  private static final Set<String> KEYS = Set.of("name", "modules", "modulepath", "concurrency", "format", "color",
      "tmpdir", "save-rerun", "rerunfile", "log", "stream", "spinner", "plans", "tasks", "disable-warnings",
      "inventoryfile", "connect-retries", "connect-concurrency");

  /**
   * Finds the project. {@code projectOption} and {@code inventoryOption} are the command line's
   * values (null when absent); relative paths are taken from {@code cwd}.
   */
  public static Project discover(Path cwd, Path projectOption, Path inventoryOption, PrintStream warnings) {
    Path dir = null;
    if (projectOption != null) {
      dir = cwd.resolve(projectOption).normalize();
      if (!Files.isDirectory(dir)) {
        throw new JboltException("--project " + projectOption + ": no such directory");
      }
    } else if (Files.isRegularFile(cwd.resolve(PROJECT_FILE)) || Files.isRegularFile(cwd.resolve(INVENTORY_FILE))) {
      dir = cwd;
    }
    Map<String, Object> settings = Map.of();
    String name = null;
    if (dir != null && Files.isRegularFile(dir.resolve(PROJECT_FILE))) {
      Yaml y = Yaml.read(dir.resolve(PROJECT_FILE), label(cwd, dir.resolve(PROJECT_FILE)));
      if (!Yaml.isNull(y.root())) {
        Map<String, Node> keys = y.mapping(y.root(), PROJECT_FILE);
        keys.forEach((k, v) -> {
          if (!KEYS.contains(k)) {
            warnings.println("jbolt: warning: " + y.error(v, "unknown key '" + k + "' is ignored").getMessage());
          }
        });
        if (keys.containsKey("name")) {
          name = y.string(keys.get("name"), "'name'");
          if (!name.matches("[a-z][a-z0-9_]*")) {
            throw y.error(keys.get("name"), "project name '" + name
                + "' must start with a lowercase letter and hold only lowercase letters, digits and '_'");
          }
        }
        settings = y.map(y.root(), PROJECT_FILE);
      }
    }
    Path inventory = null;
    if (inventoryOption != null) {
      inventory = cwd.resolve(inventoryOption).normalize();
      if (!Files.isRegularFile(inventory)) {
        throw new JboltException("--inventoryfile " + inventoryOption + ": no such file");
      }
    } else if (dir != null && Files.isRegularFile(dir.resolve(INVENTORY_FILE))) {
      inventory = dir.resolve(INVENTORY_FILE);
    }
    return new Project(dir, name, inventory, settings);
  }

  private static String label(Path cwd, Path file) {
    Path rel = file.startsWith(cwd) ? cwd.relativize(file) : file;
    return rel.toString().isEmpty() ? file.toString() : rel.toString();
  }

  /** The inventory, or an empty one when there is no inventory file. */
  public Inventory inventory(Path cwd, PrintStream warnings, dev.jbolt.inventory.Plugins plugins) {
    if (inventoryFile == null) {
      return Inventory.empty();
    }
    return InventoryParser.parse(inventoryFile, label(cwd, inventoryFile), warnings, plugins);
  }

  /** An integer setting of jbolt-project.yaml, or {@code fallback}. */
  public int intSetting(String key, int fallback) {
    Object v = settings.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Integer i && i > 0) {
      return i;
    }
    throw new JboltException(PROJECT_FILE + ": '" + key + "' must be a positive whole number, not '" + v + "'");
  }

  public String stringSetting(String key, String fallback) {
    Object v = settings.get(key);
    return v == null ? fallback : String.valueOf(v);
  }

  public List<Path> dirs() {
    return dir == null ? List.of() : List.of(dir);
  }
}
