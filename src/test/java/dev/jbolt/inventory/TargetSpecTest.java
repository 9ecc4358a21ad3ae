package dev.jbolt.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.JboltException;
import java.io.PrintStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetSpecTest {
  static final Inventory INV =
      InventoryParser.parse(
          """
      targets:
        - localhost
      groups:
        - name: web
          targets: [web01, web02, web03, web10]
        - name: db
          targets:
            - name: db1
              alias: primary
            - db2
          groups:
            - name: replicas
              targets: [db2]
      """,
          "inventory.yaml",
          new PrintStream(PrintStream.nullOutputStream()));

  private static String names(String spec) {
    return String.join(" ", INV.resolve(spec).stream().map(Target::name).toList());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "web01|web01",
        "web|web01 web02 web03 web10",
        "@web|web01 web02 web03 web10",
        "all|localhost web01 web02 web03 web10 db1 db2",
        "primary|db1",
        "replicas|db2",
        "web0*|web01 web02 web03",
        "WEB0?|web01 web02 web03",
        "d*|db1 db2",
        "web[01-02]|web01 web02",
        "web[01-02,10]|web01 web02 web10",
        "web,!web02|web01 web03 web10",
        "all,!web,!db|localhost",
        "all,!web*|localhost db1 db2",
        "db,!primary|db2",
        "web01,web01,web|web01 web02 web03 web10",
        "web02 db1|web02 db1",
        "newhost|newhost",
        "node[1-3].example.com|node1.example.com node2.example.com node3.example.com",
        "10.0.0.[1-2]|10.0.0.1 10.0.0.2",
        "ssh://admin@10.1.1.1:2222|ssh://admin@10.1.1.1:2222",
        "local://here|local://here",
        "web,!web[02-03]|web01 web10",
        "admin@box:2222|admin@box:2222",
      })
  void resolvesEveryForm(String spec, String expected) {
    assertEquals(expected, names(spec));
  }

  @Test
  void adhocTargetsKeepTheirUriParts() {
    Target t = INV.resolve("ssh://admin@10.1.1.1:2222").get(0);
    assertEquals("10.1.1.1", t.host());
    assertEquals(2222, t.transportConfig().get("port"));
    assertEquals("admin", t.transportConfig().get("user"));
    assertEquals("local", INV.resolve("local://here").get(0).transport());
    assertEquals("local", INV.resolve("localhost").get(0).transport());
    assertEquals("ssh", INV.resolve("newhost").get(0).transport());
  }

  @Test
  void passwordsInUrisAreHiddenInNames() {
    Target t = INV.resolve("ssh://admin:s3cret@box").get(0);
    assertEquals("ssh://admin@box", t.safeName());
    assertEquals("s3cret", t.transportConfig().get("password"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "nomatch*|pattern 'nomatch*' matches no target",
        "@nogroup|unknown group 'nogroup'",
        "web,!web|target spec 'web,!web' matches no target",
        "web[1-|unbalanced '['",
        "!|'!' must be followed",
        "a/b|'a/b' is not a target, group, pattern or host name",
      })
  void badSpecsFailClearly(String spec, String message) {
    JboltException e = assertThrows(JboltException.class, () -> INV.resolve(spec));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  @Test
  void splitsOnCommasAndSpacesButNotInsideBrackets() {
    assertEquals(List.of("web[1,2]", "db", "x"), TargetSpec.words("web[1,2], db  x"));
  }
}
