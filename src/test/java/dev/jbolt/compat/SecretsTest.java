package dev.jbolt.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bolt's encrypted values: {@code jbolt secret} makes keys and values that OpenSSL (which Bolt's
 * pkcs7 plugin is built on) reads, and reads theirs, including keys of Bolt's own shape (a
 * certificate with an empty name); {@code _plugin: pkcs7} decrypts in inventories and project
 * files; a wrong key or a broken value stops the run before it starts, and no message holds a
 * decrypted value.
 */
class SecretsTest {
  @TempDir Path tmp;

  private Path project(String name) throws Exception {
    Path p = Files.createDirectories(tmp.resolve(name));
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: " + name + "\n");
    return p;
  }

  /** {@code ENC[PKCS7,...]} as Bolt writes it, made by {@code openssl smime} for {@code cert}. */
  private String opensslEncrypt(Path cert, String plaintext) throws Exception {
    Path in = Files.writeString(tmp.resolve("plain.txt"), plaintext);
    Path der = tmp.resolve("enc.der");
    Cmd.run(
        "openssl",
        "smime",
        "-encrypt",
        "-aes256",
        "-binary",
        "-outform",
        "DER",
        "-in",
        in.toString(),
        "-out",
        der.toString(),
        cert.toString());
    String b64 = Base64.getMimeEncoder(60, "\n".getBytes()).encodeToString(Files.readAllBytes(der));
    return "ENC[PKCS7," + b64 + "]";
  }

  private String opensslDecrypt(Path keys, String enc) throws Exception {
    String b64 = enc.strip().replaceFirst("^ENC\\[PKCS7,", "").replaceFirst("\\]$", "");
    Path der = Files.write(tmp.resolve("dec.der"), Base64.getMimeDecoder().decode(b64));
    return Cmd.run(
        "openssl",
        "smime",
        "-decrypt",
        "-inform",
        "DER",
        "-in",
        der.toString(),
        "-inkey",
        keys.resolve("private_key.pkcs7.pem").toString(),
        "-recip",
        keys.resolve("public_key.pkcs7.pem").toString());
  }

