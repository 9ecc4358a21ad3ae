package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * BouncyCastle is on the classpath for pkcs7 secrets, and MINA registers it as its crypto provider
 * when it finds it, which makes every connect about three times slower (reference/probe.md). In a
 * fresh JVM, as jbolt runs, MINA must not have registered it once jbolt's SSH transport is loaded.
 */
class BouncyCastleTest {
  @Test
  void minaDoesNotTakeBouncyCastleAsItsProvider() throws Exception {
    Path src = Files.createTempFile("BcCheck", ".java");
    try {
      Files.writeString(
          src,
          """
          public class BcCheck {
            public static void main(String[] a) throws Exception {
              dev.jbolt.transport.ssh.SshTransport.keepBouncyCastleOut();
              System.out.print(
                  org.apache.sshd.common.util.security.SecurityUtils.isBouncyCastleRegistered());
            }
          }
          """);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      String out =
          Cmd.run(java, "-cp", System.getProperty("java.class.path"), src.toString()).strip();
      assertTrue(out.endsWith("false"), "MINA registered BouncyCastle: " + out);
    } finally {
      Files.deleteIfExists(src);
    }
  }
}
