package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Jvm;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during a script run on 50 SSH targets: jbolt stops promptly, kills the scripts' process
 * groups on every target, removes its temp dirs there, prints what finished, and exits 130.
 */
class InterruptOverSshTest {
  @TempDir Path tmp;

  private static int running(String commandLine) {
    String n = Cmd.run("sh", "-c", "pgrep -c -f '^" + commandLine + "' || true").strip();
    return n.isEmpty() ? 0 : Integer.parseInt(n);
  }

  @Test
  void sigintOnFiftyTargetsKillsRemoteGroupsAndRemovesTempDirs() throws Exception {
    try (Sshd sshd = Sshd.builder().anyAddress().start()) {
      Path remoteTmp = Projects.sharedDir(tmp, "remote-tmp");
      List<String> addresses = new ArrayList<>();
      for (int i = 2; i < 52; i++) {
        addresses.add("127.0.0." + i);
      }
      String inv =
          Projects.sshConfig(sshd)
              + "    tmpdir: "
              + remoteTmp
              + "\ntargets: ["
              + String.join(", ", addresses)
              + "]\n";
      sshd.knownHosts(addresses.toArray(String[]::new));
      Projects.withInventory(tmp, inv);
      // The script's child is in the script's process group; the kill must reach it too.
      Path script = tmp.resolve("hold.sh");
      Files.writeString(
          script,
          "#!/bin/sh\ncase \"$SSH_CONNECTION\" in *' 127.0.0.2 '*) echo quick; exit 0;; esac\n"
              + "sleep 454547 &\nsleep 454548\n");
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
      for (int i = 0; i < 300 && running("sleep 454548") < 49; i++) {
        Thread.sleep(100);
      }
      assertEquals(49, running("sleep 454548"), "every long script started");
      long t0 = System.nanoTime();
      Cmd.run("kill", "-INT", String.valueOf(p.pid()));
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped promptly");
      double seconds = (System.nanoTime() - t0) / 1e9;
      Cli.Outcome o = Jvm.finish(p, "interrupted run");
      assertEquals(130, o.code(), o::toString);
      assertTrue(o.out().contains("== 127.0.0.2: ok\nquick\n"), o::toString);
      assertEquals(
          49,
          o.out()
              .lines()
              .filter(l -> l.matches("== 127\\.0\\.0\\.\\d+: failed, cancelled"))
              .count(),
          o::toString);
      assertTrue(o.err().contains("interrupted; partial results above"), o::toString);
      for (int i = 0; i < 50 && running("sleep 45454[78]") > 0; i++) {
        Thread.sleep(100);
      }
      assertEquals(0, running("sleep 45454[78]"), "the scripts and their children were killed");
      try (Stream<Path> left = Files.list(remoteTmp)) {
        assertEquals(List.of(), left.toList(), "temp dirs removed on the targets");
      }
      System.out.println(
          "SIGINT on 50 SSH targets: exited in " + String.format("%.2f", seconds) + " s");
    }
  }
}
