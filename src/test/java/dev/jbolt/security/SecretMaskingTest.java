package dev.jbolt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One rule for secrets in every output (issue 25.13): a value from a secret source (pkcs7) or at a
 * secret key (a password, a token) from any plugin (env_var, yaml, task, prompt) is masked in the
 * terminal, {@code --format json}, the report, the debug log and errors alike.
 */
class SecretMaskingTest {
  @TempDir Path p;

  @Test
  void everyPluginKindIsMaskedInEveryOutput() throws Exception {
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: proj\n");
    assertEquals(0, Cli.run(p, "secret", "createkeys").code());
    String enc = Cli.run(p, "secret", "encrypt", "pkcs7-Val-91").out().strip();
    Files.writeString(p.resolve("more.yaml"), "token: yaml-Val-92\n");
    Files.createDirectories(p.resolve("tasks"));
    Files.writeString(
        p.resolve("tasks/vault.sh"), "#!/bin/sh\necho '{\"value\": \"task-Val-93\"}'\n");
    Files.writeString(
        p.resolve("inventory.yaml"),
        "targets: [localhost]\nvars:\n"
            + "  a: {_plugin: pkcs7, encrypted_value: '"
            + enc
            + "'}\n"
            + "  db_password: {_plugin: env_var, var: DB_PW}\n"
            + "  more: {_plugin: yaml, filepath: more.yaml}\n"
            + "  api_token: {_plugin: task, task: proj::vault}\n"
            + "  plain: shown-Val-95\n");
    String[] values = {"pkcs7-Val-91", "env-Val-94", "yaml-Val-92", "task-Val-93"};
    String echo = "echo " + String.join(" ", values) + " shown-Val-95; echo \"q\\\"env-Val-94\"";
    Map<String, String> env = Map.of("DB_PW", "env-Val-94");
    for (String format : new String[] {"human", "json"}) {
      Cli.Outcome o =
          Cli.run(
              p,
              env,
              "",
              "command",
              "run",
              echo,
              "-t",
              "all",
              "--format",
              format,
              "--report",
              format + ".html",
              "--log-level",
              "debug");
      assertEquals(0, o.code(), o::toString);
      for (String v : values) {
        assertFalse(o.out().contains(v), v + " shown in " + format + ": " + o);
        assertFalse(o.err().contains(v), v + " shown in " + format + ": " + o);
        assertFalse(Files.readString(p.resolve(format + ".html")).contains(v), v + " in report");
        assertFalse(Files.readString(p.resolve(".jbolt/debug.log")).contains(v), v + " in log");
      }
      assertTrue(o.out().contains("[redacted]"), o::toString);
      assertTrue(o.out().contains("shown-Val-95"), "what is no secret is shown: " + o);
    }
    // In a failure's reason too (a name that is no host).
    Cli.Outcome bad = Cli.run(p, env, "", "command", "run", "true", "-t", "env-Val-94");
    assertEquals(1, bad.code(), bad::toString);
    assertFalse((bad.out() + bad.err()).contains("env-Val-94"), bad::toString);
    assertTrue(bad.out().contains("cannot resolve host name '[redacted]'"), bad::toString);
  }
}
