package dev.jbolt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A YAML document that expands to far more than it says (aliases of aliases: "a billion laughs") is
 * refused as one line and exit 2, in every YAML file jbolt reads, instead of eating the heap.
 */
class YamlBombTest {
  @TempDir Path tmp;

  /** Nine anchors and 90 aliases (under SnakeYAML's limit of 100), 10^9 nodes once expanded. */
  static String bomb(String indent) {
    StringBuilder sb = new StringBuilder();
    sb.append(indent).append("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i <= 9; i++) {
      sb.append(indent).append("a").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 10; j++) {
        sb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      sb.append("]\n");
    }
    return sb.toString();
  }

  private void refused(Cli.Outcome o, String file) {
    assertEquals(2, o.code(), o::toString);
    assertEquals(1, o.err().lines().count(), o::toString);
    assertTrue(o.err().contains(file) && o.err().contains("expand to more than"), o::toString);
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void anAliasBombInTheInventoryIsRefused() throws Exception {
    Files.writeString(
        tmp.resolve("inventory.yaml"), "vars:\n" + bomb("  ") + "targets: [localhost]\n");
    refused(Cli.run(tmp, "command", "run", "true", "-t", "localhost"), "inventory.yaml");
    refused(Cli.run(tmp, "inventory", "show"), "inventory.yaml");
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void anAliasBombInTheProjectFileIsRefused() throws Exception {
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: x\nx-extra:\n" + bomb("  "));
    refused(Cli.run(tmp, "command", "run", "true", "-t", "localhost"), "jbolt-project.yaml");
  }

  @Test
  void aliasesThatStaySmallAreFine() throws Exception {
    Files.writeString(
        tmp.resolve("inventory.yaml"),
        "vars:\n  base: &b {a: 1, b: 2}\n  one: *b\n  two: *b\n" + "targets: [localhost]\n");
    Cli.Outcome o = Cli.run(tmp, "inventory", "show", "--detail");
    assertEquals(0, o.code(), o::toString);
  }

  @Test
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void aRecursiveAliasIsRefused() throws Exception {
    Files.writeString(
        tmp.resolve("inventory.yaml"), "vars:\n  loop: &l [1, *l]\ntargets: [localhost]\n");
    Cli.Outcome o = Cli.run(tmp, "inventory", "show", "--detail");
    assertEquals(2, o.code(), o::toString);
    assertEquals(1, o.err().lines().count(), o::toString);
  }
}
