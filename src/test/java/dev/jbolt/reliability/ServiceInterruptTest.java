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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C during {@code jbolt service start}: two services running side by side on 10 SSH targets
 * each are stopped, every remote process is killed, the service waiting on them never starts, and
 * jbolt exits 130.
 */
class ServiceInterruptTest {
  @TempDir Path tmp;

  private static int running(String commandLine) {
    String n = Cmd.run("sh", "-c", "pgrep -c -f '^" + commandLine + "' || true").strip();
    return n.isEmpty() ? 0 : Integer.parseInt(n);
  }

  @Test
  void sigintStopsEveryRunningServiceAndItsRemoteProcesses() throws Exception {
    try (Sshd sshd = Sshd.builder().anyAddress().start()) {
      Projects.withInventory(tmp, Projects.sshConfig(sshd) + "targets: ['127.0.0.[2-11]']\n");
      String[] addrs = new String[10];
      for (int i = 0; i < 10; i++) {
        addrs[i] = "127.0.0." + (i + 2);
      }
      sshd.knownHosts(addrs);
      Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: lab\n");
      Files.createDirectories(tmp.resolve("services"));
      Files.writeString(
          tmp.resolve("services/s.yaml"),
          "services:\n"
              + "  one:\n    target: '127.0.0.[2-11]'\n    actions: {start: {cmd: sleep 575757}}\n"
              + "  two:\n    target: '127.0.0.[2-11]'\n    actions: {start: {cmd: sleep 575758}}\n"
              + "  after:\n    require: [one, two]\n    actions: {start: {cmd: echo never}}\n");
      Process p = Jvm.start(List.of(), tmp, tmp, Map.of(), "service", "start");
      for (int i = 0; i < 300 && running("sleep 57575[78]") < 20; i++) {
        Thread.sleep(100);
      }
      assertEquals(20, running("sleep 57575[78]"), "both services running on 10 targets");
      long t0 = System.nanoTime();
      Cmd.run("kill", "-INT", String.valueOf(p.pid()));
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped");
      double seconds = (System.nanoTime() - t0) / 1e9;
      Cli.Outcome o = Jvm.finish(p, "service");
      assertEquals(130, o.code(), o::toString);
      assertTrue(!o.out().contains("never"), o::toString);
      for (int i = 0; i < 50 && running("sleep 57575[78]") > 0; i++) {
        Thread.sleep(100);
      }
      assertEquals(0, running("sleep 57575[78]"), "no remote process left: " + o);
      System.out.printf(
          "SIGINT to service start on 2x10 SSH targets: exit 130 after %.2f s%n", seconds);
    }
  }
}
