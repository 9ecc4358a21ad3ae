package dev.jbolt.service;

import dev.jbolt.JboltException;
import dev.jbolt.Yaml;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads MilkCheck's service configuration unchanged: every {@code *.yaml} (and {@code *.yml}) file
 * of a directory, not recursively, each with {@code services:} (nested groups under {@code
 * services:} of a service) and {@code variables:}, merged as MilkCheck merges them (a later file's
 * service of the same name replaces an earlier one). Mistakes are bad input naming file and line.
 */
final class ServiceConfig {
  private static final Set<String> COMMON =
      Set.of(
          "target",
          "mode",
          "remote",
          "fanout",
          "timeout",
          "delay",
          "retry",
          "errors",
          "warnings",
          "desc",
          "tags",
          "variables");
  private static final Set<String> DEPS =
      Set.of("require", "require_weak", "require_filter", "filter", "after", "before", "check");
  private static final Set<String> ACTION_ONLY = Set.of("cmd", "check");

  private final PrintStream warnings;

  private ServiceConfig(PrintStream warnings) {
    this.warnings = warnings;
  }

  /** The services of {@code dir}, under one root; {@code shown} is how errors name the dir. */
  static Entity load(Path dir, String shown, PrintStream warnings) {
    if (!Files.isDirectory(dir)) {
      throw new JboltException(
          shown
              + ": no such directory (services are read from services/ of the project, or -c DIR)");
    }
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(f -> f.getFileName().toString().matches(".*\\.ya?ml") && Files.isRegularFile(f))
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new JboltException(shown + ": cannot read: " + e.getMessage());
    }
    ServiceConfig c = new ServiceConfig(warnings);
    Entity root = new Entity("", Entity.Kind.ROOT, null, shown);
    for (Path f : files) {
      // As MilkCheck reads its files (PyYAML): a key given twice keeps its last value.
      c.file(
          Yaml.read(f, shown + "/" + f.getFileName())
              .lastKeyWins(w -> warnings.println("jbolt: warning: " + w)),
          root);
    }
    if (root.children.isEmpty()) {
      throw new JboltException(shown + ": no services declared (in *.yaml files, under services:)");
    }
    return root;
  }

  private void file(Yaml y, Entity root) {
    if (Yaml.isNull(y.root())) {
      return;
    }
    for (Map.Entry<String, Node> e : y.mapping(y.root(), "a service file").entrySet()) {
      switch (e.getKey()) {
        case "services" -> {
          for (Map.Entry<String, Node> s : y.mapping(e.getValue(), "'services'").entrySet()) {
            root.children.keySet().removeAll(names(y, s.getValue(), s.getKey()));
            entity(y, root, s.getKey(), s.getValue());
          }
        }
        case "variables" -> variables(y, root, e.getValue());
        default ->
            throw y.error(
                e.getValue(),
                "unknown top-level key '"
                    + e.getKey()
                    + "' (MilkCheck has services and variables)");
      }
    }
  }

  private static List<String> names(Yaml y, Node at, String spec) {
    try {
      return Entity.names(spec);
    } catch (JboltException ex) {
      throw y.error(at, "name '" + spec + "': " + ex.getMessage());
    }
  }

  private void entity(Yaml y, Entity parent, String spec, Node node) {
    Map<String, Node> m = y.mapping(node, "service '" + spec + "'");
    boolean group = m.containsKey("services");
    if (group && m.containsKey("actions")) {
      throw y.error(
          node,
          "service '" + spec + "' has both 'services' and 'actions': a group has only services");
    }
    if (!group && !m.containsKey("actions")) {
      throw y.error(node, "service '" + spec + "' has no 'actions' (nor 'services', for a group)");
    }
    for (String name : names(y, node, spec)) {
      if (parent.children.containsKey(name)) {
        throw y.error(node, "service '" + name + "' is declared twice in the same group");
      }
      Entity e =
          new Entity(
              name,
              group ? Entity.Kind.GROUP : Entity.Kind.SERVICE,
              parent,
              y.label() + ":" + line(node));
      parent.children.put(name, e);
      for (Map.Entry<String, Node> k : m.entrySet()) {
        String key = k.getKey();
        Node v = k.getValue();
        if (key.equals("services")) {
          for (Map.Entry<String, Node> s : y.mapping(v, "'services' of " + name).entrySet()) {
            entity(y, e, s.getKey(), s.getValue());
          }
        } else if (key.equals("actions")) {
          for (Map.Entry<String, Node> a : y.mapping(v, "'actions' of " + name).entrySet()) {
            action(y, e, a.getKey(), a.getValue());
          }
        } else if (DEPS.contains(key)) {
          Entity.DepType t =
              switch (key) {
                case "require" -> Entity.DepType.REQUIRE;
                case "check" -> Entity.DepType.CHECK;
                case "filter", "require_filter" -> Entity.DepType.FILTER;
                default -> Entity.DepType.REQUIRE_WEAK;
              };
          for (String d : strings(y, v, "'" + key + "' of " + name)) {
            e.deps.add(new Entity.Dep(t, d));
          }
        } else {
          common(y, e, key, v, "service");
        }
      }
    }
  }

  private void action(Yaml y, Entity service, String spec, Node node) {
    Map<String, Node> m = y.mapping(node, "action '" + spec + "'");
    if (!m.containsKey("cmd")) {
      throw y.error(node, "action '" + spec + "' of " + service.fullname() + " has no 'cmd'");
    }
    for (String name : names(y, node, spec)) {
      if (service.children.containsKey(name)) {
        throw y.error(
            node, "action '" + name + "' of " + service.fullname() + " is declared twice");
      }
      Entity a = new Entity(name, Entity.Kind.ACTION, service, y.label() + ":" + line(node));
      service.children.put(name, a);
      for (Map.Entry<String, Node> k : m.entrySet()) {
        switch (k.getKey()) {
          case "cmd" -> a.cmd = y.string(k.getValue(), "'cmd' of " + a);
          case "check" -> a.checks.addAll(strings(y, k.getValue(), "'check' of " + a));
          default -> common(y, a, k.getKey(), k.getValue(), "action");
        }
      }
    }
    // Checks name sibling actions: known once every action of the service is read.
  }

  private void common(Yaml y, Entity e, String key, Node v, String what) {
    if (!COMMON.contains(key)) {
      warnings.println(
          "jbolt: warning: "
              + y.error(v, "unknown key '" + key + "' in " + what + " " + e + " is ignored")
                  .getMessage());
      return;
    }
    Object value = y.value(v);
    String bad =
        switch (key) {
          case "fanout" ->
              value instanceof Integer i && i >= 1 ? null : "a whole number of 1 or more";
          case "retry", "errors", "warnings" ->
              value instanceof Integer i && i >= 0 ? null : "a whole number of 0 or more";
          case "timeout", "delay" ->
              value instanceof Number n && n.doubleValue() >= 0 ? null : "a number of seconds";
          case "mode" ->
              Set.of("standard", "delegate", "exec").contains(value)
                  ? null
                  : "standard, delegate or exec";
          case "remote" -> value instanceof Boolean ? null : "true or false";
          case "target", "desc" -> value instanceof String ? null : "a string";
          default -> null;
        };
    if (bad != null) {
      throw y.error(
          v,
          "'" + key + "' of " + what + " " + e + " must be " + bad + ", not " + Yaml.describe(v));
    }
    switch (key) {
      case "variables" -> variables(y, e, v);
      case "tags" -> e.props.put("tags", strings(y, v, "'tags' of " + e));
      default -> e.props.put(key, value);
    }
  }

  private static void variables(Yaml y, Entity e, Node v) {
    for (Map.Entry<String, Node> var : y.mapping(v, "'variables'").entrySet()) {
      Object value = y.value(var.getValue());
      if (value instanceof Map<?, ?> || value instanceof List<?>) {
        throw y.error(var.getValue(), "variable '" + var.getKey() + "' must be a single value");
      }
      e.variables.put(var.getKey(), value == null ? "" : String.valueOf(value));
    }
  }

  private static List<String> strings(Yaml y, Node v, String what) {
    List<String> out = new ArrayList<>();
    if (v instanceof ScalarNode) {
      out.add(y.string(v, what));
    } else {
      for (Node n : y.sequence(v, what)) {
        out.add(y.string(n, what));
      }
    }
    return out;
  }

  private static int line(Node n) {
    return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
  }
}
