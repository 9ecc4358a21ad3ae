package dev.jbolt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.action.RunSettings;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.InventoryParser;
import dev.jbolt.inventory.Plugins;
import dev.jbolt.inventory.Target;
import dev.jbolt.project.Project;
import dev.jbolt.result.Json;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import dev.jbolt.transport.ssh.SshSettings;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assertions;
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
    Matcher m =
        Pattern.compile(
                "<!-- test: "
                    + Pattern.quote(marker)
                    + " -->\n(```\\w*\n(.*?)```|((?:\\|[^\n]*\n)+))",
                Pattern.DOTALL)
            .matcher(doc);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(2) != null ? m.group(2) : m.group(3));
    }
    assertFalse(out.isEmpty(), "no block marked " + marker);
    return out;
  }

  private static Inventory inventory(String yaml) {
    return InventoryParser.parse(
        yaml, "inventory.yaml", new PrintStream(PrintStream.nullOutputStream()));
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
    assertEquals(
        Json.mapper().readTree(marked(doc, "detail web1").get(0)), o.json().at("/targets/0"));
  }

  @Test
  void sshAlgorithmsExampleIsTakenAsWritten() throws Exception {
    String yaml = marked(doc("ssh.md"), "algorithms").get(0) + "targets: [web1]\n";
    var s = SshSettings.of(inventory(yaml).target("web1").orElseThrow());
    assertEquals(
        "Algorithms[kex=[curve25519-sha256, ecdh-sha2-nistp256],"
            + " ciphers=[aes256-gcm@openssh.com, aes256-ctr],"
            + " hostKeys=[ssh-ed25519, ecdsa-sha2-nistp256],"
            + " macs=[hmac-sha2-512-etm@openssh.com]]",
        s.algorithms().toString());
  }

  @Test
  void sshExampleInventoryGivesValidSettings() throws Exception {
    String yaml =
        marked(doc("ssh.md"), "inventory")
            .get(0)
            .replace("{_plugin: env_var, var: SUDO_PW}", "secret");
    Inventory inv = inventory(yaml);
    List<String> names = inv.resolve("all").stream().map(Target::name).toList();
    assertEquals(
        List.of("app01.internal", "app02.internal", "app03.internal", "app04.internal", "db1"),
        names);
    var app = SshSettings.of(inv.target("app03.internal").orElseThrow());
    assertEquals("jump@bastion.example.com:2222", app.proxyJump());
    assertEquals(5000, app.connectTimeoutMillis());
    var db = SshSettings.of(inv.target("db1").orElseThrow());
    assertEquals("admin", db.user());
    assertEquals(2200, db.port());
    assertEquals("10.0.0.5", db.host());
    assertEquals("postgres", RunSettings.of(inv.target("db1").orElseThrow()).runAs().user());
  }

  /**
   * Console examples: each "$ jbolt ..." line is run from the repository; its output must match.
   */
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

  /** docs/plans.md: the example plans run on localhost and print what the doc shows. */
  @Test
  void planExamplesRunAsDocumented() throws Exception {
    String doc = doc("plans.md");
    Projects.withInventory(tmp, "targets: [localhost]\n");
    Files.createDirectories(tmp.resolve("plans"));
    Files.writeString(tmp.resolve("plans/disk_report.js"), marked(doc, "plan").get(0));
    Files.writeString(tmp.resolve("plans/loads.js"), marked(doc, "async-plan").get(0));
    String console = marked(doc, "plan-run").get(0);
    String command = console.lines().findFirst().orElseThrow().substring("$ jbolt ".length());
    Cli.Outcome o = Cli.run(tmp, "plan", "run", "disk_report", "-t", "localhost", "limit=100");
    assertEquals("plan run disk_report -t localhost limit=100", command);
    assertEquals(0, o.code(), o::toString);
    String shown =
        o.out()
            .replaceAll("(?m) in \\d+\\.\\d\\d s$", "")
            .replaceAll("(?m)^localhost: \\d+% used$", "localhost: N% used");
    assertEquals(console.substring(console.indexOf('\n') + 1), shown);
    Cli.Outcome full =
        Cli.run(
            tmp, "plan", "run", "disk_report", "-t", "localhost", "limit=1", "--format", "json");
    assertEquals(1, full.code(), full::toString);
    assertEquals("disk/full", full.json().get("kind").asText());
    Cli.Outcome loads = Cli.run(tmp, "plan", "run", "loads", "-t", "localhost", "--format", "json");
    assertEquals(0, loads.code(), loads::toString);
    assertEquals("localhost", loads.json().at("/0/target").asText());
  }

  /** docs/plans.md: the YAML plan runs on localhost and returns what its return says. */
  @Test
  void yamlPlanExampleRuns() throws Exception {
    Projects.withInventory(tmp, "targets: [localhost]\n");
    Files.createDirectories(tmp.resolve("plans"));
    Files.writeString(
        tmp.resolve("plans/report.yaml"), marked(doc("plans.md"), "yaml-plan").get(0));
    Cli.Outcome o = Cli.run(tmp, "plan", "run", "report", "-t", "localhost", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("[\"localhost\"]", o.json().get("names").toString());
    assertEquals(true, o.json().get("first").asText().matches("\\d+"), o::toString);
    assertEquals(true, o.err().contains("checked 1 targets against 90%"), o::toString);
    Cli.Outcome show = Cli.run(tmp, "plan", "show", "report");
    assertEquals(true, show.out().contains("limit: Integer (default: 90)"), show::toString);
  }

  @Test
  void pluginExampleResolvesFromTheEnvironmentAndAPrompt() throws Exception {
    String yaml = marked(doc("inventory.md"), "plugins").get(0) + "targets: [web1]\n";
    Inventory inv =
        InventoryParser.parse(
            yaml,
            "inventory.yaml",
            new PrintStream(OutputStream.nullOutputStream()),
            new Plugins(Map.of("SSH_PASSWORD", "pw-from-env"), message -> "answer to " + message));
    Target t = inv.target("web1").orElseThrow();
    assertEquals("pw-from-env", ((Map<?, ?>) t.config().get("ssh")).get("password"));
    assertEquals(
        "answer to sudo password", ((Map<?, ?>) t.config().get("ssh")).get("sudo-password"));
    assertEquals("eu-west", t.vars().get("region"));
    assertEquals(null, t.vars().get("extra"));
  }

  /**
   * docs/services.md: the example runs (start, stop, the plan), and its graph is the one drawn in
   * docs/images (regenerate with {@code jbolt service -g > docs/images/services-graph.dot; dot
   * -Tsvg ...} when the example changes).
   */
  @Test
  void servicesExampleRunsAndItsGraphIsTheOneDrawn() throws Exception {
    String doc = doc("services.md");
    Path p = Files.createDirectories(tmp.resolve("cluster"));
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: cluster\n");
    Files.writeString(
        p.resolve("inventory.yaml"),
        "groups:\n  - {name: head, targets: [localhost]}\n  - {name: compute, targets: [localhost]}\n");
    Files.createDirectories(p.resolve("services"));
    Files.writeString(p.resolve("services/stack.yaml"), marked(doc, "services-example").get(0));
    Cli.Outcome o = Cli.run(p, "service", "start", "-s");
    assertEquals(0, o.code(), o::toString);
    for (String line :
        List.of(
            "network - Interconnect",
            "batch.clients - Batch scheduler",
            "monitoring",
            " SUMMARY - 5 actions (0 failed)")) {
      assertTrue(o.out().contains(line), o::toString);
    }
    Cli.Outcome stop = Cli.run(p, "service", "stop");
    assertTrue(stop.out().indexOf("monitoring") < stop.out().indexOf("storage"), stop::toString);
    assertFalse(stop.out().contains("network"), "no stop action: left alone");
    Cli.Outcome g = Cli.run(p, "service", "-g");
    assertEquals(
        Files.readString(Path.of("docs/images/services-graph.dot")), g.out(), "regenerate the SVG");
    assertTrue(Files.readString(Path.of("docs/images/services-graph.svg")).contains("<svg"));
    Files.createDirectories(p.resolve("plans"));
    Files.writeString(p.resolve("plans/up.js"), marked(doc, "services-plan").get(0));
    Cli.Outcome plan = Cli.run(p, "plan", "run", "cluster::up", "--format", "json");
    assertEquals(0, plan.code(), plan::toString);
    assertTrue(plan.out().contains("batch.clients: OK"), plan::toString);
  }

  /** docs/inventory.md: the pkcs7, yaml and task examples, with values made here. */
  @Test
  void secretAndPluginExamplesRun() throws Exception {
    String doc = doc("inventory.md");
    Path p = Files.createDirectories(tmp.resolve("myproject"));
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: myproject\n");
    assertEquals(0, Cli.run(p, "secret", "createkeys").code());
    String enc = Cli.run(p, "secret", "encrypt", "pw-in-the-doc").out().strip();
    String pkcs7 =
        marked(doc, "pkcs7")
            .get(0)
            .replaceAll("ENC\\[PKCS7,[^\\]]*\\]", enc.replace("\n", "\n        "));
    Inventory inv =
        InventoryParser.parse(
            pkcs7 + "targets: [web1]\n",
            "inventory.yaml",
            new PrintStream(OutputStream.nullOutputStream()),
            new Plugins(Map.of(), m -> "", p, Map.of(), new dev.jbolt.Secrets()));
    assertEquals(
        "pw-in-the-doc",
        ((Map<?, ?>) inv.target("web1").orElseThrow().config().get("ssh")).get("password"));

    Files.createDirectories(p.resolve("inventory.d"));
    Files.writeString(p.resolve("inventory.d/web.yaml"), "- web1\n- name: web2\n");
    Files.writeString(p.resolve("inventory.d/common.yaml"), "region: eu\n");
    Files.writeString(p.resolve("inventory.yaml"), marked(doc, "plugins-yaml").get(0));
    Cli.Outcome o = Cli.run(p, "inventory", "show", "-t", "web", "--detail", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("web2", o.json().at("/targets/1/name").asText(), o::toString);
    assertEquals("eu", o.json().at("/targets/1/vars/region").asText(), o::toString);

    Files.createDirectories(p.resolve("tasks"));
    Path task = p.resolve("tasks/cmdb_targets.sh");
    Files.writeString(
        task,
        "#!/bin/sh\necho '{\"value\": [\"web1\", {\"name\": \"db\", \"uri\": \"10.0.0.5\"}]}'\n");
    task.toFile().setExecutable(true);
    Files.writeString(p.resolve("inventory.yaml"), marked(doc, "plugins-task").get(0));
    o = Cli.run(p, "inventory", "show", "-t", "all", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("[\"web1\",\"db\"]", o.json().get("targets").toString(), o::toString);
  }

  /**
   * docs/ssh.md names every ssh setting jbolt and Bolt know, once: those in the settings table are
   * honoured, those in the other table are warned about, with a reason.
   */
  @Test
  void everySshSettingIsDocumentedAsHonouredOrIgnored() throws Exception {
    String doc = doc("ssh.md");
    Set<String> honoured = keys(marked(doc, "ssh-settings").get(0));
    Set<String> ignored = keys(marked(doc, "ssh-ignored").get(0));
    Set<String> all = new TreeSet<>(honoured);
    all.addAll(ignored);
    assertEquals(
        new TreeSet<>(SshSettings.KEYS), all, "every known ssh key is in one of the tables");
    for (String k : honoured) {
      assertEquals(null, SshSettings.notHonoured(k, "x"), k + " is honoured");
      assertFalse(ignored.contains(k), k + " is in both tables");
    }
    for (String k : ignored) {
      Assertions.assertNotNull(SshSettings.notHonoured(k, "x"), k + " is warned about");
    }
  }

  /** The backquoted keys in the first column of a table. */
  private static Set<String> keys(String table) {
    Set<String> out = new TreeSet<>();
    for (String line : table.split("\n")) {
      if (line.startsWith("| `")) {
        Matcher m = Pattern.compile("`([a-z-]+)`").matcher(line.split("\\|")[1]);
        while (m.find()) {
          out.add(m.group(1));
        }
      }
    }
    return out;
  }

  @Test
  void warmRunsPersistSettingIsRead() throws Exception {
    Files.writeString(
        tmp.resolve("jbolt-project.yaml"), marked(doc("warm.md"), "persist setting").get(0));
    assertEquals(300, Project.persistSeconds(tmp));
    assertEquals(0, Cli.run(tmp, "inventory", "show").code(), "a valid project file");
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: lab\npersist: -1\n");
    Cli.Outcome bad = Cli.run(tmp, "inventory", "show");
    assertEquals(2, bad.code(), bad::toString);
    assertTrue(
        bad.err().contains("jbolt-project.yaml:2") && bad.err().contains("persist"), bad::toString);
  }

  @Test
  void reportExampleWritesThePage() throws Exception {
    Projects.withInventory(tmp, "targets: [localhost]\n");
    String line = marked(doc("output.md"), "report").get(0).strip();
    Matcher m = Pattern.compile("jbolt command run '([^']*)' (.*)").matcher(line);
    assertTrue(m.matches(), line);
    List<String> args = new ArrayList<>(List.of("command", "run", m.group(1)));
    args.addAll(List.of(m.group(2).split(" ")));
    Cli.Outcome o = Cli.run(tmp, args.toArray(String[]::new));
    assertEquals(0, o.code(), o::toString);
    String page = Files.readString(tmp.resolve(args.get(args.indexOf("--report") + 1)));
    assertTrue(page.contains("1 succeeded, 0 failed, 1 total") && page.contains("load average"));
  }

  @Test
  void jsonErrorExampleIsWhatPrints() throws Exception {
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: lab\n");
    String block = marked(doc("output.md"), "json error").get(0);
    String command = block.lines().findFirst().orElseThrow().replaceFirst("^\\$ jbolt ", "");
    Cli.Outcome o = Cli.run(tmp, command.split(" "));
    assertEquals(2, o.code(), o::toString);
    var shown = Json.mapper().readTree(block.substring(block.indexOf('{')));
    var printed = o.json();
    assertEquals(shown.get("kind"), printed.get("kind"), o::toString);
    assertEquals(shown.get("details"), printed.get("details"), o::toString);
    String msg = shown.get("msg").asText();
    assertTrue(
        printed.get("msg").asText().startsWith(msg.substring(0, msg.indexOf("..."))), o::toString);
  }

  /**
   * README's first example, on twenty targets of this machine but one whose port refuses: the lines
   * are jbolt's, the kernel, the time and the refused address being this machine's.
   */
  @Test
  void readmeRunExampleIsWhatPrints() throws Exception {
    String block = marked(Files.readString(Path.of("README.md")), "readme-run").get(0);
    StringBuilder inv = new StringBuilder("targets:\n");
    for (int i = 1; i <= 20; i++) {
      String name = String.format("web%02d", i);
      inv.append(
          i == 19
              ? "  - name: web19\n    uri: 127.0.0.1:1\n"
              : "  - name: " + name + "\n    config: {transport: local}\n");
    }
    Projects.withInventory(tmp, inv.toString());
    String command = block.lines().findFirst().orElseThrow();
    List<String> args = new ArrayList<>();
    Matcher words =
        Pattern.compile("'([^']*)'|(\\S+)").matcher(command.replaceFirst("^\\$ \\./jbolt ", ""));
    while (words.find()) {
      args.add(words.group(1) != null ? words.group(1) : words.group(2));
    }
    Cli.Outcome o = Cli.run(tmp, args.toArray(String[]::new));
    assertEquals(1, o.code(), o::toString);
    String kernel =
        new String(
                new ProcessBuilder("uname", "-sr").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8)
            .strip();
    String shown =
        block
            .substring(block.indexOf('\n') + 1)
            .replace("Linux 6.1.0-28-amd64", kernel)
            .replaceAll("total in [0-9.]+ s", "total in T s");
    String printed =
        (o.out() + o.err())
            .replace("127.0.0.1:1", "web19:22")
            .replaceAll("total in [0-9.]+ s", "total in T s");
    assertEquals(shown, printed);
  }
}
