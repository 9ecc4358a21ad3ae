package dev.jbolt.inventory;

import dev.jbolt.JboltException;
import dev.jbolt.Yaml;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Reads Bolt's inventory v2 format. The top level is the implicit group {@code all}; groups nest to
 * any depth; a target is a string (a URI, or the name of a target defined elsewhere) or a map. Data
 * merges as Bolt does: children override parents, among sibling groups the earlier wins, and a
 * target's own data wins over its groups'.
 */
public final class InventoryParser {
  private static final Set<String> GROUP_KEYS =
      Set.of("name", "targets", "groups", "config", "vars", "facts", "features", "plugin_hooks");
  private static final Set<String> TOP_KEYS =
      Set.of("targets", "groups", "config", "vars", "facts", "features", "plugin_hooks", "version");
  private static final Set<String> TARGET_KEYS =
      Set.of("name", "uri", "alias", "config", "vars", "facts", "features", "plugin_hooks");

  /** Bolt's transports' config sections: each is a mapping, even those jbolt does not run. */
  private static final List<String> TRANSPORT_SECTIONS =
      List.of("ssh", "local", "winrm", "docker", "pcp", "remote", "podman", "lxd", "jail");

  private static final Pattern ILLEGAL = Pattern.compile("[\\s,]");

  private final Yaml yaml;
  private final PrintStream warnings;

  /** Where each group was defined, to report duplicates. */
  private final Map<String, Node> groupNodes = new LinkedHashMap<>();

  /** Map-form target definitions by name, gathered before groups are walked. */
  private final Map<String, List<Definition>> definitions = new LinkedHashMap<>();

  /** Every target name, in order of first appearance. */
  private final Set<String> names = new LinkedHashSet<>();

  private final Map<String, String> aliases = new LinkedHashMap<>();

  private record Definition(Node node, String uri, List<String> aliases, Data data) {}

  private final Path file;

  /** {@code yaml}'s plugin references are resolved first: a failing plugin stops here. */
  private InventoryParser(Yaml yaml, Path file, PrintStream warnings, Plugins plugins) {
    this.yaml = plugins.expand(yaml);
    this.file = file;
    this.warnings = warnings;
  }

  /** Reads the inventory at {@code file}; errors name it as {@code label}. */
  public static Inventory parse(Path file, String label, PrintStream warnings, Plugins plugins) {
    return new InventoryParser(Yaml.read(file, label), file, warnings, plugins).parse();
  }

  public static Inventory parse(String text, String label, PrintStream warnings) {
    return parse(text, label, warnings, Plugins.NONE);
  }

  public static Inventory parse(String text, String label, PrintStream warnings, Plugins plugins) {
    return new InventoryParser(Yaml.parse(text, label), null, warnings, plugins).parse();
  }

  private Inventory parse() {
    Node root = yaml.root();
    if (Yaml.isNull(root)) {
      return Inventory.empty();
    }
    Map<String, Node> top = yaml.mapping(root, "the inventory");
    if (top.containsKey("nodes")) {
      throw yaml.error(
          top.get("nodes"),
          "'nodes' is inventory version 1, which is not supported: rename it to 'targets'");
    }
    if (top.containsKey("version")) {
      Object v = yaml.value(top.get("version"));
      if (!(v instanceof Number n) || n.intValue() != 2) {
        throw yaml.error(
            top.get("version"), "unsupported inventory version '" + v + "' (only 2 is supported)");
      }
    }
    if (top.containsKey("name")) {
      throw yaml.error(
          top.get("name"), "the top level of the inventory is group 'all' and takes no 'name'");
    }
    warnUnknown(top, TOP_KEYS, "the inventory");
    collectDefinitions(top);
    Data allData = data(top, "the inventory");
    return build(walkGroup(Inventory.ALL, top, allData));
  }

  /** First pass: every map-form target, so that string references resolve wherever they stand. */
  private void collectDefinitions(Map<String, Node> group) {
    if (group.containsKey("targets") && !Yaml.isNull(group.get("targets"))) {
      for (Node t : yaml.sequence(group.get("targets"), "targets")) {
        if (!(t instanceof ScalarNode)) {
          Map<String, Node> m = yaml.mapping(t, "a target");
          definition(t, m);
        }
      }
    }
    if (group.containsKey("groups") && !Yaml.isNull(group.get("groups"))) {
      for (Node g : yaml.sequence(group.get("groups"), "groups")) {
        collectDefinitions(yaml.mapping(g, "a group"));
      }
    }
  }

