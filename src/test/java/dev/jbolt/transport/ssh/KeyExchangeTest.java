package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Jvm;
import dev.jbolt.testing.Projects;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key exchange jbolt offers and the algorithm settings it honours (issue 28.2), against an
 * in-process MINA server that records what was negotiated (OpenSSH 9.2 here offers no ML-KEM): the
 * client's ML-KEM is the JDK's, the server's MINA's own (BouncyCastle's), so a success is a real
 * interoperation.
 */
class KeyExchangeTest {
  @TempDir Path tmp;
  SshServer server;
  final Map<String, String> negotiated = new ConcurrentHashMap<>();
  Path project;

  private void start(List<BuiltinDHFactories> kex, List<BuiltinCiphers> ciphers) throws Exception {
    server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider();
    hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
    server.setKeyPairProvider(hostKeys);
    server.setPublickeyAuthenticator((user, key, session) -> true);
    server.setCommandFactory(
        (channel, command) ->
            new ProcessShellFactory(command, "/bin/sh", "-c", command).createShell(channel));
    if (kex != null) {
      server.setKeyExchangeFactories(
          NamedFactory.setUpTransformedFactories(true, kex, ServerBuilder.DH2KEX));
    }
    if (ciphers != null) {
      server.setCipherFactories(List.<NamedFactory<Cipher>>copyOf(ciphers));
    }
    server.addSessionListener(
        new SessionListener() {
          @Override
          public void sessionNegotiationEnd(
              Session session,
              Map<KexProposalOption, String> client,
              Map<KexProposalOption, String> srv,
              Map<KexProposalOption, String> result,
              Throwable reason) {
            if (result != null) {
              negotiated.put("kex", result.get(KexProposalOption.ALGORITHMS));
              negotiated.put("cipher", result.get(KexProposalOption.C2SENC));
              negotiated.put("offered", client.get(KexProposalOption.ALGORITHMS));
              negotiated.put("hostkeys", client.get(KexProposalOption.SERVERKEYS));
            }
          }
        });
    server.start();
    KeyPair key = KeyUtils.generateKeyPair("ssh-ed25519", 256);
    Path keyFile = tmp.resolve("id_ed25519");
    try (OutputStream out = Files.newOutputStream(keyFile)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, null, null, out);
    }
    project = Files.createDirectories(tmp.resolve("p"));
    inventory("");
  }

  private void inventory(String more) throws Exception {
    Projects.withInventory(
        project,
        "config:\n  ssh:\n    port: "
            + server.getPort()
            + "\n    private-key: "
            + tmp.resolve("id_ed25519")
            + "\n    host-key-check: false\n    user: kex\n"
            + more
            + "targets: [127.0.0.1]\n");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.stop(true);
    }
  }

  private Cli.Outcome run() {
    negotiated.clear();
    return Cli.run(project, "command", "run", "echo kexed", "-t", "127.0.0.1");
  }

  @Test
  void mlKemFirstThenSntrupThenCurve25519AsOpenSsh() throws Exception {
    assumeTrue(JdkMlKem.INSTANCE.isSupported(), "the JDK's ML-KEM needs Java 24+");
    start(null, null);
    Cli.Outcome o = run();
    assertEquals(0, o.code(), o::toString);
    String offered = negotiated.get("offered");
    assertTrue(
        offered.startsWith(
            "mlkem768x25519-sha256,sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,"
                + "curve25519-sha256,curve25519-sha256@libssh.org,"),
        offered);
    assertEquals("mlkem768x25519-sha256", negotiated.get("kex"));
  }

  @Test
  void theJdksMlKemAgreesWithMinasOwn() throws Exception {
    assumeTrue(JdkMlKem.INSTANCE.isSupported(), "the JDK's ML-KEM needs Java 24+");
    start(List.of(BuiltinDHFactories.mlkem768x25519), null);
    Cli.Outcome o = run();
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("kexed"), o::toString);
    assertEquals("mlkem768x25519-sha256", negotiated.get("kex"));
  }

  /** jbolt's sntrup761 keys against MINA's server side (BouncyCastle's encapsulation). */
  @Test
  void jboltsSntrupAgreesWithMinasOwn() throws Exception {
    start(List.of(BuiltinDHFactories.sntrup761x25519), null);
    for (int i = 0; i < 5; i++) {
      Cli.Outcome o = run();
      assertEquals(0, o.code(), o::toString);
      assertTrue(o.out().contains("kexed"), o::toString);
      assertEquals("sntrup761x25519-sha512", negotiated.get("kex"));
    }
  }

  @Test
  void theInventoryChoosesTheAlgorithms() throws Exception {
    start(null, null);
    inventory(
        "    kex-algorithms: [curve25519-sha256]\n"
            + "    encryption-algorithms: [aes256-ctr]\n"
            + "    mac-algorithms: [hmac-sha2-512]\n"
            + "    host-key-algorithms: [ecdsa-sha2-nistp521]\n");
    Cli.Outcome o = run();
    assertEquals(0, o.code(), o::toString);
    assertEquals("curve25519-sha256", negotiated.get("kex"));
    assertEquals("aes256-ctr", negotiated.get("cipher"));
    assertEquals(
        "curve25519-sha256",
        negotiated.get("offered").replaceAll(",(ext-info-c|kex-strict-c-v00@openssh.com)", ""));
    assertEquals("ecdsa-sha2-nistp521", negotiated.get("hostkeys"));
    // no warning that they are not honoured
    assertTrue(!o.err().contains("not honoured") && !o.err().contains("negotiates"), o::toString);
    // a name jbolt lacks is bad input, before anything connects
    inventory("    kex-algorithms: [curve9999-sha1]\n");
    o = run();
    assertEquals(2, o.code(), o::toString);
    assertTrue(o.err().contains("kex-algorithms: jbolt has no 'curve9999-sha1'"), o::toString);
  }

  @Test
  void sshConfigChoosesWhereTheInventoryDoesNot() throws Exception {
    start(null, null);
    Path home = Files.createDirectories(tmp.resolve("home"));
    Files.createDirectories(home.resolve(".ssh"));
    Files.writeString(
        home.resolve(".ssh/config"),
        "Host 127.0.0.1\n  KexAlgorithms -mlkem*,sntrup*\n  Ciphers ^aes192-ctr\n");
    Cli.Outcome o = Jvm.run(project, home, "command", "run", "echo kexed", "-t", "127.0.0.1");
    assertEquals(0, o.code(), o::toString);
    assertEquals("curve25519-sha256", negotiated.get("kex"));
    assertEquals("aes192-ctr", negotiated.get("cipher"));
  }
}
