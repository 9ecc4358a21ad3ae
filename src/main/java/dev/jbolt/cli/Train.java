package dev.jbolt.cli;

import dev.jbolt.session.Console;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * The training run of the JDK's AOT cache (see ./jbolt): a command and a script over SSH to an
 * in-process server on loopback, and a plan, so that the classes of the common paths are cached.
 * Not a user command; it touches nothing but a temp dir and a loopback port.
 */
public final class Train {
  private Train() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("jbolt-train");
    SshServer server = SshServer.setUpDefaultServer();
    try {
      server.setHost("127.0.0.1");
      server.setPort(0);
      SimpleGeneratorHostKeyProvider hostKeys = new SimpleGeneratorHostKeyProvider();
      hostKeys.setAlgorithm(KeyUtils.EC_ALGORITHM);
      server.setKeyPairProvider(hostKeys);
      server.setPublickeyAuthenticator((user, key, session) -> true);
      server.setCommandFactory(
          (channel, command) ->
              new ProcessShellFactory(command, "/bin/sh", "-c", command).createShell(channel));
      server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
      server.start();
      KeyPair key = KeyUtils.generateKeyPair("ssh-ed25519", 256);
      Path keyFile = dir.resolve("id_ed25519");
      try (OutputStream out = Files.newOutputStream(keyFile)) {
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "train", null, out);
      }
      Files.writeString(
          dir.resolve("inventory.yaml"),
          "config:\n  ssh:\n    port: "
              + server.getPort()
              + "\n    private-key: "
              + keyFile
              + "\n    host-key-check: false\n    user: train\n"
              + "targets: [127.0.0.1, localhost]\n");
      Files.createDirectories(dir.resolve("plans"));
      Files.writeString(
          dir.resolve("plans/t.js"),
          "export default function () { return run_command('true', 'localhost').count(); }\n");
      Files.writeString(dir.resolve("s.sh"), "#!/bin/sh\necho \"$1\"\n");
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      Console ctx = new Console(quiet, quiet, new ByteArrayInputStream(new byte[0]), dir, Map.of());
      Main.run(ctx, "command", "run", "echo trained", "-t", "127.0.0.1");
      Main.run(ctx, "script", "run", "s.sh", "x", "-t", "127.0.0.1", "--format", "json");
      Main.run(ctx, "plan", "run", "t");
      Main.run(ctx, "--version");
    } finally {
      server.stop(true);
      dev.jbolt.transport.LocalFiles.deleteTree(dir);
    }
  }
}
