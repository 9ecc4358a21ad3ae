package dev.jbolt.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.result.Json;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bolt-style task modules, run over real SSH: metadata, parameters, delivery, results. */
class TaskRunTest {
  @LabSshd(anyAddress = true)
  static Sshd sshd;

  @TempDir Path tmp;

  @BeforeEach
  void project() throws Exception {
    String[] hosts = new String[20];
    for (int i = 0; i < hosts.length; i++) {
      hosts[i] = "127.0.0." + (i + 2);
    }
    Projects.withInventory(
        tmp,
        Projects.sshConfig(sshd)
            + "groups:\n  - name: many\n    targets: ["
            + String.join(", ", hosts)
            + "]\n"
            + "  - name: special\n    features: [fancy]\n    targets: [127.0.0.30]\n");
    sshd.knownHosts(append(hosts, "127.0.0.30"));
    task(
        "echo_env.sh",
        "#!/bin/sh\nprintf '%s' \"$PT_message\"\n",
        "{\"input_method\": \"environment\", \"parameters\": {\"message\": {\"type\": \"String\"}}}");
    task(
        "echo_stdin.sh",
        "#!/bin/sh\ncat\n",
        "{\"input_method\": \"stdin\", \"parameters\": {\"message\": {\"type\": \"String\"}}}");
    task(
        "both.sh",
        "#!/bin/sh\nprintf '%s|%s|%s|' \"$PT_n\" \"$PT_list\" \"$PT__task\"; cat\n",
        "{\"parameters\": {\"n\": {\"type\": \"Integer\"}, \"list\": {\"type\": \"Array[Integer]\"}}}");
    task("untyped.sh", "#!/bin/sh\necho \"$PT_anything\"\n", null);
    task("fails.sh", "#!/bin/sh\necho oops >&2\nexit 3\n", null);
    task(
        "errs.sh",
        "#!/bin/sh\necho '{\"_error\": {\"kind\": \"fixture/bad\", \"msg\": \"it went wrong\", \"details\": {\"x\": 1}}}'\n",
        null);
    task("text.sh", "#!/bin/sh\necho plain text\n", null);
    task(
        "secret.sh",
        "#!/bin/sh\necho \"{\\\"_sensitive\\\": \\\"$PT_password\\\", \\\"len\\\": ${#PT_password}}\"\n",
        "{\"parameters\": {\"password\": {\"type\": \"String\", \"sensitive\": true},"
            + " \"pin\": {\"type\": \"Optional[Integer]\", \"sensitive\": true}}}");
    task(
        "noop.sh",
        "#!/bin/sh\necho \"{\\\"noop\\\": \\\"$PT__noop\\\"}\"\n",
        "{\"supports_noop\": true}");
    task(
        "hidden.sh",
        "#!/bin/sh\necho hi\n",
        "{\"private\": true, \"description\": \"not listed\", \"x-custom\": 1}");
    task(
        "withfiles.sh",
        "#!/bin/sh\n. \"$PT__installdir/fixture/files/lib.sh\"\nhelper; ls \"$PT__installdir/fixture/lib/dir\"\n",
        "{\"files\": [\"fixture/files/lib.sh\", \"fixture/lib/dir/\"]}");
    Path mod = tmp.resolve("modules/fixture");
    Files.createDirectories(mod.resolve("files"));
    Files.createDirectories(mod.resolve("lib/dir"));
    Files.writeString(mod.resolve("files/lib.sh"), "helper() { echo helped; }\n");
    Files.writeString(mod.resolve("lib/dir/a.txt"), "a");
    Files.writeString(mod.resolve("lib/dir/b.txt"), "b");
    task("impl_shell.sh", "#!/bin/sh\necho shell-impl\n", null);
    task("impl_fancy.sh", "#!/bin/sh\necho fancy-impl\n", null);
    task("impl.json", null, null);
    Files.writeString(
        tasks().resolve("impl.json"),
        "{\"implementations\": ["
            + "{\"name\": \"impl_fancy.sh\", \"requirements\": [\"fancy\"]},"
            + "{\"name\": \"impl_shell.sh\", \"requirements\": [\"shell\"]}]}");
    task("picky.sh", "#!/bin/sh\necho never\n", null);
    Files.writeString(
        tasks().resolve("picky.json"),
        "{\"implementations\": [{\"name\": \"picky.sh\", \"requirements\": [\"windows\"]}]}");
    task(
        "py.py",
        "import json, sys\nprint(json.dumps({\"got\": json.load(sys.stdin)[\"v\"]}))\n",
        "{\"input_method\": \"stdin\", \"parameters\": {\"v\": {\"type\": \"Integer\"}}}");
  }

  private static String[] append(String[] a, String x) {
    String[] out = Arrays.copyOf(a, a.length + 1);
    out[a.length] = x;
    return out;
  }

  private Path tasks() throws Exception {
    return Files.createDirectories(tmp.resolve("modules/fixture/tasks"));
  }

