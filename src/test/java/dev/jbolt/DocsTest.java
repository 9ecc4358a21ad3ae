package dev.jbolt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.InventoryParser;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.Json;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples in docs/ are run: a block marked {@code <!-- test: ... -->} is checked here. */
public class DocsTest {
  @TempDir Path tmp;

  static String doc(String name) throws Exception {
    return Files.readString(Path.of("docs", name));
  }

  /** The fenced block or table right after {@code <!-- test: marker -->}. */
  public static List<String> marked(String doc, String marker) {
    Matcher m = Pattern.compile("<!-- test: " + Pattern.quote(marker) + " -->\n(```\\w*\n(.*?)```|((?:\\|.*\n)+))",
        Pattern.DOTALL).matcher(doc);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(2) != null ? m.group(2) : m.group(3));
    }
    assertFalse(out.isEmpty(), "no block marked " + marker);
    return out;
  }

  private static Inventory inventory(String yaml) {
    return InventoryParser.parse(yaml, "inventory.yaml", new PrintStream(PrintStream.nullOutputStream()));
  }

  @Test
  void targetSpecExamplesSelectWhatTheDocSays() throws Exception {
    String doc = doc("targets.md");
    Inventory inv = inventory(marked(doc, "inventory").get(0));
    int rows = 0;
    for (String line : marked(doc, "specs").get(0).split("\n")) {
      Matcher row = Pattern.compile("\\| `([^`]+)` \\| (.+?) \\|").matcher(line);
      if (row.matches()) {
        List<String> names = inv.resolve(row.group(1)).stream().map(Target::name).toList();
        assertEquals(row.group(2), String.join(" ", names), row.group(1));
        rows++;
      }
    }
    assertEquals(13, rows);
  }

  @Test
  void inventoryExampleMergesAsDocumented() throws Exception {
    String doc = doc("inventory.md");
    Projects.withInventory(tmp, marked(doc, "inventory").get(0));
    Cli.Outcome o = Cli.run(tmp, "inventory", "show", "-t", "web1", "--detail", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals(Json.MAPPER.readTree(marked(doc, "detail web1").get(0)), o.json().at("/targets/0"));
  }

  @Test
  void sshExampleInventoryGivesValidSettings() throws Exception {
    String yaml = marked(doc("ssh.md"), "inventory").get(0).replace("{_plugin: env_var, var: SUDO_PW}", "secret");
    Inventory inv = inventory(yaml);
    List<String> names = inv.resolve("all").stream().map(Target::name).toList();
    assertEquals(List.of("app01.internal", "app02.internal", "app03.internal", "app04.internal", "db1"), names);
    var app = dev.jbolt.transport.ssh.SshSettings.of(inv.target("app03.internal").orElseThrow());
    assertEquals("jump@bastion.example.com:2222", app.proxyJump());
    assertEquals(5000, app.connectTimeoutMillis());
    var db = dev.jbolt.transport.ssh.SshSettings.of(inv.target("db1").orElseThrow());
    assertEquals("admin", db.user());
    assertEquals(2200, db.port());
    assertEquals("10.0.0.5", db.host());
    assertEquals("postgres", dev.jbolt.exec.RunSettings.of(inv.target("db1").orElseThrow()).runAs().user());
  }

  /** Console examples: each "$ jbolt ..." line is run from the repository; its output must match. */
  @Test
  void taskExamplesPrintWhatTheDocShows() throws Exception {
    String block = marked(doc("tasks.md"), "task-examples").get(0);
    List<String[]> runs = new ArrayList<>();
    StringBuilder expected = null;
    for (String line : block.split("\n")) {
      if (line.startsWith("$ jbolt ")) {
        expected = new StringBuilder();
        runs.add(new String[] {line.substring("$ jbolt ".length()), null});
      }
      if (expected != null && !line.startsWith("$ ")) {
        expected.append(line).append('\n');
        runs.get(runs.size() - 1)[1] = expected.toString();
      }
    }
    assertEquals(3, runs.size());
    Path repo = Path.of("").toAbsolutePath();
    for (String[] run : runs) {
      Cli.Outcome o = Cli.run(repo, run[0].split(" "));
      String shown = o.code() == 2 ? o.err() : o.out().replaceAll("(?m)^\\d+ succeeded.*\\n", "");
      assertEquals(run[1], shown, run[0]);
    }
  }
}
