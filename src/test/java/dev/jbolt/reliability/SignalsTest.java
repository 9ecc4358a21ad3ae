package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Jvm;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.testing.WarmClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM and SIGHUP (timeout(1), a closed terminal, systemd) end a run as Ctrl-C does (issue
 * 25.7): the remote process groups killed, the temp dirs removed, the partial results printed, exit
 * 128 + the signal; in a cold run, through the warm client, and sent to the warm process itself.
 */
class SignalsTest {
  static final int N = 8;

  @TempDir Path tmp;
  Sshd sshd;
  Path remoteTmp;
  Path script;
  WarmClient warm;

  @BeforeEach
  void start() throws Exception {
    sshd = Sshd.builder().anyAddress().start();
    remoteTmp = Projects.sharedDir(tmp, "remote-tmp");
    List<String> addresses = new ArrayList<>();
    for (int i = 2; i < 2 + N; i++) {
      addresses.add("127.0.0." + i);
    }
    Projects.lab(
        tmp,
        "lab",
        sshd,
        "    tmpdir: " + remoteTmp + "\ntargets: [" + String.join(", ", addresses) + "]\n",
        addresses.toArray(String[]::new));
    script = tmp.resolve("hold.sh");
    Files.writeString(
        script,
        "#!/bin/sh\ncase \"$SSH_CONNECTION\" in *' 127.0.0.2 '*) echo quick; exit 0;; esac\n"
            + "sleep 636361 &\nsleep 636362\n");
    warm = new WarmClient(Files.createDirectories(tmp.resolve("client")), tmp);
  }

  @AfterEach
  void stop() {
    if (warm != null) { // null: skipped in the quick loop
      warm.close();
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  private static int running(String pattern) {
    String n = Cmd.run("sh", "-c", "pgrep -c -f '^" + pattern + "' || true").strip();
    return n.isEmpty() ? 0 : Integer.parseInt(n);
  }

  private void awaitScripts() throws InterruptedException {
    for (int i = 0; i < 300 && running("sleep 636362") < N - 1; i++) {
      Thread.sleep(100);
    }
    assertEquals(N - 1, running("sleep 636362"), "every long script started");
  }

  private void assertCleanedUp(Cli.Outcome o, int code) throws Exception {
    assertEquals(code, o.code(), o::toString);
    assertTrue(o.out().contains("== 127.0.0.2: ok\nquick\n"), o::toString);
    assertEquals(
        N - 1,
        o.out().lines().filter(l -> l.matches("== 127\\.0\\.0\\.\\d+: failed, cancelled")).count(),
        o::toString);
    for (int i = 0; i < 50 && running("sleep 63636[12]") > 0; i++) {
      Thread.sleep(100);
    }
    assertEquals(0, running("sleep 63636[12]"), "the scripts and their children were killed");
    try (Stream<Path> left = Files.list(remoteTmp)) {
      assertEquals(List.of(), left.toList(), "temp dirs removed on the targets");
    }
  }

  @Test
  void sigtermAndSighupToAColdRunCleanUpAsCtrlC() throws Exception {
    for (String[] sig : new String[][] {{"TERM", "143"}, {"HUP", "129"}}) {
      Process p =
          Jvm.start(
              List.of(),
              tmp,
              tmp,
              Map.of(),
              "script",
              "run",
              script.toString(),
              "-t",
              "all",
              "--no-gather");
      awaitScripts();
      Cmd.run("kill", "-" + sig[0], String.valueOf(p.pid()));
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped promptly");
      assertCleanedUp(Jvm.finish(p, "SIG" + sig[0]), Integer.parseInt(sig[1]));
    }
  }

  @Test
  void sigtermToTheWarmClientCleansUpAsCtrlC() throws Exception {
    Process p =
        warm.start(tmp, Map.of(), "script", "run", script.toString(), "-t", "all", "--no-gather");
    awaitScripts();
    Cmd.run("kill", "-TERM", String.valueOf(p.pid()));
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped promptly");
    assertCleanedUp(Jvm.finish(p, "warm SIGTERM"), 143);
    assertEquals(1, warm.warmProcesses().size(), "the warm process stays for the next run");
  }

  @Test
  void sigtermToTheWarmProcessEndsItsRunCleanlyAndLeavesNoSocket() throws Exception {
    Process p =
        warm.start(tmp, Map.of(), "script", "run", script.toString(), "-t", "all", "--no-gather");
    awaitScripts();
    List<Long> pids = warm.warmProcesses();
    assertEquals(1, pids.size());
    Cmd.run("kill", "-TERM", String.valueOf(pids.get(0)));
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped promptly");
    assertCleanedUp(Jvm.finish(p, "warm process SIGTERM"), 143);
    for (int i = 0; i < 50 && !warm.warmProcesses().isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertEquals(List.of(), warm.warmProcesses(), "the warm process exits");
    try (Stream<Path> left = Files.list(warm.sockets())) {
      assertFalse(left.anyMatch(f -> f.toString().endsWith(".sock")), "its socket is removed");
    }
    assertEquals(0, sshd.awaitNoDescendants(), "its sessions closed");
  }

  /**
   * A client killed outright (SIGKILL, no clean-up of its own): its warm run stops all the same.
   */
  @Test
  void aWarmRunStopsWhenItsClientIsKilled() throws Exception {
    Process p =
        warm.start(tmp, Map.of(), "script", "run", script.toString(), "-t", "all", "--no-gather");
    awaitScripts();
    Cmd.run("kill", "-KILL", String.valueOf(p.pid()));
    for (int i = 0; i < 100 && running("sleep 63636[12]") > 0; i++) {
      Thread.sleep(100);
    }
    assertEquals(0, running("sleep 63636[12]"), "the scripts were killed");
    for (int i = 0; i < 50; i++) {
      try (Stream<Path> left = Files.list(remoteTmp)) {
        if (left.findAny().isEmpty()) {
          break;
        }
      }
      Thread.sleep(100);
    }
    try (Stream<Path> left = Files.list(remoteTmp)) {
      assertEquals(List.of(), left.toList(), "temp dirs removed on the targets");
    }
    // The run ends (its results go nowhere) and the warm process is free for the next one.
    Cli.Outcome status = null;
    for (int i = 0; i < 50; i++) {
      status = warm.run(tmp, Map.of("JBOLT_PERSIST", "0"), "", "persist", "status");
      if (status.out().contains(", idle ")) {
        break;
      }
      Thread.sleep(100);
    }
    assertTrue(status.out().contains(", idle "), status::toString);
    Cli.Outcome next = warm.run(tmp, "command", "run", "echo next", "-t", "127.0.0.2");
    assertEquals(0, next.code(), next::toString);
    assertEquals(1, warm.warmProcesses().size(), "the same warm process serves the next run");
  }
}