  private void definition(Node node, Map<String, Node> m) {
    warnUnknown(m, TARGET_KEYS, "a target");
    String name = m.containsKey("name") ? yaml.string(m.get("name"), "target 'name'") : null;
    String uri = m.containsKey("uri") ? yaml.string(m.get("uri"), "target 'uri'") : null;
    if (name == null && uri == null) {
      throw yaml.error(node, "a target needs a 'name' or a 'uri'");
    }
    if (uri != null) {
      try {
        TargetUri.parse(uri);
      } catch (JboltException e) {
        throw yaml.error(m.get("uri"), e.getMessage());
      }
    }
    String key = name != null ? name : uri;
    checkName(m.getOrDefault("name", m.get("uri")), key, "target");
    List<String> al = new ArrayList<>();
    Node aliasNode = m.get("alias");
    if (aliasNode != null && !Yaml.isNull(aliasNode)) {
      if (aliasNode instanceof ScalarNode) {
        al.add(yaml.string(aliasNode, "alias"));
      } else {
        for (Node a : yaml.sequence(aliasNode, "alias")) {
          al.add(yaml.string(a, "alias"));
        }
      }
      for (String a : al) {
        checkName(aliasNode, a, "alias");
      }
    }
    definitions
        .computeIfAbsent(key, k -> new ArrayList<>())
        .add(new Definition(node, uri, al, data(m, "target '" + key + "'")));
  }

  private InventoryGroup walkGroup(String name, Map<String, Node> group, Data data) {
    Set<String> members = members(name, group.get("targets"));
    List<InventoryGroup> children = new ArrayList<>();
    Node groupsNode = group.get("groups");
    if (groupsNode != null && !Yaml.isNull(groupsNode)) {
      for (Node g : yaml.sequence(groupsNode, "groups of group '" + name + "'")) {
        Map<String, Node> gm = yaml.mapping(g, "a group");
        if (!gm.containsKey("name")) {
          throw yaml.error(g, "a group needs a 'name'");
        }
        String gname = yaml.string(gm.get("name"), "group 'name'");
        checkName(gm.get("name"), gname, "group");
        if (gname.equals(Inventory.ALL)) {
          throw yaml.error(
              gm.get("name"), "'all' is the implicit top-level group and cannot be defined");
        }
        if (groupNodes.containsKey(gname)) {
          throw yaml.error(
              gm.get("name"),
              "group '"
                  + gname
                  + "' is defined twice (first at line "
                  + (groupNodes.get(gname).getStartMark().getLine() + 1)
                  + ")");
        }
        groupNodes.put(gname, gm.get("name"));
        warnUnknown(gm, GROUP_KEYS, "group '" + gname + "'");
        children.add(walkGroup(gname, gm, data(gm, "group '" + gname + "'")));
      }
    }
    return new InventoryGroup(name, data, members, children);
  }

  /** A group's targets (a range is its targets), added to the inventory's names in order. */
  private Set<String> members(String name, Node targetsNode) {
    Set<String> members = new LinkedHashSet<>();
    if (targetsNode != null && !Yaml.isNull(targetsNode)) {
      for (Node t : yaml.sequence(targetsNode, "targets of group '" + name + "'")) {
        String tname;
        if (t instanceof ScalarNode) {
          tname = yaml.string(t, "a target");
          checkName(t, tname, "target");
          if (NodeSet.hasRange(tname) && !definitions.containsKey(tname)) {
            // 'web[01-20]' in a targets list is twenty targets, as in a target spec.
            List<String> expanded;
            try {
              expanded = NodeSet.expand(tname);
            } catch (JboltException e) {
              throw yaml.error(t, e.getMessage());
            }
            names.addAll(expanded);
            members.addAll(expanded);
            continue;
          }
        } else {
          Map<String, Node> m = yaml.mapping(t, "a target");
          tname =
              m.containsKey("name")
                  ? yaml.string(m.get("name"), "name")
                  : yaml.string(m.get("uri"), "uri");
        }
        names.add(tname);
        members.add(tname);
      }
    }
    return members;
  }

  private Inventory build(InventoryGroup root) {
    Map<String, InventoryGroup> groupIndex = new LinkedHashMap<>();
    root.index(groupIndex);
    Map<String, Set<String>> memberSets = new LinkedHashMap<>();
    groupIndex.forEach(
        (g, node) -> {
          Set<String> members = new HashSet<>();
          node.members(members);
          memberSets.put(g, members);
        });
    Map<String, Target> targets = new LinkedHashMap<>();
    for (String name : names) {
      if (groupNodes.containsKey(name)) {
        throw yaml.error(
            groupNodes.get(name), "group '" + name + "' has the same name as a target");
      }
      targets.put(name, target(name, root, memberSets));
    }
    checkAliases(targets, groupIndex);
    Map<String, List<String>> groups = new LinkedHashMap<>();
    // In inventory order, not in the order of listing.
    memberSets.forEach(
        (g, members) -> groups.put(g, names.stream().filter(members::contains).toList()));
    return new Inventory(file, targets, groups, aliases, root.data());
  }

