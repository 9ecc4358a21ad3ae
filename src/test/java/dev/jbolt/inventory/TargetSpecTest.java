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

  /**
   * A run has at most 100,000 targets unless the project says more (issue 25.14: two million names
   * once started two million threads); a range is counted before it is made.
   */
  @Test
  void aRunsTargetsAreCapped() {
    long t0 = System.nanoTime();
    JboltException e =
        assertThrows(JboltException.class, () -> INV.resolve("web[01-1000000],web[1-1000000]"));
    assertTrue(e.getMessage().contains("selects more than 100000 targets"), e.getMessage());
    assertTrue(e.getMessage().contains("'max-targets' in jbolt-project.yaml"), e.getMessage());
    assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "refused before the names were made");
    e = assertThrows(JboltException.class, () -> INV.resolve("a[1-60000],b[1-60000]"));
    assertTrue(e.getMessage().contains("selects more than 100000"), e.getMessage());
    assertEquals(120_000, INV.resolve("a[1-60000],b[1-60000]", 200_000).size());
    assertEquals(
        9, INV.resolve("n[1-6],m[1-4],!n[6-10]", 10).size(), "what is excluded is not counted");
    assertEquals(3, NodeSet.count("x[1-3]"));
    assertEquals(6, NodeSet.count("r[1-2]n[1,3,5]"));
    assertEquals(Long.MAX_VALUE, NodeSet.count("x[1-99999999999999]y[1-99999999999999]"));
  }
}
