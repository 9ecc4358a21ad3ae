package dev.jbolt.transport.ssh;

import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Sshd;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.ConnectionContract;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.BeforeAll;

/** The same contract against an sshd without the SFTP subsystem: files go through tar on exec. */
class SshWithoutSftpConnectionTest extends ConnectionContract {
  @LabSshd(sftp = false)
  static Sshd sshd;

  static SshTransport transport;
  static Connection connection;

  @BeforeAll
  static void start() throws Exception {
    transport = new SshTransport(SshTransport.Options.DEFAULT);
    connection = transport.connection(SshConnectionTest.target(sshd, "127.0.0.1"));
  }

  @AfterAll
  static void stop() {
    transport.close();
  }

  @org.junit.jupiter.api.Test
  void fellBackToTarBecauseTheServerRefusedSftp() throws Exception {
    Path f = local.resolve("f");
    Files.writeString(f, "x");
    connection().upload(f, remote + "/f");
    Assertions.assertTrue(sshd.log().contains("subsystem request for sftp"), sshd.log());
    Assertions.assertEquals("x", run("cat " + remote + "/f").stdoutText());
  }

  @Override
  protected Connection connection() {
    return connection;
  }
}
