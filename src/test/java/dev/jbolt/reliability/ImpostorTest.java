package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A man in the middle: a second sshd, with a host key of its own, answers for a name whose key is
 * known. With the default (strict) checking, jbolt refuses it loudly and never logs in.
 */
class ImpostorTest {
  @TempDir Path tmp;

  @Test
  void theDefaultStrictCheckRefusesAnImpostorLoudly() throws Exception {
    try (Sshd real = Sshd.start();
        Sshd impostor = Sshd.start()) {
      // known_hosts says what the host answering at the impostor's address and port must present.
      Path kh = tmp.resolve("known_hosts");
      Files.writeString(kh, "[127.0.0.1]:" + impostor.port() + " " + real.hostKey() + "\n");
      Projects.withInventory(
          tmp,
          "config:\n  ssh:\n    user: "
              + impostor.user()
              + "\n    port: "
              + impostor.port()
              + "\n    private-key: "
              + impostor.key()
              + "\n    known-hosts-file: "
              + kh
              + "\ntargets: [127.0.0.1]\n");
      Cli.Outcome o = Cli.run(tmp, "command", "run", "echo in", "-t", "all", "--format", "json");
      assertEquals(1, o.code(), o::toString);
      JsonNode e = o.json().at("/items/0/value/_error");
      assertEquals("puppetlabs.tasks/connect-error", e.get("kind").asText(), e::toString);
      assertTrue(
          e.get("msg")
              .asText()
              .startsWith("WARNING: the host key of 127.0.0.1:" + impostor.port() + " has CHANGED"),
          e::toString);
      assertEquals(0, impostor.acceptedLogins(), "never logged in to the impostor");
      Cli.Outcome human = Cli.run(tmp, "command", "run", "echo in", "-t", "all");
      assertTrue(human.out().contains("HOST KEY CHANGED"), human::toString);
    }
  }
}
