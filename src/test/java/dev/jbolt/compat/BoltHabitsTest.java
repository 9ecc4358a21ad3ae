package dev.jbolt.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bolt's command-line habits and ssh settings, over real SSH: target lists from a file or stdin,
 * {@code @FILE} arguments that are jbolt's to read, {@code group show}, and every ssh key Bolt
 * documents either honoured (script-dir, cleanup) or warned about once.
 */
class BoltHabitsTest {
  @LabSshd(anyAddress = true)
  static Sshd sshd;

  @TempDir Path tmp;

  @BeforeEach
  void project() throws Exception {
    inventory("");
  }

  private void inventory(String extraSsh) throws Exception {
    Projects.withInventory(
        tmp,
        Projects.sshConfig(sshd)
            + extraSsh
            + "groups:\n  - name: web\n    targets: [127.0.0.2, 127.0.0.3]\n"
            + "  - name: db\n    targets: [127.0.0.4]\n");
    sshd.knownHosts("127.0.0.2", "127.0.0.3", "127.0.0.4"); // after sshConfig, which resets it
  }

  private static Set<String> targets(Cli.Outcome o) {
    Set<String> out = new HashSet<>();
    for (JsonNode item : o.json().get("items")) {
      out.add(item.get("target").asText());
    }
    return out;
  }

  @Test
  void targetsFromAFileOrStdin() throws Exception {
    Files.writeString(
        tmp.resolve("hosts.txt"), "# the canary\n127.0.0.2\n127.0.0.3 db  # and db\n");
    Cli.Outcome o = Cli.run(tmp, "command", "run", "true", "-t", "@hosts.txt", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals(Set.of("127.0.0.2", "127.0.0.3", "127.0.0.4"), targets(o));

    Cli.Outcome in =
        Cli.runWithInput(
            tmp,
            "127.0.0.4\n127.0.0.2,\n",
            "command",
            "run",
            "true",
            "-t",
            "-",
            "--format",
            "json");
    assertEquals(0, in.code(), in::toString);
    assertEquals(Set.of("127.0.0.2", "127.0.0.4"), targets(in));

    // @group stays a group when no such file is here; both is ambiguous, and said so.
    Cli.Outcome group = Cli.run(tmp, "command", "run", "true", "-t", "@db", "--format", "json");
    assertEquals(Set.of("127.0.0.4"), targets(group));
    Files.writeString(tmp.resolve("db"), "127.0.0.2\n");
    Cli.Outcome both = Cli.run(tmp, "command", "run", "true", "-t", "@db");
    assertEquals(2, both.code(), both::toString);
    assertTrue(both.err().contains("both a group of the inventory and a file"), both::toString);
    Cli.Outcome file = Cli.run(tmp, "command", "run", "true", "-t", "@./db", "--format", "json");
    assertEquals(Set.of("127.0.0.2"), targets(file));

    Cli.Outcome twice = Cli.runWithInput(tmp, "x", "command", "run", "-", "-t", "-");
    assertEquals(2, twice.code(), twice::toString);
    assertTrue(twice.err().contains("cannot both read stdin"), twice::toString);
  }

  @Test
  void atFileArgumentsAreJboltsToRead() throws Exception {
    Files.writeString(tmp.resolve("cmd.txt"), "echo from-a-file\n");
    Cli.Outcome cmd =
        Cli.run(tmp, "command", "run", "@cmd.txt", "-t", "127.0.0.2", "--format", "json");
    assertEquals(0, cmd.code(), cmd::toString);
    assertEquals("from-a-file\n", cmd.json().at("/items/0/value/stdout").asText());

    Files.createDirectories(tmp.resolve("tasks"));
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: lab\n");
    Files.writeString(
        tmp.resolve("tasks/echo.sh"), "#!/bin/sh\nprintf '{\"m\": \"%s\"}' \"$PT_m\"\n");
    Files.writeString(tmp.resolve("p.json"), "{\"m\": \"from p.json\"}");
    Cli.Outcome task =
        Cli.run(
            tmp,
            "task",
            "run",
            "lab::echo",
            "--params",
            "@p.json",
            "-t",
            "127.0.0.2",
            "--format",
            "json");
    assertEquals(0, task.code(), task::toString);
    assertEquals("from p.json", task.json().at("/items/0/value/m").asText());
  }

  @Test
  void groupShowListsTheGroups() {
    Cli.Outcome o = Cli.run(tmp, "group", "show");
    assertEquals(0, o.code(), o::toString);
    assertEquals("all\nweb\ndb\n3 groups\n", o.out());
    Cli.Outcome j = Cli.run(tmp, "group", "show", "--format", "json");
    assertEquals(3, j.json().get("count").asInt());
    assertEquals("web", j.json().at("/groups/1").asText());
  }

  @Test
  void scriptDirAndCleanupAreHonoured() throws Exception {
    Path base = Projects.sharedDir(tmp, "remote-tmp");
    inventory("    tmpdir: " + base + "\n    script-dir: fixed-name\n");
    Files.writeString(tmp.resolve("where.sh"), "#!/bin/sh\ndirname \"$0\"\n");
    Cli.Outcome o =
        Cli.run(tmp, "script", "run", "where.sh", "-t", "127.0.0.2", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals(base + "/fixed-name\n", o.json().at("/items/0/value/stdout").asText());
    assertFalse(Files.exists(base.resolve("fixed-name")), "removed after the run");

    Cli.Outcome kept =
        Cli.run(
            tmp,
            "script",
            "run",
            "where.sh",
            "-t",
            "127.0.0.2",
            "--no-cleanup",
            "--format",
            "json");
    assertEquals(0, kept.code(), kept::toString);
    assertTrue(Files.isRegularFile(base.resolve("fixed-name/where.sh")), "kept: --no-cleanup");
    // script-dir must not exist yet, as in Bolt: the next run says so
    Cli.Outcome again =
        Cli.run(tmp, "script", "run", "where.sh", "-t", "127.0.0.2", "--format", "json");
    assertEquals(1, again.code(), again::toString);
    assertTrue(again.out().contains("TMPDIR_ERROR"), again::toString);

    inventory("    script-dir: ../../etc\n");
    Cli.Outcome bad = Cli.run(tmp, "script", "run", "where.sh", "-t", "127.0.0.2");
    assertEquals(2, bad.code(), bad::toString);
    assertTrue(bad.err().contains("script-dir '../../etc' must be a relative path"), bad::toString);
  }

  @Test
  void settingsJboltCannotHonourAreWarnedAboutOnceAndPowershellIsRefused() throws Exception {
    inventory(
        "    tty: true\n    kex-algorithms: [curve25519-sha256]\n    native-ssh: false\n"
            + "    batch-mode: true\n    disconnect-timeout: 5\n");
    Cli.Outcome o = Cli.run(tmp, "command", "run", "true", "-t", "web,db");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        "jbolt: warning: ssh setting 'disconnect-timeout' is ignored: jbolt closes its sessions at"
            + " the end of the run without waiting\n"
            + "jbolt: warning: ssh setting 'tty' is ignored: jbolt runs commands without a terminal\n",
        o.err());

    inventory("    login-shell: powershell\n");
    long before = sshd.acceptedLogins();
    Cli.Outcome ps = Cli.run(tmp, "command", "run", "true", "-t", "web");
    assertEquals(2, ps.code(), ps::toString);
    assertTrue(ps.err().contains("login-shell powershell is not supported"), ps::toString);
    assertEquals(before, sshd.acceptedLogins());
  }
}
