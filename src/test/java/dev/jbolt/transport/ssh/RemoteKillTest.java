package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command killed on timeout dies on the target too, with its children; stderr keeps no trace of
 * the PID line.
 */
class RemoteKillTest {
  @TempDir Path tmp;

  /**
   * Whether a process runs with this command line ([x]yz keeps pgrep from matching its own shell).
   */
  private static boolean running(String pattern) {
    return !Cmd.run(
            "sh",
            "-c",
            "pgrep -f '[" + pattern.charAt(0) + "]" + pattern.substring(1) + "' || true")
        .isBlank();
  }

  @Test
  void aTimedOutCommandAndItsChildrenAreKilledOnTheTarget() throws Exception {
    try (Sshd sshd = Sshd.start()) {
      Projects.withInventory(tmp, Projects.sshConfig(sshd) + "targets: [127.0.0.1]\n");
      long t0 = System.nanoTime();
      Cli.Outcome o =
          Cli.run(
              tmp,
              "command",
              "run",
              "sleep 424242 & sleep 434343; echo never",
              "-t",
              "127.0.0.1",
              "--timeout",
              "1",
              "--format",
              "json");
      assertEquals(1, o.code(), o::toString);
      assertEquals(
          "jbolt/timeout", o.json().at("/items/0/value/_error/kind").asText(), o::toString);
      assertTrue((System.nanoTime() - t0) / 1e9 < 10, "on time");
      for (int i = 0; i < 50 && (running("sleep 424242") || running("sleep 434343")); i++) {
        Thread.sleep(100);
      }
      assertTrue(!running("sleep 424242") && !running("sleep 434343"), "both sleeps were killed");
    }
  }

  @Test
  void stderrIsUntouchedByThePidLine() throws Exception {
    try (Sshd sshd = Sshd.start()) {
      Projects.withInventory(tmp, Projects.sshConfig(sshd) + "targets: [127.0.0.1]\n");
      Cli.Outcome o =
          Cli.run(
              tmp,
              "command",
              "run",
              "echo e1 >&2; echo o1; printf e2 >&2",
              "-t",
              "127.0.0.1",
              "--format",
              "json");
      assertEquals("e1\ne2", o.json().at("/items/0/value/stderr").asText(), o::toString);
      assertEquals("o1\n", o.json().at("/items/0/value/stdout").asText());
      o = Cli.run(tmp, "command", "run", "if then fi", "-t", "127.0.0.1", "--format", "json");
      assertTrue(
          o.json().at("/items/0/value/stderr").asText().contains("Syntax error"), o::toString);
    }
  }
}