  @Test
  void keysAndValuesGoBothWaysWithOpenssl() throws Exception {
    Path p = project("shop");
    Cli.Outcome made = Cli.run(p, "secret", "createkeys");
    assertEquals(0, made.code(), made::toString);
    Path keys = p.resolve("keys");
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(keys.resolve("private_key.pkcs7.pem"))));
    Cli.Outcome again = Cli.run(p, "secret", "createkeys");
    assertEquals(2, again.code(), "an existing pair is kept without --force");

    // The value comes on stdin, so that it is in no process list.
    Cli.Outcome enc = Cli.runWithInput(p, "s3cr3t wörd\n", "secret", "encrypt");
    assertEquals(0, enc.code(), enc::toString);
    assertTrue(enc.out().startsWith("ENC[PKCS7,MII"), enc.out());
    assertFalse(enc.out().contains("s3cr3t"));
    assertEquals("s3cr3t wörd", opensslDecrypt(keys, enc.out()));

    String theirs = opensslEncrypt(keys.resolve("public_key.pkcs7.pem"), "from openssl");
    Cli.Outcome dec = Cli.run(p, "secret", "decrypt", theirs);
    assertEquals(0, dec.code(), dec::toString);
    assertEquals("from openssl\n", dec.out());
    Cli.Outcome viaStdin = Cli.runWithInput(p, theirs + "\n", "secret", "decrypt");
    assertEquals("from openssl\n", viaStdin.out());
  }

  @Test
  void keysOfBoltsOwnShapeWork() throws Exception {
    // Bolt (Ruby's OpenSSL) writes a PKCS#1 key and a certificate with an empty subject and
    // issuer, serial 1: made here the same way with the openssl command.
    Path p = project("bolt_keys");
    Path keys = Files.createDirectories(p.resolve("keys"));
    Cmd.run(
        "openssl",
        "genrsa",
        "-traditional",
        "-out",
        keys.resolve("private_key.pkcs7.pem").toString(),
        "2048");
    Cmd.run(
        "openssl",
        "req",
        "-new",
        "-x509",
        "-key",
        keys.resolve("private_key.pkcs7.pem").toString(),
        "-subj",
        "/",
        "-days",
        "18250",
        "-set_serial",
        "1",
        "-sha512",
        "-out",
        keys.resolve("public_key.pkcs7.pem").toString());
    Cli.Outcome enc = Cli.run(p, "secret", "encrypt", "for bolt");
    assertEquals(0, enc.code(), enc::toString);
    assertEquals("for bolt", opensslDecrypt(keys, enc.out()));
    String theirs = opensslEncrypt(keys.resolve("public_key.pkcs7.pem"), "from bolt");
    assertEquals("from bolt\n", Cli.run(p, "secret", "decrypt", theirs).out());
  }

  @Test
  void anEncryptedUserAndPasswordLogInToRealSshd() throws Exception {
    Path p = project("enc");
    // Keys elsewhere than keys/, by Bolt's settings, the path itself from the environment.
    Path keyDir = Files.createDirectories(tmp.resolve("private"));
    Files.writeString(
        p.resolve("jbolt-project.yaml"),
        "name: enc\n"
            + "plugins:\n"
            + "  pkcs7:\n"
            + "    private_key: {_plugin: env_var, var: JB_KEY}\n"
            + "    public_key: ../private/pub.pem\n");
    Map<String, String> env = Map.of("JB_KEY", keyDir.resolve("priv.pem").toString());
    assertEquals(0, Cli.run(p, env, "", "secret", "createkeys").code());
    assertTrue(Files.exists(keyDir.resolve("priv.pem")) && Files.exists(keyDir.resolve("pub.pem")));
    boolean withPassword = TestUser.get().password() != null;
    try (Sshd sshd = Sshd.start()) {
      String user = Cli.run(p, env, "", "secret", "encrypt", sshd.user()).out().strip();
      String pw = Cli.run(p, env, "", "secret", "encrypt", TestUser.PASSWORD).out().strip();
      Files.writeString(
          p.resolve("inventory.yaml"),
          Projects.sshConfig(sshd)
                  .replace(
                      "    user: " + sshd.user() + "\n",
                      "    user:\n      _plugin: pkcs7\n      encrypted_value: |\n        "
                          + user.replace("\n", "\n        ")
                          + "\n")
                  .replace(
                      "    private-key: " + sshd.key() + "\n",
                      withPassword
                          ? "    password:\n      _plugin: pkcs7\n      encrypted_value: |\n"
                              + "        "
                              + pw.replace("\n", "\n        ")
                              + "\n"
                          : "    private-key: " + sshd.key() + "\n")
              + "targets: [127.0.0.1]\n");
      Cli.Outcome o = Cli.run(p, env, "", "command", "run", "id -un", "-t", "127.0.0.1");
      assertEquals(0, o.code(), o::toString);
      // Logged in as the decrypted user, whose name, a decrypted value, is masked in the output.
      assertTrue(o.out().contains("[redacted]") && !o.out().contains(sshd.user()), o::toString);
      if (withPassword) {
        assertTrue(sshd.log().contains("Accepted password"), sshd.log());
      }
      assertFalse(o.out().contains(TestUser.PASSWORD) || o.err().contains(TestUser.PASSWORD));
    }
  }

  @Test
  void aWrongKeyOrBrokenValueStopsTheRunNamingFileAndPlace() throws Exception {
    Path other = project("other");
    assertEquals(0, Cli.run(other, "secret", "createkeys").code());
    String forOther = Cli.run(other, "secret", "encrypt", "TOPSECRET-1").out().strip();
    Path p = project("mine");
    assertEquals(0, Cli.run(p, "secret", "createkeys").code());
    String inline = forOther.replace("\n", "");
    Files.writeString(
        p.resolve("inventory.yaml"),
        "targets:\n"
            + "  - name: web1\n"
            + "    vars:\n"
            + "      token: {_plugin: pkcs7, encrypted_value: '"
            + inline
            + "'}\n");
    Cli.Outcome o = Cli.run(p, "command", "run", "true", "-t", "web1");
    assertEquals(2, o.code(), o::toString);
    assertTrue(
        o.err()
            .startsWith("jbolt: error: inventory.yaml:4: plugin pkcs7 (at targets[0].vars.token)"),
        o.err());
    assertTrue(o.err().contains("keys/private_key.pkcs7.pem"), o.err());
    assertTrue(o.err().contains("another key pair"), o.err());
    assertEquals(1, o.err().strip().lines().count(), o.err());

    Files.writeString(
        p.resolve("inventory.yaml"),
        "targets: [web1]\nvars:\n  token: {_plugin: pkcs7, encrypted_value: 'ENC[PKCS7,bm90IGNtcw==]'}\n");
    o = Cli.run(p, "inventory", "show", "-t", "all");
    assertEquals(2, o.code(), o::toString);
    assertTrue(o.err().contains("inventory.yaml:3: plugin pkcs7 (at vars.token): "), o.err());
    assertTrue(o.err().contains("broken"), o.err());

    // A value that decrypts is never echoed by the checks that follow.
    String good = Cli.run(p, "secret", "encrypt", "TOPSECRET-2").out().strip().replace("\n", "");
    Files.writeString(
        p.resolve("inventory.yaml"),
        "targets: [web1]\nconfig:\n  transport: {_plugin: pkcs7, encrypted_value: '"
            + good
            + "'}\n");
    o = Cli.run(p, "command", "run", "true", "-t", "web1");
    assertEquals(2, o.code(), o::toString);
    assertFalse(o.err().contains("TOPSECRET"), o.err());
  }

  @Test
  void projectFileValuesCanBeEncrypted() throws Exception {
    Path p = project("proj");
    assertEquals(0, Cli.run(p, "secret", "createkeys").code());
    String json = Cli.run(p, "secret", "encrypt", "json").out().strip();
    Files.writeString(
        p.resolve("jbolt-project.yaml"),
        "name: proj\nformat:\n  _plugin: pkcs7\n  encrypted_value: |\n    "
            + json.replace("\n", "\n    ")
            + "\n");
    Cli.Outcome o = Cli.run(p, "command", "run", "echo hi", "-t", "localhost");
    assertEquals(0, o.code(), o::toString);
    assertEquals("hi\n", o.json().at("/items/0/value/stdout").asText(), o::toString);
  }
}
