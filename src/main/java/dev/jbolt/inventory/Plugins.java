package dev.jbolt.inventory;

import dev.jbolt.JboltException;
import dev.jbolt.Secrets;
import dev.jbolt.Yaml;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Bolt's reference plugins: every {@code {_plugin: NAME, ...}} mapping of an inventory (or project
 * file) is replaced by the value its plugin gives, before the file is read, so that a plugin that
 * fails stops the run before anything connects (exit 2), naming the file, line, the place in the
 * file and the plugin. As in Bolt, a reference in a {@code targets} or {@code groups} list may give
 * a list, whose items take its place; the whole inventory may be one reference; a plugin's own
 * parameters and its value may hold further references.
 *
 * <p>Built in: {@code env_var}, {@code prompt} (asked once per message), {@code pkcs7} and {@code
 * yaml} ({@link BuiltinPlugins}); the session adds {@code task} and module plugins.
 */
public final class Plugins {
  /** References nested deeper than this (a file that includes itself) are an error. */
  private static final int MAX_DEPTH = 16;

  private static final Function<String, String> NONE_PROMPT =
      message -> {
        throw new JboltException("cannot prompt for '" + message + "' here");
      };

  public static final Plugins NONE = new Plugins(Map.of(), NONE_PROMPT);

  private final Secrets secrets;
  private final Map<String, Plugin> plugins = new TreeMap<>();
  private boolean inert;
  private final Map<String, String> descriptions = new TreeMap<>();
  private Function<String, Plugin> modules = name -> null;

  /** The built-in plugins, with files relative to the current directory and no pkcs7 settings. */
  public Plugins(Map<String, String> env, Function<String, String> prompter) {
    this(env, prompter, Path.of("").toAbsolutePath(), Map.of(), new Secrets());
  }

  /**
   * @param dir the project directory: the yaml plugin's files and pkcs7's keys are relative to it
   * @param settings the project file's {@code plugins:} section (pkcs7's key paths and size)
   * @param prompter asks the user the message and returns the answer (not echoed on a terminal)
   * @param secrets the run's: what the plugins decrypt, prompt for or find at a sensitive key is
   *     masked in all it prints
   */
  public Plugins(
      Map<String, String> env,
      Function<String, String> prompter,
      Path dir,
      Map<String, Object> settings,
      Secrets secrets) {
    this.secrets = secrets;
    BuiltinPlugins.register(this, env, prompter, dir, settings);
  }

  /** The run's secrets, for the plugins that find one. */
  Secrets secrets() {
    return secrets;
  }

  /**
   * Plugins that run nothing, for reading a project when nothing was asked to run (completion): a
   * reference is left out of a targets or groups list and is null elsewhere.
   */
  public static Plugins inert() {
    Plugins p = new Plugins(Map.of(), NONE_PROMPT);
    p.inert = true;
    return p;
  }

  /** Adds (or replaces) plugin {@code name}; {@code description} is what plugin show prints. */
  public Plugins with(String name, String description, Plugin plugin) {
    plugins.put(name, plugin);
    descriptions.put(name, description);
    return this;
  }

  /** Where a name that is no built-in plugin is looked up: a module plugin, or null for none. */
  public Plugins withModules(Function<String, Plugin> lookup) {
    this.modules = lookup;
    return this;
  }

  /** Every plugin by name, with its one-line description. */
  public Map<String, String> described() {
    return descriptions;
  }

  /**
   * {@code yaml} with its root's references resolved; errors are {@code yaml}'s, by line. Parts
   * without a reference stay the very nodes they were, so that aliases are not copied out.
   */
  public Yaml expand(Yaml yaml) {
    if (inert && yaml.root() instanceof MappingNode m && isReference(m)) {
      return yaml.withRoot(
          new MappingNode(Tag.MAP, List.of(), DumperOptions.FlowStyle.AUTO)); // nothing known
    }
    return yaml.withRoot(new Expansion(yaml).expand(yaml.root(), "", 0));
  }

  private final class Expansion {
    private final Yaml yaml;
    private final Map<Node, Node> done = new IdentityHashMap<>();

    Expansion(Yaml yaml) {
      this.yaml = yaml;
    }

    Node expand(Node node, String path, int depth) {
      Node seen = done.get(node);
      if (seen != null) {
        return seen;
      }
      Node out = node;
      if (node instanceof MappingNode m && isReference(m) && inert) {
        out =
            new ScalarNode(
                Tag.NULL,
                "null",
                node.getStartMark(),
                node.getEndMark(),
                DumperOptions.ScalarStyle.PLAIN);
      } else if (node instanceof MappingNode m && isReference(m)) {
        out = toNode(call(yaml, m, path, depth), node.getStartMark(), node.getEndMark());
      } else if (node instanceof MappingNode m) {
        List<NodeTuple> tuples = new ArrayList<>();
        boolean changed = false;
        for (NodeTuple t : m.getValue()) {
          String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : "?";
          String at = path.isEmpty() ? key : path + "." + key;
          Node v =
              t.getValueNode() instanceof SequenceNode s
                      && Set.of("targets", "groups").contains(key)
                  ? splice(s, at, depth)
                  : expand(t.getValueNode(), at, depth);
          changed |= v != t.getValueNode();
          tuples.add(new NodeTuple(t.getKeyNode(), v));
        }
        if (changed) {
          out =
              new MappingNode(
                  m.getTag(), true, tuples, m.getStartMark(), m.getEndMark(), m.getFlowStyle());
        }
      } else if (node instanceof SequenceNode s) {
        List<Node> items = new ArrayList<>();
        for (int i = 0; i < s.getValue().size(); i++) {
          items.add(expand(s.getValue().get(i), path + "[" + i + "]", depth));
        }
        out = sequence(s, items);
      }
      done.put(node, out);
      return out;
    }