  private void task(String file, String body, String metadata) throws Exception {
    if (body != null) {
      Path f = tasks().resolve(file);
      Files.writeString(f, body);
      Files.setPosixFilePermissions(
          f, PosixFilePermissions.fromString("rw-r--r--")); // the x bit is not needed
    }
    if (metadata != null) {
      Files.writeString(tasks().resolve(file.substring(0, file.indexOf('.')) + ".json"), metadata);
    }
  }

  private Cli.Outcome run(String... args) {
    String[] full = new String[args.length + 4];
    full[0] = "task";
    full[1] = "run";
    System.arraycopy(args, 0, full, 2, args.length);
    full[full.length - 2] = "--format";
    full[full.length - 1] = "json";
    return Cli.run(tmp, full);
  }

  private static JsonNode value(Cli.Outcome o) {
    return o.json().at("/items/0/value");
  }

  static final String[] HOSTILE = {
    "it's",
    "say \"hi\"",
    "$(touch /tmp/jbolt-pwned)",
    "`id`",
    "a; rm -rf /tmp/x",
    "line1\nline2\n",
    "",
    "héllo wörld ✓ 日本",
    "tab\tand\\backslash",
    "x".repeat(64 * 1024),
    "$HOME ${PATH} $$",
    "-n",
    "*"
  };

  @Test
  void hostileValuesArriveByteExactThroughTheEnvironment() {
    for (String v : HOSTILE) {
      Cli.Outcome o =
          run("fixture::echo_env", "--params", Json.write(Map.of("message", v)), "-t", "127.0.0.2");
      assertEquals(0, o.code(), o::toString);
      assertEquals(v, value(o).get("_output").asText(), "value of length " + v.length());
    }
    assertFalse(Files.exists(Path.of("/tmp/jbolt-pwned")));
  }

  @Test
  void hostileValuesArriveByteExactThroughStdin() throws Exception {
    for (String v : HOSTILE) {
      Cli.Outcome o =
          run(
              "fixture::echo_stdin",
              "--params",
              Json.write(Map.of("message", v)),
              "-t",
              "127.0.0.2");
      assertEquals(0, o.code(), o::toString);
      JsonNode stdin = value(o);
      assertEquals(v, stdin.get("message").asText(), "value of length " + v.length());
      assertEquals("fixture::echo_stdin", stdin.get("_task").asText());
    }
  }

