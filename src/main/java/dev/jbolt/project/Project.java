package dev.jbolt.project;

import dev.jbolt.JboltException;
import dev.jbolt.Yaml;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.InventoryParser;
import dev.jbolt.inventory.Plugins;
import dev.jbolt.inventory.TargetSpec;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * A jbolt project: a directory with {@code jbolt-project.yaml} (or Bolt's {@code
 * bolt-project.yaml}) and/or {@code inventory.yaml}, {@code tasks/}, {@code plans/}, {@code
 * modules/}. Found as Bolt finds its own: {@code --project DIR}, else the nearest directory from
 * the current one upwards that holds a project file or a {@code Boltdir/} (then that is the
 * project), else the current directory when it holds an inventory.yaml; without one, jbolt runs on
 * ad-hoc targets only.
 *
 * @param file the project file read (jbolt-project.yaml, else bolt-project.yaml), or null
 */
public record Project(
    Path dir, String name, Path inventoryFile, Map<String, Object> settings, Path file) {
  public static final String PROJECT_FILE = "jbolt-project.yaml";
  public static final String BOLT_PROJECT_FILE = "bolt-project.yaml";
  public static final String INVENTORY_FILE = "inventory.yaml";

  /** Bolt's settings that jbolt has no use for: named as such when a bolt-project.yaml has them. */
  private static final Set<String> BOLT_ONLY_KEYS =
      Set.of(
          "plugin-hooks",
          "plugin-cache",
          "puppetdb",
          "puppetdb-instances",
          "hiera-config",
          "apply-settings",
          "compile-concurrency",
          "module-install",
          "future",
          "policies",
          "trusted-external-command",
          "analytics");

  /** Transport settings, which belong in the inventory (Bolt warns about them here too). */
  private static final Set<String> TRANSPORT_KEYS =
      Set.of("transport", "ssh", "local", "winrm", "docker", "podman", "remote", "pcp");

  /** A project without a project file of its own. */
  public Project(Path dir, String name, Path inventoryFile, Map<String, Object> settings) {
    this(dir, name, inventoryFile, settings, null);
  }

  /** The name of the project file, for messages: jbolt-project.yaml when there is none. */
  public String fileName() {
    return file == null ? PROJECT_FILE : file.getFileName().toString();
  }

  private static final Set<String> KEYS =
      Set.of(
          "name",
          "modules",
          "modulepath",
          "concurrency",
          "max-targets",
          "format",
          "color",
          "tmpdir",
          "save-rerun",
          "rerunfile",
          "log",
          "stream",
          "spinner",
          "plans",
          "tasks",
          "disable-warnings",
          "inventoryfile",
          "output-memory",
          "connect-retries",
          "connect-concurrency",
          "persist",
          "plugins");

  /** Warns about keys jbolt does not use (Bolt's, transport settings, unknown); checks types. */
  private static void checkKeys(Yaml y, Map<String, Node> keys, PrintStream warnings) {
    keys.forEach(
        (k, v) -> {
          if (!KEYS.contains(k)) {
            String why =
                BOLT_ONLY_KEYS.contains(k)
                    ? "'" + k + "' is a Bolt setting that jbolt does not use; it is ignored"
                    : TRANSPORT_KEYS.contains(k)
                        ? "'"
                            + k
                            + "' is transport configuration, which belongs in the inventory"
                            + " (under config:), as in Bolt; it is ignored here"
                        : "unknown key '" + k + "' is ignored";
            warnings.println("jbolt: warning: " + y.error(v, why).getMessage());
          } else {
            checkType(y, k, v);
          }
        });
  }

  /**
   * Finds the project. {@code projectOption} and {@code inventoryOption} are the command line's
   * values (null when absent); relative paths are taken from {@code cwd}.
   */
  public static Project discover(
      Path cwd, Path projectOption, Path inventoryOption, PrintStream warnings) {
    return discover(cwd, projectOption, inventoryOption, warnings, (d, s) -> Plugins.NONE);
  }

  /**
   * As {@link #discover(Path, Path, Path, PrintStream)}; {@code plugins} makes the plugins that
   * resolve the project file's references from the project directory and its {@code plugins:}
   * settings (themselves resolved with plugins made from no settings).
   */
  public static Project discover(
      Path cwd,
      Path projectOption,
      Path inventoryOption,
      PrintStream warnings,
      BiFunction<Path, Map<String, Object>, Plugins> plugins) {
    Path dir = null;
    if (projectOption != null) {
      dir = cwd.resolve(projectOption).normalize();
      if (!Files.isDirectory(dir)) {
        throw new JboltException("--project " + projectOption + ": no such directory");
      }
    } else {
      dir = locate(cwd);
    }
    Path file = null;
    if (dir != null) {
      for (String f : List.of(PROJECT_FILE, BOLT_PROJECT_FILE)) {
        if (file == null && Files.isRegularFile(dir.resolve(f))) {
          file = dir.resolve(f);
        }
      }
    }
    Map<String, Object> settings = Map.of();
    String name = null;
    if (file != null) {
      String fileName = file.getFileName().toString();
      Yaml y = resolved(Yaml.read(file, label(cwd, file)), dir, plugins);
      if (!Yaml.isNull(y.root())) {
        Map<String, Node> keys = y.mapping(y.root(), fileName);
        checkKeys(y, keys, warnings);
        if (keys.containsKey("name")) {
          name = y.string(keys.get("name"), "'name'");
          if (!name.matches("[a-z][a-z0-9_]*")) {
            throw y.error(
                keys.get("name"),
                "project name '"
                    + name
                    + "' must start with a lowercase letter and hold only lowercase letters, digits and '_'");
          }
        }
        settings = y.map(y.root(), fileName);
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
    return new Project(dir, name, inventory, settings, file);
  }

  /** The project file with its plugin references resolved, {@code plugins:} settings first. */
  @SuppressWarnings("unchecked")
  private static Yaml resolved(
      Yaml y, Path dir, BiFunction<Path, Map<String, Object>, Plugins> plugins) {
    Map<String, Object> settings = Map.of();
    if (y.root() instanceof MappingNode) {
      Node node = y.mapping(y.root(), "the project file").get("plugins");
      if (node != null && !Yaml.isNull(node)) {
        try {
          settings =
              (Map<String, Object>) plugins.apply(dir, Map.of()).resolve(y.map(node, "'plugins'"));
        } catch (JboltException e) {
          throw y.error(node, e.getMessage());
        }
      }
    }
    return plugins.apply(dir, settings).expand(y);
  }

  /**
   * The nearest directory from {@code cwd} upwards with a project file, or the {@code Boltdir/} of
   * one that has it (Bolt's embedded project); else {@code cwd} itself when it holds an inventory;
   * null when none.
   */
  public static Path locate(Path cwd) {
    for (Path d = cwd.toAbsolutePath().normalize(); d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve(PROJECT_FILE))
          || Files.isRegularFile(d.resolve(BOLT_PROJECT_FILE))) {
        return d;
      }
      if (Files.isDirectory(d.resolve("Boltdir"))) {
        return d.resolve("Boltdir");
      }
      if (d.equals(cwd.toAbsolutePath().normalize())
          && Files.isRegularFile(d.resolve(INVENTORY_FILE))) {
        return d;
      }
    }
    return null;
  }

  /** The shape each known key must have: a wrong one is bad input, never silently ignored. */
  private static void checkType(Yaml y, String key, Node node) {
    Object v = y.value(node);
    String want =
        switch (key) {
          case "concurrency",
              "connect-retries",
              "connect-concurrency",
              "output-memory",
              "max-targets" ->
              v instanceof Integer ? null : "a whole number";
          case "color", "save-rerun", "stream", "spinner" ->
              v instanceof Boolean ? null : "true or false";
          case "format" -> "human".equals(v) || "json".equals(v) ? null : "human or json";
          case "name", "tmpdir", "rerunfile", "inventoryfile" ->
              v instanceof String ? null : "a string";
          case "modules", "plans", "tasks", "disable-warnings" ->
              v instanceof List<?> ? null : "a list";
          case "modulepath" ->
              v instanceof String || v instanceof List<?> ? null : "a list of directories";
          case "log", "plugins" -> v instanceof Map<?, ?> ? null : "a mapping";
          case "persist" -> v instanceof Integer i && i >= 0 ? null : "0 or more seconds";
          default -> null;
        };
    if (want != null) {
      throw y.error(node, "'" + key + "' must be " + want + ", not " + Yaml.describe(node));
    }
  }

  private static String label(Path cwd, Path file) {
    Path rel = file.startsWith(cwd) ? cwd.relativize(file) : file;
    return rel.toString().isEmpty() ? file.toString() : rel.toString();
  }

  /** The inventory, or an empty one when there is no inventory file. */
  public Inventory inventory(Path cwd, PrintStream warnings, Plugins plugins) {
    if (inventoryFile == null) {
      return Inventory.empty();
    }
    return InventoryParser.parse(inventoryFile, label(cwd, inventoryFile), warnings, plugins);
  }

  /** The project file's {@code plugins:} settings (by plugin name), references resolved. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> pluginSettings() {
    return settings.get("plugins") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  /** An integer setting of jbolt-project.yaml, or {@code fallback}. */
  /** The most targets a run may have: JBOLT_MAX_TARGETS, else 'max-targets', else 100,000. */
  public int maxTargets(Map<String, String> env) {
    String n = env.get("JBOLT_MAX_TARGETS");
    if (n != null && n.matches("[1-9][0-9]{0,9}")) {
      return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(n));
    }
    return intSetting("max-targets", TargetSpec.DEFAULT_MAX_TARGETS);
  }

  public int intSetting(String key, int fallback) {
    Object v = settings.get(key);
    if (v == null) {
      return fallback;
    }
    if (v instanceof Integer i && i > 0) {
      return i;
    }
    throw new JboltException(
        fileName() + ": '" + key + "' must be a positive whole number, not '" + v + "'");
  }

  /**
   * The idle seconds a warm process keeps this project's sessions ({@code persist}, 60 by default;
   * 0: none), read from the project file in {@code dir}; a file that cannot say gives the default
   * (the run itself reports what is wrong with it).
   */
  public static int persistSeconds(Path dir) {
    for (String name : List.of(PROJECT_FILE, BOLT_PROJECT_FILE)) {
      Path f = dir == null ? null : dir.resolve(name);
      if (f != null && Files.isRegularFile(f)) {
        try {
          Yaml y = Yaml.read(f, name);
          Object v = y.map(y.root(), name).get("persist");
          return v instanceof Integer i && i >= 0 ? i : 60;
        } catch (RuntimeException e) {
          return 60;
        }
      }
    }
    return 60;
  }

  public String stringSetting(String key, String fallback) {
    Object v = settings.get(key);
    return v == null ? fallback : String.valueOf(v);
  }

  /**
   * The project's module directories: {@code modulepath} from the project file (a list, or a string
   * of directories separated by ':'), relative to the project, else {@code modules/}; then always
   * {@code .modules/}, where installed modules go. Empty without a project directory.
   */
  public List<Path> modulepath() {
    if (dir == null) {
      return List.of();
    }
    Object v = settings.get("modulepath");
    List<String> entries;
    if (v == null) {
      entries = List.of("modules");
    } else if (v instanceof String str) {
      entries = List.of(str.split(":"));
    } else if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) {
      entries = l.stream().map(String::valueOf).toList();
    } else {
      throw new JboltException(
          fileName() + ": 'modulepath' must be a list of directories, not " + v);
    }
    List<Path> out = new ArrayList<>();
    for (String e : entries) {
      if (!e.isBlank()) {
        out.add(
            dir.resolve(
                    e.strip().equals("~") || e.strip().startsWith("~/")
                        ? System.getProperty("user.home") + e.strip().substring(1)
                        : e.strip())
                .normalize());
      }
    }
    out.add(dir.resolve(".modules"));
    return out;
  }

  public List<Path> dirs() {
    return dir == null ? List.of() : List.of(dir);
  }
}