  /** A target: its definitions merged (the first one's URI), its groups' data under its own. */
  private Target target(String name, InventoryGroup root, Map<String, Set<String>> memberSets) {
    Data own = Data.EMPTY;
    String uri = null;
    List<String> al = new ArrayList<>();
    List<Definition> defs = definitions.getOrDefault(name, List.of());
    for (int i = defs.size() - 1; i >= 0; i--) {
      own = own.with(defs.get(i).data());
    }
    for (Definition d : defs) {
      if (uri == null) {
        uri = d.uri();
      }
      al.addAll(d.aliases());
    }
    if (defs.isEmpty()) {
      uri = name; // a bare string target is its own URI
    }
    own = localhostDefault(name, uri, own);
    List<String> groups = new ArrayList<>();
    memberSets.forEach(
        (g, members) -> {
          if (members.contains(name)) {
            groups.add(g);
          }
        });
    return new Target(
        name, uri, List.copyOf(new LinkedHashSet<>(al)), root.collect(name).with(own), groups);
  }

  /** An alias names no other target, no group, and one target only. */
  private void checkAliases(Map<String, Target> targets, Map<String, InventoryGroup> groupIndex) {
    for (Target t : targets.values()) {
      for (String a : t.aliases()) {
        Node at = definitions.get(t.name()).get(0).node();
        if (targets.containsKey(a) && !a.equals(t.name())) {
          throw yaml.error(
              at, "alias '" + a + "' of target '" + t.name() + "' is the name of another target");
        }
        if (groupIndex.containsKey(a)) {
          throw yaml.error(
              at, "alias '" + a + "' of target '" + t.name() + "' is the name of a group");
        }
        String prev = aliases.putIfAbsent(a, t.name());
        if (prev != null && !prev.equals(t.name())) {
          throw yaml.error(
              at, "alias '" + a + "' is used by both '" + prev + "' and '" + t.name() + "'");
        }
      }
    }
  }

  /** {@code localhost} runs on the local transport unless its own definition says otherwise. */
  private static Data localhostDefault(String name, String uri, Data own) {
    boolean isLocalhost = name.equals("localhost") && (uri == null || uri.equals("localhost"));
    if (isLocalhost && !own.config().containsKey("transport")) {
      return own.with(new Data(Map.of("transport", "local"), Map.of(), Map.of(), Set.of()));
    }
    return own;
  }

  private Data data(Map<String, Node> m, String what) {
    Map<String, Object> config = yaml.map(m.get("config"), "'config' of " + what);
    Map<String, Object> vars = yaml.map(m.get("vars"), "'vars' of " + what);
    Map<String, Object> facts = yaml.map(m.get("facts"), "'facts' of " + what);
    Set<String> features = new LinkedHashSet<>();
    Node f = m.get("features");
    if (f != null && !Yaml.isNull(f)) {
      for (Node x : yaml.sequence(f, "'features' of " + what)) {
        features.add(yaml.string(x, "a feature"));
      }
    }
    for (String section : TRANSPORT_SECTIONS) {
      Object v = config.get(section);
      if (v != null && !(v instanceof Map<?, ?>)) {
        throw yaml.error(
            m.get("config"),
            "'config."
                + section
                + "' of "
                + what
                + " must be a mapping of settings, not '"
                + v
                + "'");
      }
    }
    Object transport = config.get("transport");
    if (transport != null && !(transport instanceof String)) {
      throw yaml.error(
          m.get("config"),
          "'config.transport' of " + what + " must be a transport's name, not " + transport);
    }
    if (transport != null && !Target.TRANSPORTS.contains(String.valueOf(transport))) {
      throw yaml.error(
          m.get("config"),
          "unknown transport '"
              + transport
              + "' in "
              + what
              + " (jbolt has "
              + String.join(", ", Target.TRANSPORTS)
              + ")");
    }
    return new Data(config, vars, facts, features);
  }

  private void checkName(Node node, String name, String what) {
    if (name.isEmpty() || ILLEGAL.matcher(name).find()) {
      throw yaml.error(
          node, what + " name '" + name + "' is empty or contains whitespace or a comma");
    }
  }

  private void warnUnknown(Map<String, Node> m, Set<String> known, String what) {
    for (String k : m.keySet()) {
      if (!known.contains(k)) {
        warnings.println(
            "jbolt: warning: "
                + yaml.error(m.get(k), "unknown key '" + k + "' in " + what + " is ignored")
                    .getMessage());
      }
    }
  }
}
