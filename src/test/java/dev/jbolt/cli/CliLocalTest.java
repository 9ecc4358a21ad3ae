package dev.jbolt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import dev.jbolt.transport.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI end to end on the local transport: output, JSON shape, exit codes, bad input. */
class CliLocalTest {
  @TempDir Path tmp;

  @Test
  void commandRunPrintsOutputAndASummary() {
    Cli.Outcome o =
        Cli.run(tmp, "command", "run", "echo hello; sleep 0.3; echo warn >&2", "-t", "localhost");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        "== localhost: ok\nhello\nwarn\n", o.out().substring(0, o.out().indexOf("1 succeeded")));
    assertTrue(
        o.out().matches("(?s).*1 succeeded, 0 failed, 1 total in \\d+\\.\\d\\d s\n"), o.out());
  }

  @Test
  void jsonHasBoltsShapeFieldForField() {
    // The pause orders the two streams: merged_output is in arrival order, and two pipes race.
    String cmd = "echo out; sleep 0.3; echo err >&2; exit 3";
    Cli.Outcome o = Cli.run(tmp, "command", "run", cmd, "-t", "localhost", "--format", "json");
    assertEquals(1, o.code(), o::toString);
    JsonNode root = o.json();
    assertEquals(List.of("items", "target_count", "elapsed_time"), fields(root));
    assertEquals(1, root.get("target_count").asInt());
    assertTrue(root.get("elapsed_time").isIntegralNumber());
    JsonNode item = root.get("items").get(0);
    assertEquals(List.of("target", "action", "object", "status", "value"), fields(item));
    assertEquals("localhost", item.get("target").asText());
    assertEquals("command", item.get("action").asText());
    assertEquals(cmd, item.get("object").asText());
    assertEquals("failure", item.get("status").asText());
    JsonNode v = item.get("value");
    assertEquals(List.of("stdout", "stderr", "merged_output", "exit_code", "_error"), fields(v));
    assertEquals("out\n", v.get("stdout").asText());
    assertEquals("err\n", v.get("stderr").asText());
    assertEquals("out\nerr\n", v.get("merged_output").asText());
    assertEquals(3, v.get("exit_code").asInt());
    JsonNode err = v.get("_error");
    assertEquals("puppetlabs.tasks/command-error", err.get("kind").asText());
    assertEquals("The command failed with exit code 3", err.get("msg").asText());
    assertEquals(3, err.at("/details/exit_code").asInt());
    assertEquals("COMMAND_ERROR", err.get("issue_code").asText());
  }

  private static List<String> fields(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void exitCodeIsOneWhenAnyTargetFails() {
    Projects.withInventory(
        tmp, "targets:\n  - localhost\n  - name: other\n    uri: local://other\n");
    Cli.Outcome o =
        Cli.run(tmp, "command", "run", "test \"$X\" = 1", "-t", "all", "--env-var", "X=1");
    assertEquals(0, o.code(), o::toString);
    o = Cli.run(tmp, "command", "run", "exit 4", "-t", "all");
    assertEquals(1, o.code(), o::toString);
    assertTrue(o.out().contains("== localhost,other (2): failed, exit code 4"), o.out());
    assertTrue(o.out().contains("0 succeeded, 2 failed, 2 total"), o.out());
    assertTrue(o.out().contains("Failed: localhost,other"), o.out());
  }

  @Test
  void envVarsArriveQuotedAsGiven() {
    String hostile = "it's \"$(rm -rf /)\" `id` ; $HOME\nline2";
    Cli.Outcome o =
        Cli.run(
            tmp,
            "command",
            "run",
            "printf %s \"$V\"",
            "-t",
            "localhost",
            "--format",
            "json",
            "--env-var",
            "V=" + hostile);
    assertEquals(0, o.code(), o::toString);
    assertEquals(hostile, o.json().at("/items/0/value/stdout").asText());
  }

  @Test
  void commandCanComeFromAFileOrStdin() throws Exception {
    Files.writeString(tmp.resolve("cmd.sh"), "echo from-file\n");
    assertTrue(
        Cli.run(tmp, "command", "run", "@cmd.sh", "-t", "localhost").out().contains("from-file"));
    assertTrue(
        Cli.runWithInput(tmp, "echo from-stdin", "command", "run", "-", "-t", "localhost")
            .out()
            .contains("from-stdin"));
  }

  @Test
  void identicalOutputIsGatheredUnderFoldedNames() {
    StringBuilder inv = new StringBuilder("targets:\n");
    for (int i = 1; i <= 12; i++) {
      inv.append(String.format("  - {name: node%02d, uri: 'local://node%02d'}%n", i, i));
    }
    Projects.withInventory(tmp, inv.toString());
    Cli.Outcome o = Cli.run(tmp, "command", "run", "echo same", "-t", "node[01-12],!node05");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().startsWith("== node[01-04,06-12] (11): ok\nsame\n"), o.out());
    Cli.Outcome each =
        Cli.run(tmp, "command", "run", "echo same", "-t", "node[01-02]", "--no-gather");
    assertTrue(each.out().startsWith("== node01: ok\nsame\n== node02: ok\nsame\n"), each.out());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "command run true -t nomatch*|pattern 'nomatch*' matches no target",
        "command run true -t @nogroup|unknown group 'nogroup'",
        "command run true -t localhost --concurrency 0|--concurrency must be 1 or more",
        "command run true -t localhost --timeout -1|--timeout must be more than 0",
        "command run true -t localhost --env-var 1X=2|--env-var: '1X' is not a valid environment variable name",
        "command run true -t localhost --env-var NOEQUALS|--env-var 'NOEQUALS' must be NAME=VALUE",
        "command run true -t localhost --bogus|Unknown option: '--bogus'",
        "command run true|no targets: give them with --targets/-t (or --rerun)",
        "command run true -t localhost --project nodir|--project nodir: no such directory",
        "command run true -t localhost -i nofile.yaml|--inventoryfile nofile.yaml: no such file",
        "script run nosuch.sh -t localhost|script nosuch.sh: no such file",
        "file upload nosuch /tmp -t localhost|upload source nosuch: no such file or directory",
        "command frobnicate|Unmatched argument at index 1: 'frobnicate'",
        "command run true -t localhost --format yaml|Invalid value for option '--format'",
      })
  void badInputFailsWithOneLineAndExitTwo(String args, String message) {
    Cli.Outcome o = Cli.run(tmp, args.split(" "));
    assertEquals(2, o.code(), o::toString);
    assertTrue(o.err().startsWith("jbolt: error: "), o.err());
    assertTrue(o.err().lines().findFirst().orElseThrow().contains(message), o.err());
    assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
    assertEquals("", o.out());
  }

  @Test
  void malformedInventoryNamesFileAndLine() throws Exception {
    Files.writeString(tmp.resolve("inventory.yaml"), "targets:\n  - web1\n  - {name: web2\n");
    Cli.Outcome o = Cli.run(tmp, "command", "run", "true", "-t", "web1");
    assertEquals(2, o.code(), o::toString);
    assertTrue(o.err().startsWith("jbolt: error: inventory.yaml:4:1: invalid YAML"), o.err());
    Files.writeString(tmp.resolve("inventory.yaml"), "targets:\n  - web1\n   - web2\n");
    o = Cli.run(tmp, "command", "run", "true", "-t", "web1");
    assertEquals(
        "jbolt: error: inventory.yaml:2: target name 'web1 - web2' is empty or contains whitespace or a comma\n",
        o.err());
  }

  @Test
  void traceShowsTheStackTrace() throws Exception {
    Files.writeString(tmp.resolve("inventory.yaml"), "targets: [\n");
    Cli.Outcome o = Cli.run(tmp, "command", "run", "true", "-t", "x", "--trace");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("\tat "), o.err());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "command",
        "command run",
        "script",
        "script run",
        "file",
        "file upload",
        "file download",
        "inventory",
        "inventory show",
        "task",
        "task run",
        "task show",
        "plan",
        "plan run",
        "plan show",
        "module",
        "module install",
        "module add",
        "module show",
        "project",
        "project init",
        "group show",
        "secret encrypt",
        "plugin show",
        "service",
        "plan convert"
      })
  void everyCommandHasHelp(String command) {
    List<String> args =
        new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
    args.add("--help");
    Cli.Outcome o = Cli.run(tmp, args.toArray(String[]::new));
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().startsWith("Usage: jbolt"), o.out());
  }

  /** Bare {@code jbolt} lists the commands; {@code help A B} is {@code A B}'s help. */
  @Test
  void helpListsCommandsAndFindsSubcommands() {
    Cli.Outcome bare = Cli.run(tmp);
    assertEquals(0, bare.code(), bare::toString);
    for (String c : List.of("command", "task", "plan", "service", "secret")) {
      assertTrue(bare.out().contains("\n  " + c + " "), bare.out());
    }
    Cli.Outcome help = Cli.run(tmp, "help", "command", "run");
    assertEquals(0, help.code(), help::toString);
    assertTrue(help.out().startsWith("Usage: jbolt command run "), help.out());
  }

  @Test
  void versionPrints() {
    Cli.Outcome o = Cli.run(tmp, "--version");
    assertEquals(0, o.code());
    assertTrue(o.out().startsWith("jbolt "), o.out());
  }

  @Test
  void projectIsFoundFromTheCurrentDirectoryOrGiven() throws Exception {
    Path project =
        Projects.withInventory(
            tmp.resolve("proj"), "groups:\n  - name: here\n    targets: [localhost]\n");
    assertEquals(0, Cli.run(project, "command", "run", "true", "-t", "here").code());
    assertEquals(
        0, Cli.run(tmp, "command", "run", "true", "-t", "here", "--project", "proj").code());
    assertEquals(
        0,
        Cli.run(tmp, "command", "run", "true", "-t", "here", "-i", "proj/inventory.yaml").code());
    // Outside a project there is no inventory: 'here' is a host name, reached over ssh.
    Cli.Outcome o = Cli.run(tmp, "inventory", "show", "-t", "here");
    assertTrue(o.out().contains("1 target (1 not in the inventory)"), o.out());
  }

  @Test
  void inventoryShowListsAndDetailsWithSecretsMasked() {
    Projects.withInventory(
        tmp,
        """
        config:
          ssh: {user: admin, password: hunter2, sudo-password: alsosecret}
        groups:
          - name: web
            targets: [web1, web2]
        targets: [localhost]
        """);
    Cli.Outcome list = Cli.run(tmp, "inventory", "show");
    assertEquals(
        "web1\nweb2\nlocalhost\n3 targets\n",
        list.out().replace("localhost\nweb1\nweb2", "web1\nweb2\nlocalhost"));
    Cli.Outcome detail =
        Cli.run(tmp, "inventory", "show", "-t", "web1", "--detail", "--format", "json");
    assertEquals(0, detail.code(), detail::toString);
    JsonNode t = detail.json().at("/targets/0");
    assertEquals("web1", t.get("name").asText());
    assertEquals("admin", t.at("/config/ssh/user").asText());
    assertEquals("[redacted]", t.at("/config/ssh/password").asText());
    assertEquals("[redacted]", t.at("/config/ssh/sudo-password").asText());
    assertFalse(
        detail.out().contains("hunter2") || detail.out().contains("alsosecret"), detail.out());
    assertEquals("[\"all\",\"web\"]", t.get("groups").toString());
    Cli.Outcome human = Cli.run(tmp, "inventory", "show", "--detail");
    assertFalse(human.out().contains("hunter2"), human.out());
  }

  @Test
  void misspeltSshSettingsAreWarnedAbout() {
    Projects.withInventory(
        tmp, "config:\n  ssh: {hots-key-check: false, user: me}\ntargets: [localhost]\n");
    Cli.Outcome o = Cli.run(tmp, "command", "run", "true", "-t", "localhost");
    assertEquals(0, o.code(), o::toString);
    assertEquals("jbolt: warning: unknown ssh setting 'hots-key-check' is ignored\n", o.err());
  }

  @Test
  void cliConnectionFlagsYieldToTheInventoryWithAWarning() {
    Projects.withInventory(tmp, "config:\n  ssh: {user: fromfile}\ntargets: [box]\n");
    Cli.Outcome o = Cli.run(tmp, "inventory", "show", "-t", "box", "--detail", "--format", "json");
    assertEquals("fromfile", o.json().at("/targets/0/config/ssh/user").asText());
  }

  @Test
  void hugeOutputIsCappedAndMarkedNotKeptWhole() {
    Cli.Outcome o =
        Cli.run(
            tmp,
            "command",
            "run",
            "head -c 20000000 /dev/zero | tr '\\0' x; echo tail >&2",
            "-t",
            "localhost",
            "--format",
            "json");
    assertEquals(0, o.code(), () -> o.err());
    JsonNode v = o.json().at("/items/0/value");
    assertEquals(Exec.MAX_KEPT, v.get("stdout").asText().length());
    assertEquals(20_000_000L - Exec.MAX_KEPT, v.at("/_truncated/stdout").asLong());
    assertEquals(0, v.at("/_truncated/stderr").asLong());
    assertEquals("tail\n", v.get("stderr").asText(), "the other stream is kept in full");
  }
}
