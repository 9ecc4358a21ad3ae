package dev.jbolt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --verbose, --log-level and .jbolt/debug.log, against real sshd: the debug log of the last run
 * says where each connection went, how it authenticated, which host key it saw, the channels and
 * the retries, with timings. (That it holds no secret is SecretsTest's.)
 */
class DebugLogTest {
  @LabSshd(anyAddress = true)
  static Sshd sshd;

  @TempDir Path tmp;

  @Test
  void theLastRunsDebugLogAndTheConsoleLevels() throws Exception {
    Projects.lab(tmp, "lab", sshd, "targets: [127.0.0.2, 127.0.0.3]\n", "127.0.0.2", "127.0.0.3");

    Cli.Outcome plain = Cli.run(tmp, "command", "run", "true", "-t", "all");
    assertEquals(0, plain.code(), plain::toString);
    assertEquals("", plain.err(), "nothing on stderr by default");
    String log = Files.readString(tmp.resolve(".jbolt/debug.log"));
    String fingerprint = sshd.hostKey().split(" ")[0];
    for (String want :
        new String[] {
          "DEBUG",
          "connecting to " + sshd.user() + "@127.0.0.2:" + sshd.port(),
          "; key " + sshd.key(),
          "host key of 127.0.0.2:" + sshd.port() + ": " + fingerprint,
          "SHA256:",
          "known in " + sshd.dir().resolve("known_hosts"),
          sshd.user() + "@127.0.0.2:" + sshd.port() + ": offering publickey",
          "authenticated with publickey",
          "logged in, ",
          " ms after connecting",
          ": exec channel ",
          "Starting: command true on 2 target(s)",
          "127.0.0.3: ok in "
        }) {
      assertTrue(log.contains(want), "debug.log has '" + want + "':\n" + log);
    }

    Cli.Outcome verbose = Cli.run(tmp, "command", "run", "true", "-t", "all", "--verbose");
    assertTrue(
        verbose.err().contains("jbolt: info: Starting: command true on 2 target(s)"),
        verbose::toString);
    assertFalse(verbose.err().contains("debug:"), verbose::toString);

    Cli.Outcome debug =
        Cli.run(tmp, "--log-level", "debug", "command", "run", "true", "-t", "127.0.0.2");
    assertTrue(debug.err().contains("jbolt: debug: connecting to"), debug::toString);
    assertTrue(
        Files.readString(tmp.resolve(".jbolt/debug.log")).contains("on 1 target(s)"),
        "the log is the last run's");

    // A refused connection and its retry.
    Projects.withInventory(
        tmp,
        Projects.sshConfig(sshd).replace("port: " + sshd.port(), "port: 1")
            + "targets: [127.0.0.2]\n");
    Cli.Outcome refused =
        Cli.run(tmp, "command", "run", "true", "-t", "all", "--connect-retries", "1");
    assertEquals(1, refused.code(), refused::toString);
    assertTrue(
        Files.readString(tmp.resolve(".jbolt/debug.log"))
            .contains("connect attempt 1 failed, retrying"),
        Files.readString(tmp.resolve(".jbolt/debug.log")));

    Cli.Outcome bad = Cli.run(tmp, "command", "run", "true", "-t", "all", "--log-level", "loud");
    assertEquals(2, bad.code(), bad::toString);
  }
}
