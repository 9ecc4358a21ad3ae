package dev.jbolt.transport.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An SSH server in this process on 127.0.0.1, for the training run of the start-up cache only: it
 * runs commands with {@code /bin/sh -c}, serves SFTP and lets in the one key it writes.
 */
public final class TrainingServer implements AutoCloseable {
  private final SshServer server = SshServer.setUpDefaultServer();

  /** Starts the server on a free port; writes the client's key to {@code keyFile}. */
  public TrainingServer(Path keyFile) throws IOException, GeneralSecurityException {
    server.setHost("127.0.0.1");
    server.setPort(0);
    SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider();
    hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
    server.setKeyPairProvider(hostKeys);
    KeyPair key = KeyUtils.generateKeyPair("ssh-ed25519", 256);
    server.setPublickeyAuthenticator(
        (user, offered, session) -> KeyUtils.compareKeys(key.getPublic(), offered));
    server.setCommandFactory(
        (channel, command) ->
            new ProcessShellFactory(command, "/bin/sh", "-c", command).createShell(channel));
    server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
    try (OutputStream out = Files.newOutputStream(keyFile)) {
      OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "train", null, out);
    }
    server.start();
  }

  public int port() {
    return server.getPort();
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
