package dev.jbolt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The test harness leaves nothing behind: closing an sshd ends its sessions even when their client
 * never hangs up (as after a network cut, where the connection just goes silent).
 */
class SshdTest {
  private static int running(String commandLine) {
    String n = Cmd.run("sh", "-c", "pgrep -c -f '^" + commandLine + "' || true").strip();
    return n.isEmpty() ? 0 : Integer.parseInt(n);
  }

  @Test
  void closingEndsSessionsWhoseClientNeverHangsUp() throws Exception {
    Process client = null;
    try (Sshd sshd = Sshd.start()) {
      client =
          new ProcessBuilder(
                  "ssh",
                  "-F",
                  "/dev/null",
                  "-i",
                  sshd.key().toString(),
                  "-p",
                  String.valueOf(sshd.port()),
                  "-o",
                  "StrictHostKeyChecking=no",
                  "-o",
                  "UserKnownHostsFile=/dev/null",
                  "-o",
                  "BatchMode=yes",
                  sshd.user() + "@127.0.0.1",
                  "sleep 393939")
              .redirectErrorStream(true)
              .start();
      for (int i = 0; i < 100 && running("sleep 393939") == 0; i++) {
        Thread.sleep(100);
      }
      assertEquals(1, running("sleep 393939"), "the session runs");
      // The client is stopped, not killed: its connection stays open and silent.
      Cmd.run("kill", "-STOP", String.valueOf(client.pid()));
    }
    try {
      for (int i = 0; i < 50 && running("sleep 393939") > 0; i++) {
        Thread.sleep(100);
      }
      assertEquals(0, running("sleep 393939"), "the session ended with its server");
    } finally {
      client.destroyForcibly();
      client.waitFor(5, TimeUnit.SECONDS);
      Cmd.runQuietly("pkill", "-f", "^sleep 393939");
    }
  }
}
