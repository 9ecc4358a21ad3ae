package dev.jbolt.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.JboltException;
import dev.jbolt.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a service graph runs on this machine (issue 25.5 and 25.6): a target name never becomes
 * shell syntax in delegate or exec mode; {@code %(command)} runs nothing in a dry run or a graph
 * drawing, and is held to its time and output limits, its whole process group killed.
 */
class LocalShellTest {
  @TempDir Path tmp;

  private void project(String inventoryTargets, String services) throws Exception {
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: lab\n");
    Files.writeString(
        tmp.resolve("inventory.yaml"),
        "config: {transport: local}\ntargets: " + inventoryTargets + "\n");
    Files.createDirectories(tmp.resolve("services"));
    Files.writeString(tmp.resolve("services/all.yaml"), services);
  }

  @Test
  void aTargetNameWithShellSyntaxIsRefusedWhereItWouldRunHere() throws Exception {
    Path pwned = tmp.resolve("pwned");
    for (String mode : new String[] {"mode: delegate", "mode: exec", "remote: false"}) {
      project(
          "['web1;touch${IFS}" + pwned + ";#', 'db1']",
          "services:\n  s:\n    "
              + mode
              + "\n    target: all\n    actions:\n      start:\n        cmd: echo %TARGET\n");
      Cli.Outcome o = Cli.run(tmp, "service", "start");
      assertEquals(2, o.code(), o::toString);
      assertTrue(
          o.err().contains("target name \"web1;touch${IFS}" + pwned + ";#\" holds characters"),
          o::toString);
      assertTrue(o.err().startsWith("jbolt: error: services/all.yaml:"), o::toString);
      assertFalse(Files.exists(pwned), mode + " ran the name as code");
    }
    for (String bad : new String[] {"a$(id)", "a`id`", "a b", "a'b", "-x", "~root", "a|b", "a&b"}) {
      assertThrows(JboltException.class, () -> ActionRun.checkLocalNames(List.of(bad)), bad);
    }
    ActionRun.checkLocalNames(List.of("web01.example.com", "db[1-3]", "u@h:22"));

    // Plain names run as before.
    project(
        "[web1, web2]",
        "services:\n  s:\n    mode: delegate\n    target: all\n    actions:\n"
            + "      start:\n        cmd: echo nodes=%TARGET\n");
    Cli.Outcome ok = Cli.run(tmp, "service", "start", "--format", "json");
    assertEquals(0, ok.code(), ok::toString);
    assertTrue(ok.out().contains("nodes=web[1-2]"), ok::toString);
  }

  @Test
  void aDryRunAndTheGraphRunNoCommand() throws Exception {
    Path ran = tmp.resolve("ran");
    project(
        "[web1]",
        "variables:\n  v: '%(touch "
            + ran
            + "; echo hi)'\nservices:\n  s:\n    desc: '%(touch "
            + ran
            + ")'\n    actions:\n      start:\n        cmd: echo %v %(touch "
            + ran
            + ")\n");
    Cli.Outcome d = Cli.run(tmp, "service", "start", "--dry-run");
    assertEquals(0, d.code(), d::toString);
    assertTrue(d.out().contains(" > echo %(touch " + ran + "; echo hi) %(touch"), d::toString);
    Cli.Outcome g = Cli.run(tmp, "service", "-g");
    assertEquals(0, g.code(), g::toString);
    assertFalse(Files.exists(ran), "a dry run or -g ran a %(command)");

    Cli.Outcome real = Cli.run(tmp, "service", "start");
    assertEquals(0, real.code(), real::toString);
    assertTrue(Files.exists(ran), "a real run runs it");
  }

  @Test
  void aCommandPastItsLimitIsKilledWithItsWholeGroup() throws Exception {
    Path pidFile = tmp.resolve("child.pid");
    long start = System.nanoTime();
    JboltException e =
        assertThrows(
            JboltException.class,
            () -> Vars.shell("sleep 75 & echo $! > " + pidFile + "; wait", null, 1000, 1 << 20));
    assertTrue(e.getMessage().contains("did not finish in 1 s: it was stopped"), e.getMessage());
    assertTrue(System.nanoTime() - start < 10_000_000_000L, "it waited for the command");
    long child = Long.parseLong(Files.readString(pidFile).strip());
    for (int i = 0;
        i < 50 && ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false);
        i++) {
      Thread.sleep(100);
    }
    assertFalse(
        ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false),
        "the background sleep lives on");

    // One that exits but leaves a child holding its output: the child goes with the group.
    assertEquals("x", Vars.shell("echo x; sleep 75 &", null, 5000, 1 << 20));

    JboltException big =
        assertThrows(JboltException.class, () -> Vars.shell("yes", null, 5000, 1 << 20));
    assertTrue(big.getMessage().contains("%(yes) printed more than 1024 KiB"), big.getMessage());
  }
}
