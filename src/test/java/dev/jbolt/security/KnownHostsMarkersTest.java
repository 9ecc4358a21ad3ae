package dev.jbolt.security;

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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * OpenSSH's known_hosts markers, as OpenSSH reads them: {@code @revoked} refuses a key in every
 * mode, loudly; {@code @cert-authority} trusts host certificates its CA signed (and only valid
 * ones); hashed host names keep working. Real sshds, one presenting a certificate.
 */
class KnownHostsMarkersTest {
  @TempDir static Path tmp;
  @LabSshd static Sshd plain;
  static Sshd certified;
  static Path ca;
  static Path otherCa;

  @BeforeAll
  static void start() throws Exception {
    ca = tmp.resolve("ca");
    otherCa = tmp.resolve("other_ca");
    Cmd.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "test-ca", "-f", ca.toString());
    Cmd.run(
        "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "other-ca", "-f", otherCa.toString());
    certified = Sshd.builder().hostCertificate(ca, "127.0.0.1,node1.example", "-5m:+1h").start();
  }

  @AfterAll
  static void stop() {
    certified.close();
  }

  private static String pub(Path key) throws Exception {
    return Files.readString(Path.of(key + ".pub")).strip().replaceFirst("\\s+\\S+$", "");
  }

  private Cli.Outcome run(Sshd sshd, String knownHosts, String check) throws Exception {
    Path dir = Files.createTempDirectory(tmp, "p");
    Path kh = dir.resolve("known_hosts");
    Files.writeString(kh, knownHosts);
    Projects.withInventory(
        dir,
        "config:\n  ssh:\n    user: "
            + sshd.user()
            + "\n    port: "
            + sshd.port()
            + "\n    private-key: "
            + sshd.key()
            + "\n    known-hosts-file: "
            + kh
            + "\n    host-key-check: "
            + check
            + "\n    connect-timeout: 5\ntargets: [127.0.0.1]\n");
    return Cli.run(
        dir,
        "command",
        "run",
        "echo in",
        "-t",
        "127.0.0.1",
        "--format",
        "json",
        "--connect-retries",
        "0");
  }

  private static JsonNode error(Cli.Outcome o) {
    return o.json().at("/items/0/value/_error");
  }

  private static String line(Sshd sshd, String key) {
    return "[127.0.0.1]:" + sshd.port() + " " + key + "\n";
  }

  @Test
  void aRevokedKeyIsRefusedInEveryMode() throws Exception {
    String known = line(plain, plain.hostKey()) + "@revoked * " + plain.hostKey() + "\n";
    for (String check : new String[] {"true", "accept-new"}) {
      Cli.Outcome o = run(plain, known, check);
      assertEquals(1, o.code(), o::toString);
      assertEquals("puppetlabs.tasks/connect-error", error(o).get("kind").asText(), o::toString);
      assertTrue(error(o).get("msg").asText().contains("REVOKED"), o::toString);
    }
    // Revoked and otherwise unknown: still revoked, never recorded by accept-new.
    Cli.Outcome o = run(plain, "@revoked * " + plain.hostKey() + "\n", "accept-new");
    assertEquals("puppetlabs.tasks/connect-error", error(o).get("kind").asText(), o::toString);
  }

  @Test
  void aCertificateFromATrustedAuthorityIsAccepted() throws Exception {
    Cli.Outcome o =
        run(
            certified,
            "@cert-authority [127.0.0.1]:" + certified.port() + " " + pub(ca) + "\n",
            "true");
    assertEquals(0, o.code(), o::toString);
    o = run(certified, "@cert-authority * " + pub(ca) + "\n", "true");
    assertEquals(0, o.code(), o::toString);
  }

  @Test
  void aCertificateFromAnotherAuthorityIsUnknown() throws Exception {
    Cli.Outcome o = run(certified, "@cert-authority * " + pub(otherCa) + "\n", "true");
    assertEquals(1, o.code(), o::toString);
    assertEquals("puppetlabs.tasks/connect-error", error(o).get("kind").asText(), o::toString);
  }

  @Test
  void aRevokedAuthorityIsRefused() throws Exception {
    Cli.Outcome o =
        run(certified, "@cert-authority * " + pub(ca) + "\n@revoked * " + pub(ca) + "\n", "true");
    assertEquals("puppetlabs.tasks/connect-error", error(o).get("kind").asText(), o::toString);
  }

  @Test
  void aCertificateForOtherHostsOrExpiredIsRefused() throws Exception {
    try (Sshd wrongName = Sshd.builder().hostCertificate(ca, "node9.example", "-5m:+1h").start();
        Sshd expired =
            Sshd.builder().hostCertificate(ca, "127.0.0.1", "20200101:20200102").start()) {
      for (Sshd s : new Sshd[] {wrongName, expired}) {
        Cli.Outcome o = run(s, "@cert-authority * " + pub(ca) + "\n", "true");
        assertEquals(1, o.code(), o::toString);
        assertEquals("puppetlabs.tasks/connect-error", error(o).get("kind").asText(), o::toString);
        assertTrue(error(o).get("msg").asText().contains("certificate"), o::toString);
      }
    }
  }

  @Test
  void hashedHostNamesKeepWorking() throws Exception {
    Path dir = Files.createTempDirectory(tmp, "h");
    Path kh = dir.resolve("kh");
    Files.writeString(kh, line(plain, plain.hostKey()));
    Cmd.run("ssh-keygen", "-q", "-H", "-f", kh.toString());
    String hashed = Files.readString(kh);
    assertTrue(hashed.startsWith("|1|"), hashed);
    assertEquals(0, run(plain, hashed, "true").code());
    Cli.Outcome o = run(plain, hashed + "@revoked * " + plain.hostKey() + "\n", "true");
    assertEquals("puppetlabs.tasks/connect-error", error(o).get("kind").asText(), o::toString);
  }
}
