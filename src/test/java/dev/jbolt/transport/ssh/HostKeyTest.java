package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host keys are checked against known_hosts by default; never silently accepted. */
class HostKeyTest {
  @LabSshd static Sshd sshd;
  @TempDir Path tmp;

  private Cli.Outcome run(String knownHosts, String hostKeyCheck) throws Exception {
    String inv =
        "config:\n  ssh:\n    user: "
            + sshd.user()
            + "\n    port: "
            + sshd.port()
            + "\n    private-key: "
            + sshd.key()
            + "\n    known-hosts-file: "
            + knownHosts
            + "\n"
            + (hostKeyCheck == null ? "" : "    host-key-check: " + hostKeyCheck + "\n")
            + "targets: [127.0.0.1]\n";
    Projects.withInventory(tmp, inv);
    return Cli.run(tmp, "command", "run", "echo in", "-t", "127.0.0.1", "--format", "json");
  }

  private static JsonNode error(Cli.Outcome o) {
    return o.json().at("/items/0/value/_error");
  }

  @Test
  void anUnknownHostFailsAndSaysHowToTrustIt() throws Exception {
    Path kh = tmp.resolve("empty_known_hosts");
    Files.writeString(kh, "");
    Cli.Outcome o = run(kh.toString(), null);
    assertEquals(1, o.code(), o::toString);
    assertEquals("puppetlabs.tasks/connect-error", error(o).get("kind").asText(), o::toString);
    assertEquals("HOST_KEY_ERROR", error(o).get("issue_code").asText());
    assertTrue(
        error(o).get("msg").asText().contains("ssh-keyscan -p " + sshd.port() + " 127.0.0.1"),
        o::toString);
    assertEquals("", Files.readString(kh), "nothing was recorded");
  }

  @Test
  void theHumanOutputGivesTheFingerprintAndBothWaysForwardAndTheFlagWorks() throws Exception {
    Path kh = tmp.resolve("empty_known_hosts");
    Files.writeString(kh, "");
    run(kh.toString(), null);
    Cli.Outcome o = Cli.run(tmp, "command", "run", "echo in", "-t", "127.0.0.1");
    assertEquals(1, o.code(), o::toString);
    String fingerprint =
        Cmd.run("sh", "-c", "ssh-keygen -lf " + sshd.dir().resolve("host_ed25519.pub"))
            .split(" ")[1];
    assertTrue(o.out().contains(fingerprint), "the fingerprint, as ssh-keygen -l shows it: " + o);
    assertTrue(
        o.out().contains("ssh-keyscan -p " + sshd.port() + " 127.0.0.1 >> " + kh), o::toString);
    assertTrue(o.out().contains("--host-key-check accept-new"), o::toString);

    Cli.Outcome accepted =
        Cli.run(
            tmp, "command", "run", "echo in", "-t", "127.0.0.1", "--host-key-check", "accept-new");
    assertEquals(0, accepted.code(), accepted::toString);
    assertTrue(Files.readString(kh).contains(sshd.hostKey()), "recorded");
    Cli.Outcome bad =
        Cli.run(tmp, "command", "run", "true", "-t", "127.0.0.1", "--host-key-check", "maybe");
    assertEquals(2, bad.code(), bad::toString);
  }

  /**
   * Lines whose key jbolt cannot decode (a garbled key, a type it does not know) are skipped, as
   * ssh skips them, also for the target itself: they neither trust nor count as a changed key. Keys
   * are decoded only for lines whose hosts match, so a garbled line about the target is met here.
   */
  @Test
  void garbledAndUnknownKeyLinesAreSkippedAsSshDoes() throws Exception {
    String host = "[127.0.0.1]:" + sshd.port();
    String garbled = host + " ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGFyYmxlZA==\n";
    String unknownType = host + " ssh-future AAAADHNzaC1mdXR1cmUAAAAEAAAAAA==\n";
    String good = Files.readString(sshd.knownHosts());
    Path kh = tmp.resolve("kh");
    Files.writeString(kh, garbled + unknownType + good);
    Cli.Outcome known = run(kh.toString(), null);
    assertEquals(0, known.code(), known::toString);

    Files.writeString(kh, garbled + unknownType);
    Cli.Outcome unknown = run(kh.toString(), null);
    assertEquals(1, unknown.code(), unknown::toString);
    assertEquals("HOST_KEY_ERROR", error(unknown).get("issue_code").asText(), unknown::toString);
    assertTrue(error(unknown).get("msg").asText().contains("is not known"), unknown::toString);
  }

  @Test
  void aKnownHostIsAcceptedAlsoWhenHashed() throws Exception {
    Path kh = sshd.knownHosts();
    assertEquals(0, run(kh.toString(), null).code());
    Cmd.run("ssh-keygen", "-q", "-H", "-f", kh.toString());
    assertTrue(Files.readString(kh).startsWith("|1|"), "hashed");
    Cli.Outcome o = run(kh.toString(), null);
    assertEquals(0, o.code(), o::toString);
  }

  @Test
  void acceptNewRecordsTheKeyThenHoldsItToIt() throws Exception {
    Path kh = tmp.resolve("kh");
    Files.writeString(kh, "");
    Cli.Outcome o = run(kh.toString(), "accept-new");
    assertEquals(0, o.code(), o::toString);
    String recorded = Files.readString(kh);
    assertTrue(
        recorded.contains("[127.0.0.1]:" + sshd.port())
            && recorded.contains(sshd.hostKey().split(" ")[1]),
        recorded);
    // An impostor with another key on the same address and port is refused, loudly.
    sshd.kill();
    try (Sshd impostor = Sshd.start()) {
      // The impostor has its own host key; the recorded entry now names its address and port.
      Files.writeString(kh, recorded.replace("]:" + sshd.port(), "]:" + impostor.port()));
      String inv =
          "config:\n  ssh:\n    user: "
              + impostor.user()
              + "\n    port: "
              + impostor.port()
              + "\n    private-key: "
              + impostor.key()
              + "\n    known-hosts-file: "
              + kh
              + "\n    host-key-check: accept-new\n"
              + "targets: [127.0.0.1]\n";
      Projects.withInventory(tmp, inv);
      Cli.Outcome bad =
          Cli.run(tmp, "command", "run", "echo in", "-t", "127.0.0.1", "--format", "json");
      assertEquals(1, bad.code(), bad::toString);
      assertEquals(
          "puppetlabs.tasks/connect-error", error(bad).get("kind").asText(), bad::toString);
      assertTrue(
          error(bad)
              .get("msg")
              .asText()
              .startsWith("WARNING: the host key of 127.0.0.1:" + impostor.port() + " has CHANGED"),
          bad::toString);
      assertEquals(
          0, impostor.log().lines().filter(l -> l.contains("Accepted")).count(), "never logged in");
    } finally {
      sshd.close(); // killed, its directory is still there
      sshd = Sshd.start();
    }
  }

  @Test
  void hostKeyCheckFalseAcceptsAnything() throws Exception {
    Path kh = tmp.resolve("none");
    Files.writeString(kh, "");
    Cli.Outcome o = run(kh.toString(), "false");
    assertEquals(0, o.code(), o::toString);
    assertEquals("in\n", o.json().at("/items/0/value/stdout").asText());
    o = Cli.run(tmp, "command", "run", "true", "-t", "127.0.0.1", "--no-host-key-check");
    assertEquals(0, o.code(), o::toString);
  }
}