  @Test
  void bothInputMethodsByDefaultWithNonStringsAsJson() {
    Cli.Outcome o = run("fixture::both", "n=5", "list=[1,2]", "-t", "127.0.0.2");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        "5|[1,2]|fixture::both|{\"n\":5,\"list\":[1,2],\"_task\":\"fixture::both\"}",
        value(o).get("_output").asText());
  }

  @Test
  void untypedTasksTakeAnything() {
    Cli.Outcome o = run("fixture::untyped", "anything=goes here", "-t", "127.0.0.2");
    assertEquals(0, o.code(), o::toString);
    assertEquals("goes here\n", value(o).get("_output").asText());
  }

  @Test
  void resultsFollowBoltsRules() {
    Cli.Outcome o = run("fixture::text", "-t", "127.0.0.2");
    assertEquals("plain text\n", value(o).get("_output").asText());
    o = run("fixture::fails", "-t", "127.0.0.2");
    assertEquals(1, o.code());
    assertEquals("puppetlabs.tasks/task-error", value(o).at("/_error/kind").asText());
    assertEquals(
        "The task failed with exit code 3 and no stdout, but stderr contained:\noops\n",
        value(o).at("/_error/msg").asText());
    assertEquals(3, value(o).at("/_error/details/exit_code").asInt());
    o = run("fixture::errs", "-t", "127.0.0.2");
    assertEquals(1, o.code());
    assertEquals("fixture/bad", value(o).at("/_error/kind").asText());
    assertEquals("it went wrong", value(o).at("/_error/msg").asText());
    assertEquals(1, value(o).at("/_error/details/x").asInt());
    assertEquals("failure", o.json().at("/items/0/status").asText());
  }

  @Test
  void sensitiveValuesNeverShow() {
    Cli.Outcome o = run("fixture::secret", "password=hunter2-secret", "-t", "127.0.0.2");
    assertEquals(0, o.code(), o::toString);
    assertEquals("Sensitive [value redacted]", value(o).get("_sensitive").asText());
    assertEquals(14, value(o).get("len").asInt(), "the task did get it");
    assertFalse(o.out().contains("hunter2") || o.err().contains("hunter2"));
    Cli.Outcome human =
        Cli.run(
            tmp, "task", "run", "fixture::secret", "password=hunter2-secret", "-t", "127.0.0.2");
    assertFalse(human.out().contains("hunter2"), human.out());
  }

  @Test
  void filesLandUnderInstalldirWithBoltsPaths() {
    Cli.Outcome o = run("fixture::withfiles", "-t", "127.0.0.2");
    assertEquals(0, o.code(), o::toString);
    assertEquals("helped\na.txt\nb.txt\n", value(o).get("_output").asText());
  }

  @Test
  void theFirstImplementationWhoseRequirementsAreMetRuns() {
    Cli.Outcome o =
        Cli.run(
            tmp, "task", "run", "fixture::impl", "-t", "127.0.0.2,127.0.0.30", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    Map<String, String> out = new HashMap<>();
    o.json()
        .get("items")
        .forEach(i -> out.put(i.get("target").asText(), i.at("/value/_output").asText()));
    assertEquals(Map.of("127.0.0.2", "shell-impl\n", "127.0.0.30", "fancy-impl\n"), out);
    o = run("fixture::picky", "-t", "127.0.0.2");
    assertEquals(1, o.code());
    assertEquals("bolt/no-implementation", value(o).at("/_error/kind").asText(), o::toString);
  }

  @Test
  void noopIsPassedOnlyToTasksThatSupportIt() {
    Cli.Outcome o = run("fixture::noop", "--noop", "-t", "127.0.0.2");
    assertEquals(0, o.code(), o::toString);
    assertEquals("true", value(o).get("noop").asText());
    o = Cli.run(tmp, "task", "run", "fixture::text", "--noop", "-t", "127.0.0.2");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("task fixture::text does not support noop"), o.err());
  }

  @Test
  void interpretersComeFromConfigByExtension() throws Exception {
    String inv =
        Files.readString(tmp.resolve("inventory.yaml"))
            .replace(
                "    known-hosts-file",
                "    interpreters: {'.py': /usr/bin/python3}\n    known-hosts-file");
    Files.writeString(tmp.resolve("inventory.yaml"), inv);
    Cli.Outcome o = run("fixture::py", "v=7", "-t", "127.0.0.2");
    assertEquals(0, o.code(), o::toString);
    assertEquals(7, value(o).get("got").asInt());
  }

  @Test
  void manyTargetsAtOnce() {
    Cli.Outcome o = run("fixture::both", "n=1", "list=[]", "-t", "many");
    assertEquals(0, o.code(), o::toString);
    assertEquals(20, o.json().get("items").size());
  }

  @Test
  void badParametersFailBeforeAnyConnection() {
    long before = sshd.acceptedLogins();
    String[][] cases = {
      {
        "fixture::both",
        "n=five",
        "list=[]",
        "parameter 'n' expects Integer, got \"five\" (a String)"
      },
      {"fixture::both", "list=[]", "missing required parameter n (Integer)"},
      {
        "fixture::both",
        "n=1",
        "list=[]",
        "bogus=1",
        "unknown parameter 'bogus' (it takes: n, list)"
      },
      {"fixture::secret", "password=1", "x", "'x' is not a parameter"},
      {"fixture::nosuch", "task 'fixture::nosuch' not found"},
      {"nomodule::x", "no module 'nomodule'"},
      {"Bad-Name", "'Bad-Name' is not a task name"},
    };
    for (String[] c : cases) {
      String[] args = new String[c.length + 3];
      args[0] = "task";
      args[1] = "run";
      System.arraycopy(c, 0, args, 2, c.length - 1);
      args[c.length + 1] = "-t";
      args[c.length + 2] = "many";
      Cli.Outcome o = Cli.run(tmp, args);
      assertEquals(2, o.code(), o::toString);
      assertTrue(o.err().contains(c[c.length - 1]), o.err());
    }
    Cli.Outcome sens =
        Cli.run(
            tmp, "task", "run", "fixture::secret", "password=x", "pin=secret-pin", "-t", "many");
    assertEquals(2, sens.code());
    assertTrue(
        sens.err()
            .contains(
                "parameter 'pin' expects Optional[Integer], got a value (sensitive, not shown)"),
        sens.err());
    assertFalse(sens.err().contains("secret-pin"), sens.err());
    assertEquals(before, sshd.acceptedLogins(), "no target was touched");
  }

  @Test
  void taskShowListsPublicTasksAndShowsParameters() {
    Cli.Outcome list = Cli.run(tmp, "task", "show");
    assertEquals(0, list.code(), list::toString);
    assertTrue(list.out().contains("fixture::echo_env"), list.out());
    assertFalse(list.out().contains("fixture::hidden"), list.out());
    Cli.Outcome one = Cli.run(tmp, "task", "show", "fixture::both");
    assertTrue(
        one.out().contains("jbolt task run fixture::both n=<value> list=<value> -t <targets>"),
        one.out());
    Cli.Outcome json = Cli.run(tmp, "task", "show", "fixture::hidden", "--format", "json");
    assertEquals(1, json.json().at("/metadata/x-custom").asInt(), "unknown keys are kept");
  }

  @Test
  void twoFilesWithoutMetadataSayingWhichIsAnError() throws Exception {
    task("twin.sh", "#!/bin/sh\n", null);
    task("twin.py", "print(1)\n", null);
    Cli.Outcome o = Cli.run(tmp, "task", "run", "fixture::twin", "-t", "127.0.0.2");
    assertEquals(2, o.code());
    assertTrue(
        o.err().contains("task 'fixture::twin' has several files [twin.py, twin.sh]"), o.err());
  }
}
