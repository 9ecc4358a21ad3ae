package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * run-as through {@code sudo -S}, the password fed on stdin. Needs root to give the test user sudo
 * rights that ask for a password (scripts/test runs as root in CI).
 */
class RunAsTest {
  @LabSshd static Sshd sshd;
  @TempDir Path tmp;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(
        TestUser.get().sudo(), "needs root and sudo to set up a sudoer that must give a password");
  }

  @AfterAll
  static void stop() {
    if (sshd != null) {
      sshd.close();
    }
  }

  private Cli.Outcome run(String extraSsh, String... args) throws Exception {
    Projects.withInventory(tmp, Projects.sshConfig(sshd) + extraSsh + "targets: [127.0.0.1]\n");
    String[] full = new String[args.length + 4];
    System.arraycopy(args, 0, full, 0, args.length);
    System.arraycopy(new String[] {"-t", "127.0.0.1", "--format", "json"}, 0, full, args.length, 4);
    return Cli.run(tmp, full);
  }

  @Test
  void runsAsAnotherUserWithTheSudoPassword() throws Exception {
    Cli.Outcome o =
        run(
            "    run-as: root\n    sudo-password: " + TestUser.PASSWORD + "\n",
            "command",
            "run",
            "id -un; echo \"$V\"; echo to-stderr >&2",
            "--env-var",
            "V=it's");
    assertEquals(0, o.code(), o::toString);
    JsonNode v = o.json().at("/items/0/value");
    assertEquals("root\nit's\n", v.get("stdout").asText());
    assertEquals(
        "to-stderr\n", v.get("stderr").asText(), "sudo's prompt and jbolt's marker are not output");
  }

  @Test
  void theCommandLineFlagsWorkToo() throws Exception {
    Cli.Outcome o =
        run(
            "",
            "command",
            "run",
            "id -un",
            "--run-as",
            "root",
            "--sudo-password",
            TestUser.PASSWORD);
    assertEquals(0, o.code(), o::toString);
    assertEquals("root\n", o.json().at("/items/0/value/stdout").asText());
    assertFalse(o.out().contains(TestUser.PASSWORD) || o.err().contains(TestUser.PASSWORD));
  }

  @Test
  void aWrongPasswordIsAClearErrorNotAHang() throws Exception {
    long t0 = System.nanoTime();
    Cli.Outcome o =
        run("    run-as: root\n    sudo-password: wrong-password\n", "command", "run", "id -un");
    assertEquals(1, o.code(), o::toString);
    JsonNode e = o.json().at("/items/0/value/_error");
    assertEquals("puppetlabs.tasks/escalate-error", e.get("kind").asText(), o::toString);
    assertEquals("BAD_PASSWORD", e.get("issue_code").asText());
    assertFalse(o.out().contains("wrong-password"));
    assertTrue((System.nanoTime() - t0) / 1e9 < 20, "no hang");
  }

  @Test
  void noPasswordWhenSudoAsksForOneIsAClearError() throws Exception {
    Cli.Outcome o = run("    run-as: root\n", "command", "run", "id -un");
    assertEquals(1, o.code(), o::toString);
    assertEquals(
        "NO_PASSWORD", o.json().at("/items/0/value/_error/issue_code").asText(), o::toString);
  }

  @Test
  void scriptsAndUploadsRunAsTheOtherUser() throws Exception {
    Path script = tmp.resolve("who.sh");
    Files.writeString(script, "#!/bin/sh\nid -un\ncat /proc/self/status | grep -c Uid\n");
    String cfg = "    run-as: root\n    sudo-password: " + TestUser.PASSWORD + "\n";
    Cli.Outcome o = run(cfg, "script", "run", "who.sh");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.json().at("/items/0/value/stdout").asText().startsWith("root\n"), o::toString);
    Path f = tmp.resolve("owned.txt");
    Files.writeString(f, "data");
    o = run(cfg, "file", "upload", "owned.txt", "/root/jbolt-runas-test.txt");
    assertEquals(0, o.code(), o::toString);
    assertEquals("data", Files.readString(Path.of("/root/jbolt-runas-test.txt")));
    o = run(cfg, "file", "download", "/root/jbolt-runas-test.txt", "dl");
    assertEquals(0, o.code(), o::toString);
    assertEquals("data", Files.readString(tmp.resolve("dl/127.0.0.1/jbolt-runas-test.txt")));
    Files.delete(Path.of("/root/jbolt-runas-test.txt"));
  }

  @Test
  void plansRunStepsAsAnotherUserWithRunAs() throws Exception {
    Projects.withInventory(
        tmp,
        Projects.sshConfig(sshd)
            + "    sudo-password: "
            + TestUser.PASSWORD
            + "\n"
            + "targets: [127.0.0.1]\n");
    Files.createDirectories(tmp.resolve("plans"));
    Files.writeString(
        tmp.resolve("plans/who.js"),
        "export default function () {\n"
            + "  const as = run_command('id -un', '127.0.0.1', { run_as: 'root' }).first().value.stdout;\n"
            + "  const me = run_command('id -un', '127.0.0.1').first().value.stdout;\n"
            + "  return [as, me];\n}\n");
    Cli.Outcome o = Cli.run(tmp, "plan", "run", "who", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("[\"root\\n\",\"" + sshd.user() + "\\n\"]", o.json().toString());
  }

  @Test
  void aFailedRunAsLeavesNoTempDirBehindWhateverTheAction() throws Exception {
    Path remoteTmp = Projects.sharedDir(tmp, "remote-tmp");
    Path script = tmp.resolve("who.sh");
    Files.writeString(script, "#!/bin/sh\nid -un\n");
    Files.writeString(tmp.resolve("payload.txt"), "data");
    Files.createDirectories(tmp.resolve("modules/m/tasks"));
    Files.writeString(tmp.resolve("modules/m/tasks/t.sh"), "#!/bin/sh\necho \"$PT_secret\"\n");
    Files.writeString(
        tmp.resolve("modules/m/tasks/t.json"),
        "{\"parameters\": {\"secret\": {\"type\": \"String\", " + "\"sensitive\": true}}}");
    String[][] actions = {
      {"script", "run", "who.sh"},
      {"task", "run", "m::t", "secret=hunter2"},
      {"file", "upload", "payload.txt", "/root/jbolt-never.txt"},
      {"file", "download", "/root/.profile", "dl"},
      {"command", "run", "id -un"},
    };
    // sudo through a wrapper that counts its calls: a refused sudo is not asked again (to remove
    // the temp dir), as each refusal of a wrong password costs its delay and counts towards
    // pam_faillock's lock-out
    Path bin = Projects.sharedDir(tmp, "bin");
    Path calls = bin.resolve("calls");
    Path wrapper = bin.resolve("countingsudo");
    Files.writeString(wrapper, "#!/bin/sh\necho x >> " + calls + "\nexec sudo \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    // Every action without a password (sudo refuses at once); a wrong password costs sudo's
    // delay of seconds, so once per family: running (a task, with its parameters) and transfers.
    for (String sudo : new String[] {"    sudo-password: wrong-password\n", ""}) {
      for (String[] a : actions) {
        if (!sudo.isEmpty() && !a[0].equals("task") && !a[1].equals("upload")) {
          continue;
        }
        Files.deleteIfExists(calls);
        Cli.Outcome o =
            run(
                "    run-as: root\n    tmpdir: "
                    + remoteTmp
                    + "\n    sudo-executable: "
                    + wrapper
                    + "\n"
                    + sudo,
                a);
        assertEquals(1, o.code(), String.join(" ", a) + ": " + o);
        assertEquals(
            1, Files.readAllLines(calls).size(), String.join(" ", a) + ": sudo asked once");
        assertEquals(
            "puppetlabs.tasks/escalate-error",
            o.json().at("/items/0/value/_error/kind").asText(),
            o::toString);
        try (var left = Files.list(remoteTmp)) {
          assertEquals(
              List.of(), left.toList(), String.join(" ", a) + " left its temp dir on the target");
        }
      }
    }
    assertFalse(Files.exists(Path.of("/root/jbolt-never.txt")));
  }

  @Test
  void runAsTheLoginUserNeedsNoSudo() throws Exception {
    Cli.Outcome o =
        run(
            "    run-as: " + sshd.user() + "\n    sudo-executable: /nonexistent/sudo\n",
            "command",
            "run",
            "id -un");
    assertEquals(0, o.code(), o::toString);
    assertEquals(sshd.user() + "\n", o.json().at("/items/0/value/stdout").asText());
  }

  @Test
  void sudoExecutableIsWhatEscalates() throws Exception {
    Path bin = Projects.sharedDir(tmp, "bin");
    Path wrapper = bin.resolve("mysudo");
    Files.writeString(
        wrapper, "#!/bin/sh\necho used > " + bin.resolve("used") + "\nexec sudo \"$@\"\n");
    Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    Cli.Outcome o =
        run(
            "    run-as: root\n    sudo-password: " + TestUser.PASSWORD + "\n",
            "command",
            "run",
            "id -un",
            "--sudo-executable",
            wrapper.toString());
    assertEquals(0, o.code(), o::toString);
    assertEquals("root\n", o.json().at("/items/0/value/stdout").asText());
    assertTrue(Files.exists(bin.resolve("used")), "the command ran through --sudo-executable");
  }

  @Test
  void runAsCommandTakesTheUserLastAndNoPassword() throws Exception {
    // sudo -n never asks: with a rule that wants a password, it fails, and says so.
    Cli.Outcome o =
        run(
            "    run-as: root\n    run-as-command: [sudo, -n, -u]\n    sudo-password: unused\n",
            "command",
            "run",
            "id -un");
    assertEquals(1, o.code(), o::toString);
    JsonNode e = o.json().at("/items/0/value/_error");
    assertEquals("puppetlabs.tasks/escalate-error", e.get("kind").asText(), o::toString);
    assertTrue(e.get("msg").asText().contains("a password is required"), o::toString);
    // A command that escalates by itself, given the user as its last word.
    Path bin = Projects.sharedDir(tmp, "bin");
    Path become = bin.resolve("become");
    Files.writeString(
        become,
        "#!/bin/sh\nuser=$1; shift\nprintf '%s\\n' '"
            + TestUser.PASSWORD
            + "' | sudo -S -p '' -u \"$user\" \"$@\"\n");
    Files.setPosixFilePermissions(become, PosixFilePermissions.fromString("rwxr-xr-x"));
    Cli.Outcome ok =
        run("    run-as: root\n    run-as-command: [" + become + "]\n", "command", "run", "id -un");
    assertEquals(0, ok.code(), ok::toString);
    assertEquals("root\n", ok.json().at("/items/0/value/stdout").asText());
  }

  @Test
  void subPlansAndYamlStepsRunAsAnotherUser() throws Exception {
    Projects.withInventory(
        tmp,
        Projects.sshConfig(sshd)
            + "    sudo-password: "
            + TestUser.PASSWORD
            + "\n"
            + "targets: [127.0.0.1]\n");
    Files.createDirectories(tmp.resolve("plans"));
    Files.writeString(
        tmp.resolve("plans/whoami.js"),
        "export default function () {\n"
            + "  return run_command('id -un', '127.0.0.1').first().value.stdout.trim();\n}\n");
    Files.writeString(
        tmp.resolve("plans/outer.js"),
        "export default function () {\n"
            + "  return [run_plan('whoami', {_run_as: 'root'}), run_plan('whoami')];\n}\n");
    Files.writeString(
        tmp.resolve("plans/ywho.yaml"),
        "steps:\n  - name: r\n    command: id -un\n    targets: 127.0.0.1\n    run_as: root\n"
            + "  - name: sub\n    plan: whoami\n    run_as: root\n"
            + "return: |\n  [$r[0]['stdout'], $sub]\n");
    Cli.Outcome o = Cli.run(tmp, "plan", "run", "outer", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("[\"root\",\"" + sshd.user() + "\"]", o.json().toString());
    Cli.Outcome y = Cli.run(tmp, "plan", "run", "ywho", "--format", "json");
    assertEquals(0, y.code(), y::toString);
    assertEquals("[\"root\\n\",\"root\"]", y.json().toString());
  }
}
