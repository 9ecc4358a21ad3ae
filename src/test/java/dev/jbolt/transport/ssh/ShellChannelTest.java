package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Sshd;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** jbolt's own commands share one kept-open shell per target, and never lose a command to it. */
class ShellChannelTest {
  private static long sessionsStarted(Sshd sshd) {
    return sshd.log().lines().filter(l -> l.contains("Starting session:")).count();
  }

  @Test
  void manyOwnCommandsUseOneChannel() throws Exception {
    try (Sshd sshd = Sshd.start();
        SshTransport t = new SshTransport(SshTransport.Options.DEFAULT)) {
      Connection c = t.connection(SshConnectionTest.target(sshd, "127.0.0.1"));
      for (int i = 0; i < 20; i++) {
        assertEquals(i + "\n", c.runOwn("echo " + i, 10_000).stdoutText());
      }
      assertEquals(1, sessionsStarted(sshd), sshd.log());
    }
  }

  @Test
  void aTimeoutKillsTheShellAndWhatItRanThenANewOneServes() throws Exception {
    try (Sshd sshd = Sshd.start();
        SshTransport t = new SshTransport(SshTransport.Options.DEFAULT)) {
      Connection c = t.connection(SshConnectionTest.target(sshd, "127.0.0.1"));
      TransportException e =
          assertThrows(TransportException.class, () -> c.runOwn("sleep 454549", 300));
      assertEquals("jbolt/timeout", e.kind().id());
      for (int i = 0;
          i < 50 && !Cmd.run("sh", "-c", "pgrep -f '^sleep 454549' || true").isBlank();
          i++) {
        Thread.sleep(100);
      }
      assertTrue(
          Cmd.run("sh", "-c", "pgrep -f '^sleep 454549' || true").isBlank(),
          "killed on the target");
      assertEquals("fresh\n", c.runOwn("echo fresh", 10_000).stdoutText());
    }
  }

  @Test
  void concurrentOwnCommandsAllComplete() throws Exception {
    try (Sshd sshd = Sshd.start();
        SshTransport t = new SshTransport(SshTransport.Options.DEFAULT)) {
      Connection c = t.connection(SshConnectionTest.target(sshd, "127.0.0.1"));
      var pool = Executors.newFixedThreadPool(6);
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        String word = "w" + i;
        results.add(
            pool.submit((Callable<String>) () -> c.runOwn("echo " + word, 10_000).stdoutText()));
      }
      for (int i = 0; i < 60; i++) {
        assertEquals("w" + i + "\n", results.get(i).get());
      }
      pool.shutdown();
    }
  }
}
