package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.testing.TestUser;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A login shell that is not a POSIX shell is reported as such, not as a command that failed. */
class ShellFaultTest {
  @TempDir Path tmp;

  @Test
  void falseAndNologinShellsAreShellErrorsAndTheOthersRun() throws Exception {
    String falseUser = TestUser.withShell("jboltfalse", "/bin/false");
    String nologinUser = TestUser.withShell("jboltnologin", "/usr/sbin/nologin");
    try (Sshd sshd = Sshd.builder().config("AllowUsers " + falseUser + " " + nologinUser).start()) {
      Projects.withInventory(
          tmp,
          Projects.sshConfig(sshd)
              + "targets:\n"
              + "  - {name: good, uri: 127.0.0.1}\n"
              + "  - {name: false, uri: '"
              + falseUser
              + "@127.0.0.1'}\n"
              + "  - {name: nologin, uri: '"
              + nologinUser
              + "@127.0.0.1'}\n");
      Cli.Outcome o = Cli.run(tmp, "command", "run", "echo fine", "-t", "all", "--format", "json");
      assertEquals(1, o.code(), o::toString);
      Map<String, JsonNode> items = new HashMap<>();
      o.json().get("items").forEach(i -> items.put(i.get("target").asText(), i));
      assertEquals("fine\n", items.get("good").at("/value/stdout").asText(), o::toString);
      JsonNode f = items.get("false").at("/value/_error");
      assertEquals("jbolt/shell-error", f.get("kind").asText(), f::toString);
      assertEquals(
          "the login shell of 'jboltfalse' did not run the command (exit 1, no output); jbolt needs a POSIX"
              + " shell such as /bin/sh, not /bin/false or nologin",
          f.get("msg").asText());
      JsonNode n = items.get("nologin").at("/value/_error");
      assertEquals("jbolt/shell-error", n.get("kind").asText(), n::toString);
      assertTrue(
          n.get("msg").asText().contains("This account is currently not available."), n::toString);

      // Run as another user through sudo: the same report, not a sudo failure.
      Cli.Outcome sudo =
          Cli.run(
              tmp,
              "command",
              "run",
              "id -un",
              "-t",
              "false",
              "--run-as",
              "root",
              "--sudo-password",
              "x",
              "--format",
              "json");
      assertEquals(
          "jbolt/shell-error",
          sudo.json().at("/items/0/value/_error/kind").asText(),
          sudo::toString);
    }
  }
}
