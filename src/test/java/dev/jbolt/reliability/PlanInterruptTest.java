package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Jvm;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code jbolt plan run}: the plan stops where it is, every remote process its step
 * started is killed, every task temp dir (with the file of its parameters) is removed, and jbolt
 * exits 130 within seconds. 20 SSH targets, plain and async plans, commands and tasks.
 */
class PlanInterruptTest {
  @LabSshd(anyAddress = true)
  static Sshd sshd;

  @TempDir static Path tmp;
  static Path remoteTmp;
  static List<String> addresses = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    remoteTmp = Projects.sharedDir(tmp, "remote-tmp");
    for (int i = 2; i < 22; i++) {
      addresses.add("127.0.0." + i);
    }
    Projects.withInventory(
        tmp,
        Projects.sshConfig(sshd)
            + "    tmpdir: "
            + remoteTmp
            + "\ntargets: ["
            + String.join(", ", addresses)
            + "]\n");
    sshd.knownHosts(
        addresses.toArray(String[]::new)); // after sshConfig, which writes one for 127.0.0.1
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: lab\n");
    Files.createDirectories(tmp.resolve("plans"));
    Files.writeString(
        tmp.resolve("plans/hold.js"),
        "export const params = {targets: {type: 'TargetSpec'}};\n"
            + "export default function (p) { run_command('sleep 474747', p.targets); return run_command('echo never', p.targets); }\n");
    Files.writeString(
        tmp.resolve("plans/hold_async.js"),
        "export const params = {targets: {type: 'TargetSpec'}};\n"
            + "export default async function (p) {\n"
            + "  await parallelize([1, 2], async (i) => run_command('sleep 47474' + (7 + i), p.targets));\n"
            + "  return 'never';\n}\n");
    Files.createDirectories(tmp.resolve("tasks"));
    Files.writeString(tmp.resolve("tasks/slow.sh"), "#!/bin/sh\nsleep 484848\n");
    Files.writeString(
        tmp.resolve("tasks/slow.json"),
        "{\"parameters\": {\"secret\": {\"type\": \"String\","
            + " \"sensitive\": true}}, \"input_method\": \"environment\"}");
    Files.writeString(
        tmp.resolve("plans/hold_task.js"),
        "export const params = {targets: {type: 'TargetSpec'}};\n"
            + "export default function (p) { return run_task('lab::slow', p.targets, {secret: 'hunter2'}); }\n");
  }

  private static int running(String commandLine) {
    String n = Cmd.run("sh", "-c", "pgrep -c -f '^" + commandLine + "' || true").strip();
    return n.isEmpty() ? 0 : Integer.parseInt(n);
  }

  /**
   * Starts the plan, waits until {@code want} copies of {@code marker} run, sends SIGINT, checks
   * the aftermath.
   */
  private void interrupt(String plan, String marker, int want) throws Exception {
    Process p = Jvm.start(List.of(), tmp, tmp, Map.of(), "plan", "run", plan, "-t", "all");
    for (int i = 0; i < 300 && running(marker) < want; i++) {
      Thread.sleep(100);
    }
    if (running(marker) < want) {
      p.destroy();
      throw new AssertionError(
          plan + ": " + running(marker) + " of " + want + " remote processes started");
    }
    long t0 = System.nanoTime();
    Cmd.run("kill", "-INT", String.valueOf(p.pid()));
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped");
    double seconds = (System.nanoTime() - t0) / 1e9;
    Cli.Outcome o = Jvm.finish(p, plan);
    assertEquals(130, o.code(), o::toString);
    // promptly, not after its commands (days of sleep): 15 s, which a busy machine still meets
    assertTrue(seconds < 15, plan + ": exited " + seconds + " s after SIGINT");
    assertTrue(o.err().contains("interrupted"), o::toString);
    for (int i = 0; i < 50 && running(marker) > 0; i++) {
      Thread.sleep(100);
    }
    assertEquals(0, running(marker), plan + ": no remote process left; jbolt said: " + o);
    try (Stream<Path> left = Files.list(remoteTmp)) {
      assertEquals(List.of(), left.toList(), plan + ": temp dirs removed on the targets");
    }
    System.out.printf(
        "SIGINT to plan %s on 20 SSH targets: exit 130 after %.2f s%n", plan, seconds);
  }

  @Test
  void sigintDuringAPlanKillsItsCommandsOnTwentyTargets() throws Exception {
    interrupt("hold", "sleep 474747", 20);
  }

  @Test
  void sigintDuringAnAsyncPlanStopsEveryBranch() throws Exception {
    interrupt("hold_async", "sleep 47474[89]", 40);
  }

  @Test
  void sigintDuringATaskRemovesItsTempDirsWithTheirParameters() throws Exception {
    interrupt("hold_task", "sleep 484848", 20);
  }
}
