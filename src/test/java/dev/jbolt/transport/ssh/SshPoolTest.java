package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.action.CommandAction;
import dev.jbolt.exec.Executor;
import dev.jbolt.exec.RunListener;
import dev.jbolt.inventory.InventoryParser;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.result.ResultSet;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.TransportException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * One authenticated session per target for the whole run, channels bounded, re-opened when dropped.
 */
class SshPoolTest {
  static List<Target> targets(Sshd sshd, String extraSsh, String... hosts) throws Exception {
    String inv =
        Projects.sshConfig(sshd) + extraSsh + "targets: [" + String.join(", ", hosts) + "]\n";
    var inventory =
        InventoryParser.parse(
            inv, "inventory.yaml", new PrintStream(PrintStream.nullOutputStream()));
    return List.of(hosts).stream().map(h -> inventory.target(h).orElseThrow()).toList();
  }

  @Test
  void tenCommandsOnOneTargetLogInOnce() throws Exception {
    try (Sshd sshd = Sshd.start();
        SshTransport transport = new SshTransport(SshTransport.Options.DEFAULT)) {
      Target t = targets(sshd, "", "127.0.0.1").get(0);
      Executor ex = new Executor(transport::connection, 10);
      for (int i = 0; i < 10; i++) {
        ResultSet rs =
            ex.run(
                List.of(t),
                "command",
                "echo " + i,
                CommandAction.run("echo " + i, Map.of(), 0, null),
                RunListener.NONE);
        assertEquals(i + "\n", rs.results().get(0).text("stdout"), rs.toString());
      }
      transport.connection(t).upload(Path.of("pom.xml"), "/tmp/jbolt-pool-test-pom.xml");
      Exec.run(transport.connection(t), "rm /tmp/jbolt-pool-test-pom.xml", null, 10_000, null);
      assertEquals(1, sshd.acceptedLogins(), sshd.log());
      assertEquals(1, transport.handshakes());
    }
  }

  @Test
  void withReuseOffEveryActionLogsInAgain() throws Exception {
    try (Sshd sshd = Sshd.start();
        SshTransport transport = new SshTransport(new SshTransport.Options(8, 2, false))) {
      Connection c = transport.connection(targets(sshd, "", "127.0.0.1").get(0));
      for (int i = 0; i < 3; i++) {
        Exec.run(c, "true", null, 10_000, null);
      }
      assertEquals(3, sshd.acceptedLogins(), sshd.log());
    }
  }

  @Test
  void moreConcurrentActionsThanMaxSessionsQueueInsteadOfFailing() throws Exception {
    try (Sshd sshd = Sshd.start();
        SshTransport transport = new SshTransport(SshTransport.Options.DEFAULT)) {
      Connection c = transport.connection(targets(sshd, "", "127.0.0.1").get(0));
      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      List<Future<Exec.Output>> outs = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        int n = i;
        outs.add(
            pool.submit(
                (Callable<Exec.Output>)
                    () -> Exec.run(c, "sleep 0.3; echo " + n, null, 30_000, null)));
      }
      for (int i = 0; i < 25; i++) {
        assertEquals(i + "\n", outs.get(i).get().stdoutText());
      }
      pool.close();
      assertEquals(1, sshd.acceptedLogins());
    }
  }

  @Test
  void aServerThatAllowsNoSessionsIsAChannelError() throws Exception {
    try (Sshd sshd = Sshd.builder().maxSessions(0).start();
        SshTransport transport = new SshTransport(SshTransport.Options.DEFAULT)) {
      Connection c = transport.connection(targets(sshd, "", "127.0.0.1").get(0));
      TransportException e =
          assertThrows(TransportException.class, () -> Exec.run(c, "true", null, 10_000, null));
      assertEquals(ErrorKind.CHANNEL_ERROR, e.kind(), e.getMessage());
    }
  }

  @Test
  void aDroppedSessionIsReopenedForTheNextAction() throws Exception {
    try (Sshd sshd = Sshd.start();
        SshTransport transport = new SshTransport(SshTransport.Options.DEFAULT)) {
      Connection c = transport.connection(targets(sshd, "", "127.0.0.1").get(0));
      assertEquals(0, Exec.run(c, "true", null, 10_000, null).exitCode());
      // Kill this connection's sshd process from inside it (the first sshd above the command: its
      // parent on an exec channel, the kept-open shell's parent otherwise): the session drops
      // mid-command.
      String killSshd =
          "p=$PPID; until grep -q '^sshd' /proc/$p/comm; do p=$(cut -d' ' -f4 /proc/$p/stat); done;"
              + " kill -9 $p; sleep 5";
      TransportException lost =
          assertThrows(TransportException.class, () -> Exec.run(c, killSshd, null, 20_000, null));
      assertEquals(ErrorKind.CONNECTION_LOST, lost.kind(), lost.getMessage());
      assertEquals("again\n", Exec.run(c, "echo again", null, 10_000, null).stdoutText());
      assertEquals(2, sshd.acceptedLogins(), sshd.log());
    }
  }

  @Test
  void oneSshdStandsInForManyHostsByAddress() throws Exception {
    try (Sshd sshd = Sshd.builder().anyAddress().start();
        SshTransport transport = new SshTransport(SshTransport.Options.DEFAULT)) {
      String[] hosts = new String[40];
      for (int i = 0; i < hosts.length; i++) {
        hosts[i] = "127.0.0." + (i + 2);
      }
      List<Target> ts = targets(sshd, "", hosts);
      sshd.knownHosts(hosts);
      ResultSet rs =
          new Executor(transport::connection, 100)
              .run(
                  ts,
                  "command",
                  "x",
                  CommandAction.run("echo $SSH_CONNECTION | cut -d' ' -f3", Map.of(), 0, null),
                  RunListener.NONE);
      assertTrue(rs.ok(), () -> rs.errorSet().get(0).toString());
      for (int i = 0; i < hosts.length; i++) {
        assertEquals(hosts[i] + "\n", rs.results().get(i).text("stdout"));
      }
      assertEquals(40, sshd.acceptedLogins());
    }
  }
}
