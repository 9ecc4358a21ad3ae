package dev.jbolt.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.JboltException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryParserTest {
  private final ByteArrayOutputStream warnings = new ByteArrayOutputStream();

  private Inventory parse(String yaml) {
    return InventoryParser.parse(yaml, "inventory.yaml", new PrintStream(warnings, true));
  }

  static final String NESTED =
      """
      config:
        transport: ssh
        ssh:
          user: root
          port: 22
          host-key-check: false
      vars: {env: prod, tags: {a: 1}}
      facts: {os: {family: debian, release: 12}}
      features: [base]
      targets:
        - gw
      groups:
        - name: web
          config:
            ssh: {user: deploy}
          vars: {tags: {b: 2}}
          facts: {os: {release: 11}}
          features: [nginx]
          targets:
            - web1
            - name: web2
              uri: 10.0.0.2:2222
              alias: [w2, frontend]
              config:
                ssh: {port: 2200}
              vars: {role: primary}
          groups:
            - name: canary
              config:
                ssh: {user: canary}
              targets: [web1]
        - name: db
          targets:
            - db1
            - web2
      """;

  @Test
  void readsTargetsGroupsAndAliases() {
    Inventory inv = parse(NESTED);
    assertEquals(
        List.of("gw", "web1", "web2", "db1"), inv.targets().stream().map(Target::name).toList());
    assertEquals(
        List.of("web1", "web2"), inv.groupTargets("web").stream().map(Target::name).toList());
    assertEquals(List.of("web1"), inv.groupTargets("canary").stream().map(Target::name).toList());
    assertEquals(
        List.of("gw", "web1", "web2", "db1"),
        inv.groupTargets("all").stream().map(Target::name).toList());
    assertEquals("web2", inv.targetOrAlias("frontend").orElseThrow().name());
    assertEquals(List.of("all", "web", "db"), inv.target("web2").orElseThrow().groups());
  }

  @Test
  void deeperGroupsOverrideParentsAndTargetsOverrideGroups() {
    Inventory inv = parse(NESTED);
    Target web1 = inv.target("web1").orElseThrow();
    // canary (deeper) wins over web, which wins over the top level; maps merge deeply.
    assertEquals(
        Map.of("user", "canary", "port", 22, "host-key-check", false), web1.config().get("ssh"));
    assertEquals(Map.of("family", "debian", "release", 11), web1.facts().get("os"));
    // vars merge shallowly: web's tags replace the top level's.
    assertEquals(Map.of("b", 2), web1.vars().get("tags"));
    assertEquals("prod", web1.vars().get("env"));
    assertEquals(Set.of("base", "nginx"), web1.features());
    Target web2 = inv.target("web2").orElseThrow();
    assertEquals(2200, ((Map<?, ?>) web2.config().get("ssh")).get("port"));
    assertEquals("deploy", ((Map<?, ?>) web2.config().get("ssh")).get("user"));
    assertEquals("primary", web2.vars().get("role"));
  }

  @Test
  void theUriWinsOverConfig() {
    Target web2 = parse(NESTED).target("web2").orElseThrow();
    assertEquals("10.0.0.2", web2.host());
    assertEquals(2222, web2.transportConfig().get("port"));
    assertEquals("ssh", web2.transport());
  }

  @Test
  void amongSiblingGroupsTheEarlierWins() {
    Inventory inv =
        parse(
            """
        groups:
          - name: first
            config: {ssh: {user: one}}
            targets: [h]
          - name: second
            config: {ssh: {user: two, port: 2}}
            targets: [h]
        """);
    assertEquals(
        Map.of("user", "one", "port", 2), inv.target("h").orElseThrow().config().get("ssh"));
  }

  @Test
  void localhostUsesTheLocalTransport() {
    Inventory inv = parse("config: {transport: ssh}\ntargets: [localhost, other]\n");
    assertEquals("local", inv.target("localhost").orElseThrow().transport());
    assertEquals("ssh", inv.target("other").orElseThrow().transport());
    assertEquals("local", Inventory.empty().adhoc("localhost").transport());
  }

  @Test
  void rangesInStringTargetsExpand() {
    Inventory inv =
        parse(
            "groups:\n  - name: web\n    config: {ssh: {user: u}}\n    targets: ['web[01-03]', db1]\n");
    assertEquals(
        List.of("web01", "web02", "web03", "db1"),
        inv.groupTargets("web").stream().map(Target::name).toList());
    assertEquals(Map.of("user", "u"), inv.target("web02").orElseThrow().config().get("ssh"));
    JboltException e =
        assertThrows(JboltException.class, () -> parse("targets:\n  - 'web[3-1]'\n"));
    assertTrue(e.getMessage().startsWith("inventory.yaml:2: bad range"), e.getMessage());
  }

  @Test
  void anEmptyFileIsAnEmptyInventory() {
    assertEquals(List.of(), parse("").targets());
    assertEquals(List.of(), parse("# nothing\n").targets());
  }

  @Test
  void unknownKeysWarnWithTheirLine() {
    parse("targets: [a]\ngroups:\n  - name: g\n    colour: blue\n    targets: [b]\n");
    assertTrue(
        warnings.toString().contains("inventory.yaml:4: unknown key 'colour' in group 'g'"),
        warnings.toString());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "groups:\\n  - name: a\\n  - name: a|inventory.yaml:3: group 'a' is defined twice (first at line 2)",
        "targets: [web]\\ngroups:\\n  - name: web\\n    targets: [x]|inventory.yaml:3: group 'web' has the same name as a target",
        "groups:\\n  - targets: [x]|inventory.yaml:2: a group needs a 'name'",
        "groups:\\n  - name: all|inventory.yaml:2: 'all' is the implicit top-level group",
        "targets: [a b]|inventory.yaml:1: target name 'a b' is empty or contains whitespace or a comma",
        "targets:\\n  - {alias: x}|inventory.yaml:2: a target needs a 'name' or a 'uri'",
        "targets: {a: 1}|inventory.yaml:1: targets must be a list, not a mapping",
        "version: 1\\ntargets: [a]|inventory.yaml:1: unsupported inventory version '1'",
        "nodes: [a]|inventory.yaml:1: 'nodes' is inventory version 1",
        "targets: [a\\n  b: c|inventory.yaml:2:4: invalid YAML",
        "targets: [a]\\ntargets: [b]|inventory.yaml:2: duplicate key 'targets' in the inventory",
        "config: [1]|inventory.yaml:1: 'config' of the inventory must be a mapping",
        "config: {transport: winrm}\\ntargets: [a]|inventory.yaml:1: unknown transport 'winrm'",
        "targets:\\n  - {name: a, alias: b}\\n  - {name: c, alias: b}|alias 'b' is used by both 'a' and 'c'",
        "- a\\n- b|inventory.yaml:1: the inventory must be a mapping, not a list",
      })
  void badInventoriesFailNamingFileAndLine(String yaml, String message) {
    JboltException e = assertThrows(JboltException.class, () -> parse(yaml.replace("\\n", "\n")));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
  }
}
