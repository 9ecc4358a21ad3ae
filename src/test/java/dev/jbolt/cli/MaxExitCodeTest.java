package dev.jbolt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code command run -S}, as clush's and pdsh's: the exit code is the highest of the targets' own,
 * and a target not reached counts as 255 (ssh's); without it, jbolt's 0 or 1.
 */
class MaxExitCodeTest {
  @TempDir Path tmp;

  @Test
  void theHighestExitCodeOfTheTargets() throws Exception {
    try (Sshd sshd = Sshd.builder().anyAddress().start()) {
      Projects.withInventory(
          tmp,
          Projects.sshConfig(sshd)
              + "targets: ['127.0.0.2', '127.0.0.3']\n"
              + "groups:\n  - name: down\n    targets: ['127.0.0.4']\n"
              + "    config: {ssh: {port: 1, connect-timeout: 5}}\n");
      sshd.knownHosts("127.0.0.2", "127.0.0.3");
      String byHost = "exit $(( $(echo $SSH_CONNECTION | cut -d' ' -f3 | cut -d. -f4) * 20 ))";
      Cli.Outcome o = Cli.run(tmp, "command", "run", byHost, "-t", "127.0.0.2,127.0.0.3", "-S");
      assertEquals(60, o.code(), o::toString);
      assertEquals(1, Cli.run(tmp, "command", "run", byHost, "-t", "127.0.0.2").code());
      assertEquals(
          0, Cli.run(tmp, "command", "run", "true", "-t", "127.0.0.2,127.0.0.3", "-S").code());
      o = Cli.run(tmp, "command", "run", byHost, "-t", "127.0.0.2,down", "--maxrc");
      assertEquals(255, o.code(), o::toString);
    }
  }
}
