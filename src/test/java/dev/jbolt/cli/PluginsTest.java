package dev.jbolt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.testing.TestUser;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inventory values from the environment and from prompts: secrets need not be in inventory.yaml.
 */
class PluginsTest {
  @TempDir Path tmp;

  private JsonNode vars(Map<String, String> env, String stdin) {
    Cli.Outcome o =
        Cli.run(
            tmp,
            env,
            stdin,
            "inventory",
            "show",
            "-t",
            "localhost",
            "--detail",
            "--format",
            "json");
    assertEquals(0, o.code(), o::toString);
    return o.json().at("/targets/0/vars");
  }

  @Test
  void envVarGivesValuesDefaultsOptionalsAndJson() {
    Projects.withInventory(
        tmp,
        """
        vars:
          greeting: {_plugin: env_var, var: JB_GREETING}
          fallback: {_plugin: env_var, var: JB_UNSET, default: plan-b}
          maybe: {_plugin: env_var, var: JB_UNSET, optional: true}
          list: {_plugin: env_var, var: JB_LIST, json: true}
        targets: [localhost]
        """);
    JsonNode v = vars(Map.of("JB_GREETING", "hello", "JB_LIST", "[1, 2]"), "");
    assertEquals("hello", v.get("greeting").asText());
    assertEquals("plan-b", v.get("fallback").asText());
    assertTrue(v.get("maybe").isNull());
    assertEquals("[1,2]", v.get("list").toString());
  }

  @Test
  void aMissingVariableOrUnknownPluginIsBadInputNamingTheLine() {
    Projects.withInventory(
        tmp,
        "targets: [localhost]\nconfig:\n  ssh:\n    password: {_plugin: env_var, var: JB_PW}\n");
    Cli.Outcome o = Cli.run(tmp, "command", "run", "true", "-t", "localhost");
    assertEquals(2, o.code(), o::toString);
    assertTrue(
        o.err()
            .startsWith(
                "jbolt: error: inventory.yaml:4: plugin env_var (at config.ssh.password):"
                    + " environment variable JB_PW is not set"),
        o.err());
    Projects.withInventory(tmp, "targets: [localhost]\nvars:\n  x: {_plugin: vault, path: a}\n");
    o = Cli.run(tmp, "command", "run", "true", "-t", "localhost");
    assertEquals(2, o.code());
    assertTrue(
        o.err().contains("inventory.yaml:3: plugin vault (at vars.x): unknown plugin 'vault'"),
        o.err());
  }

  @Test
  void promptAsksOncePerMessage() {
    Projects.withInventory(
        tmp,
        """
        vars:
          token: {_plugin: prompt, message: Deploy token}
        groups:
          - name: g
            vars:
              again: {_plugin: prompt, message: Deploy token}
            targets: [localhost]
        """);
    Cli.Outcome o =
        Cli.run(
            tmp,
            Map.of(),
            "tök-123\nnot asked\n",
            "inventory",
            "show",
            "-t",
            "localhost",
            "--detail",
            "--format",
            "json");
    assertEquals(0, o.code(), o::toString);
    // An answer typed at a prompt is a secret: masked in every output (docs/reliability.md).
    assertEquals("[redacted]", o.json().at("/targets/0/vars/token").asText());
    assertEquals("[redacted]", o.json().at("/targets/0/vars/again").asText());
    assertFalse(o.out().contains("tök-123"), o::toString);
    assertEquals("Deploy token: ", o.err(), "asked once");
  }

  @Test
  void anSshPasswordFromTheEnvironmentLogsIn() throws Exception {
    Assumptions.assumeTrue(TestUser.get().password() != null, "needs root to set a password");
    try (Sshd sshd = Sshd.start()) {
      Projects.withInventory(
          tmp,
          "config:\n  ssh:\n    user: "
              + sshd.user()
              + "\n    port: "
              + sshd.port()
              + "\n    known-hosts-file: "
              + sshd.knownHosts()
              + "\n    password: {_plugin: env_var, var: JB_SSH_PASSWORD}\n"
              + "targets: [127.0.0.1]\n");
      Cli.Outcome o =
          Cli.run(
              tmp,
              Map.of("JB_SSH_PASSWORD", TestUser.PASSWORD),
              "",
              "command",
              "run",
              "echo in",
              "-t",
              "127.0.0.1",
              "--format",
              "json");
      assertEquals(0, o.code(), o::toString);
      assertTrue(sshd.log().contains("Accepted password"), sshd.log());
      assertFalse(o.out().contains(TestUser.PASSWORD) || o.err().contains(TestUser.PASSWORD));
    }
  }
}
