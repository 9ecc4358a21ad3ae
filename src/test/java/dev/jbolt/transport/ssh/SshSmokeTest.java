package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshSmokeTest {
  @TempDir Path tmp;

  @Test
  void runsACommandOverRealSsh() throws Exception {
    try (Sshd sshd = Sshd.start()) {
      Path project =
          Projects.withInventory(tmp, Projects.sshConfig(sshd) + "targets: [127.0.0.1]\n");
      Cli.Outcome o =
          Cli.run(
              project,
              "command",
              "run",
              "echo hello; id -un",
              "-t",
              "127.0.0.1",
              "--format",
              "json");
      assertEquals(0, o.code(), o::toString);
      assertEquals(
          "hello\n" + sshd.user() + "\n",
          o.json().at("/items/0/value/stdout").asText(),
          o::toString);
    }
  }
}
