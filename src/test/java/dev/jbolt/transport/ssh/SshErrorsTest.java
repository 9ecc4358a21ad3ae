package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every connection failure is one target's failed result with a stable kind; the others finish. */
class SshErrorsTest {
  @TempDir Path tmp;

  @Test
  void eachFailureHasItsKindAndTheGoodTargetStillRuns() throws Exception {
    List<Socket> accepted = new ArrayList<>();
    try (Sshd sshd = Sshd.start();
        ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        ServerSocket closed = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int refusedPort = closed.getLocalPort();
      closed.close(); // nothing listens there now
      // A server that accepts and never speaks: the handshake must time out on connect-timeout.
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept());
                  }
                } catch (Exception e) {
                  // closed
                }
              });
      Path otherKey = tmp.resolve("other_key");
      Cmd.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", otherKey.toString());
      String inv =
          Projects.sshConfig(sshd)
              + "    connect-timeout: 2\n"
              + "targets:\n"
              + "  - 127.0.0.1\n"
              + "  - {name: refused, uri: '127.0.0.1:"
              + refusedPort
              + "'}\n"
              + "  - {name: silent, uri: '127.0.0.1:"
              + silent.getLocalPort()
              + "'}\n"
              + "  - {name: nodns, uri: 'no-such-host.invalid'}\n"
              + "  - {name: badkey, uri: '127.0.0.1', config: {ssh: {private-key: '"
              + otherKey
              + "'}}}\n"
              + "  - {name: baduser, uri: 'nobody-here@127.0.0.1'}\n";
      Projects.withInventory(tmp, inv);
      long t0 = System.nanoTime();
      Cli.Outcome o =
          Cli.run(
              tmp,
              "command",
              "run",
              "echo fine",
              "-t",
              "all",
              "--format",
              "json",
              "--connect-retries",
              "0");
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertEquals(1, o.code(), o::toString);
      Map<String, JsonNode> byTarget = new HashMap<>();
      o.json().get("items").forEach(i -> byTarget.put(i.get("target").asText(), i));
      assertEquals(6, byTarget.size());
      assertEquals("success", byTarget.get("127.0.0.1").get("status").asText());
      assertEquals("fine\n", byTarget.get("127.0.0.1").at("/value/stdout").asText());
      assertKind(
          byTarget,
          "refused",
          "puppetlabs.tasks/connect-error: connection refused",
          "connection refused");
      assertKind(
          byTarget,
          "silent",
          "puppetlabs.tasks/connect-error: connect timeout",
          "timed out after 2.0 s");
      assertKind(
          byTarget,
          "nodns",
          "puppetlabs.tasks/connect-error: unknown host name",
          "cannot resolve host name 'no-such-host.invalid'");
      assertKind(
          byTarget,
          "badkey",
          "puppetlabs.tasks/connect-error: authentication failed",
          "authentication failed for user '" + sshd.user() + "'");
      assertKind(
          byTarget,
          "baduser",
          "puppetlabs.tasks/connect-error: authentication failed",
          "authentication failed for user 'nobody-here'");
      assertTrue(seconds < 15, "connect-timeout honoured, took " + seconds);
    } finally {
      for (Socket s : accepted) {
        s.close();
      }
    }
  }

  private static void assertKind(
      Map<String, JsonNode> items, String target, String kind, String msg) {
    JsonNode e = items.get(target).at("/value/_error");
    // Bolt's kind, jbolt's finer reason beside it: "puppetlabs.tasks/connect-error: connect
    // timeout"
    assertEquals(
        kind, e.get("kind").asText() + ": " + e.at("/details/reason").asText(), target + ": " + e);
    assertTrue(e.get("msg").asText().contains(msg), target + ": " + e);
    assertTrue(!e.get("msg").asText().contains("\n"), "one line");
  }

  @Test
  void refusedConnectionsAreRetriedBeforeFailing() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Projects.withInventory(
        tmp,
        "targets: [{name: gone, uri: '127.0.0.1:"
            + port
            + "', config: {ssh: {host-key-check: false}}}]\n");
    long t0 = System.nanoTime();
    Cli.Outcome o = Cli.run(tmp, "command", "run", "true", "-t", "gone", "--connect-retries", "2");
    double ms = (System.nanoTime() - t0) / 1e6;
    assertEquals(1, o.code());
    assertTrue(o.out().contains("(connection refused)"), o.out());
    // Two backoffs of at least 100 ms and 200 ms happened before giving up.
    assertTrue(ms >= 300, "retried with backoff: " + ms + " ms");
  }

  @Test
  void badSettingsFailBeforeConnectingWithExitTwo() throws Exception {
    String[][] cases = {
      {"port: http", "target 'h': ssh.port must be a whole number, not 'http'"},
      {"port: 70000", "target 'h': ssh.port must be between 1 and 65535, not 70000"},
      {
        "host-key-check: maybe", "ssh.host-key-check must be true, false or accept-new, not 'maybe'"
      },
      {"connect-timeout: -3", "ssh.connect-timeout must be more than 0"},
      {"private-key: /nonexistent/key", "cannot load private-key /nonexistent/key"},
      {"load-config: perhaps", "ssh.load-config must be true or false"},
    };
    for (String[] c : cases) {
      Projects.withInventory(tmp, "config:\n  ssh:\n    " + c[0] + "\ntargets: [h]\n");
      Cli.Outcome o = Cli.run(tmp, "command", "run", "true", "-t", "h");
      assertEquals(2, o.code(), o::toString);
      assertTrue(o.err().contains(c[1]), c[0] + " -> " + o.err());
    }
  }
}