    /** A targets or groups list: a reference that gives a list puts its items in its place. */
    private Node splice(SequenceNode s, String path, int depth) {
      List<Node> items = new ArrayList<>();
      for (int i = 0; i < s.getValue().size(); i++) {
        Node item = s.getValue().get(i);
        if (inert && item instanceof MappingNode m && isReference(m)) {
          continue;
        }
        Node v = expand(item, path + "[" + i + "]", depth);
        if (item instanceof MappingNode m && isReference(m) && v instanceof SequenceNode l) {
          items.addAll(l.getValue());
        } else {
          items.add(v);
        }
      }
      return sequence(s, items);
    }
  }

  /** {@code s} itself when {@code items} are its own, else a new list of them. */
  private static Node sequence(SequenceNode s, List<Node> items) {
    List<Node> old = s.getValue();
    boolean same = old.size() == items.size();
    for (int i = 0; same && i < items.size(); i++) {
      same = old.get(i) == items.get(i);
    }
    return same
        ? s
        : new SequenceNode(
            s.getTag(), true, items, s.getStartMark(), s.getEndMark(), s.getFlowStyle());
  }

  private static boolean isReference(MappingNode m) {
    return m.getValue().stream()
        .anyMatch(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("_plugin"));
  }

  @SuppressWarnings("unchecked")
  private Object call(Yaml yaml, MappingNode node, String path, int depth) {
    Map<String, Object> spec = (Map<String, Object>) yaml.value(node);
    String name = String.valueOf(spec.get("_plugin"));
    String where = "plugin " + name + (path.isEmpty() ? "" : " (at " + path + ")") + ": ";
    try {
      Object value = call(name, spec, depth);
      rememberSensitive(path, value);
      return value;
    } catch (JboltException e) {
      throw yaml.error(
          node, e.getMessage().startsWith("plugin ") ? e.getMessage() : where + e.getMessage());
    }
  }

  /** Keys whose values are secrets, whichever plugin gave them (env_var, yaml, task...). */
  private static final Pattern SENSITIVE =
      Pattern.compile(
          "(?i).*(password|passphrase|token|secret|key-data|private-key-content|api[-_]?key)$");

  /** A plugin's value at a sensitive key (or holding one) is masked in every output of the run. */
  private void rememberSensitive(String path, Object value) {
    String key = path.substring(path.lastIndexOf('.') + 1).replaceAll("\\[\\d+]$", "");
    if (value instanceof Map<?, ?> m) {
      m.forEach((k, v) -> rememberSensitive(String.valueOf(k), v));
    } else if (value instanceof List<?> l) {
      l.forEach(v -> rememberSensitive(key, v));
    } else if (value instanceof String s && SENSITIVE.matcher(key).matches()) {
      secrets.remember(s);
    }
  }

  private Object call(String name, Map<String, Object> spec, int depth) {
    if (depth >= MAX_DEPTH) {
      throw new JboltException(
          "references nested more than " + MAX_DEPTH + " deep (does a file include itself?)");
    }
    Plugin p = plugins.get(name);
    if (p == null) {
      p = modules.apply(name);
    }
    if (p == null) {
      throw new JboltException(
          "unknown plugin '"
              + name
              + "' (jbolt has "
              + String.join(", ", plugins.keySet())
              + ", and module plugins: a module of that name with a resolve_reference task)");
    }
    Map<String, Object> params = new LinkedHashMap<>(spec);
    params.remove("_plugin");
    @SuppressWarnings("unchecked")
    Map<String, Object> resolved = (Map<String, Object>) resolve(params, depth + 1);
    return resolve(p.resolve(resolved), depth + 1);
  }

  /** {@code value} with every {@code _plugin} map in it replaced by what its plugin gives. */
  public Object resolve(Object value) {
    return resolve(value, 0);
  }

  @SuppressWarnings("unchecked")
  private Object resolve(Object value, int depth) {
    if (value instanceof Map<?, ?> m) {
      if (m.containsKey("_plugin")) {
        return call(String.valueOf(m.get("_plugin")), (Map<String, Object>) m, depth);
      }
      Map<String, Object> out = new LinkedHashMap<>();
      m.forEach((k, v) -> out.put(String.valueOf(k), resolve(v, depth)));
      return out;
    }
    if (value instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(resolve(x, depth)));
      return out;
    }
    return value;
  }

  /** A plugin's value as YAML nodes placed where its reference was, for errors by line. */
  private static Node toNode(Object v, Mark start, Mark end) {
    if (v instanceof Map<?, ?> m) {
      List<NodeTuple> tuples = new ArrayList<>();
      m.forEach(
          (k, x) ->
              tuples.add(
                  new NodeTuple(
                      new ScalarNode(
                          Tag.STR, String.valueOf(k), start, end, DumperOptions.ScalarStyle.PLAIN),
                      toNode(x, start, end))));
      return new MappingNode(Tag.MAP, true, tuples, start, end, DumperOptions.FlowStyle.BLOCK);
    }
    if (v instanceof List<?> l) {
      List<Node> items = new ArrayList<>();
      l.forEach(x -> items.add(toNode(x, start, end)));
      return new SequenceNode(Tag.SEQ, true, items, start, end, DumperOptions.FlowStyle.BLOCK);
    }
    Tag tag =
        v == null
            ? Tag.NULL
            : v instanceof Boolean
                ? Tag.BOOL
                : v instanceof Integer || v instanceof Long || v instanceof BigInteger
                    ? Tag.INT
                    : v instanceof Number ? Tag.FLOAT : Tag.STR;
    return new ScalarNode(
        tag, v == null ? "null" : String.valueOf(v), start, end, DumperOptions.ScalarStyle.PLAIN);
  }
}
