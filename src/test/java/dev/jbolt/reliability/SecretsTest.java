package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Jvm;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A login password, a sudo password and a sensitive task parameter, in runs that succeed and fail
 * with --trace on: none of them is in stdout, stderr (stack traces included), JSON, the rerun file
 * or --output-dir. (The target's process list is SecretsInArgvTest's.)
 */
class SecretsTest {
  @TempDir Path tmp;

  @Test
  void noSecretInOutputTracesRerunFileOrOutputDir() throws Exception {
    assumeTrue(TestUser.get().sudo(), "needs root and sudo for the sudo-password part");
    String login = "login-SECRET-" + System.nanoTime();
    String sudo = "sudo-SECRET-" + System.nanoTime();
    String param = "param-SECRET-" + System.nanoTime();
    try (Sshd sshd = Sshd.start()) {
      Projects.withInventory(
          tmp,
          Projects.sshConfig(sshd)
              + "targets:\n"
              + "  - {name: good, uri: 127.0.0.1, config: {ssh: {run-as: root, sudo-password: '"
              + TestUser.PASSWORD
              + "'}}}\n"
              + "  - {name: badsudo, uri: 127.0.0.1, config: {ssh: {run-as: root, sudo-password: '"
              + sudo
              + "'}}}\n"
              + "  - {name: badlogin, uri: 'nobody-here@127.0.0.1', config: {ssh: {password: '"
              + login
              + "'}}}\n");
      Path tasks = Files.createDirectories(tmp.resolve("modules/sec/tasks"));
      Files.writeString(
          tasks.resolve("use.sh"),
          "#!/bin/sh\necho \"{\\\"len\\\": ${#PT_token}}\"\n" + "[ \"$(id -u)\" = 0 ] || exit 1\n");
      Files.writeString(
          tasks.resolve("use.json"),
          "{\"parameters\": {\"token\": {\"type\": \"String\", \"sensitive\": true}}}");

      for (String format : List.of("human", "json")) {
        Path outDir = tmp.resolve("out-" + format);
        Cli.Outcome o =
            Jvm.run(
                tmp,
                tmp,
                Map.of(),
                "--trace",
                "--log-level",
                "trace",
                "task",
                "run",
                "sec::use",
                "token=" + param,
                "-t",
                "all",
                "--format",
                format,
                "--output-dir",
                outDir.toString());
        assertEquals(1, o.code(), o::toString);
        assertTrue(o.out().contains("badsudo") && o.out().contains("badlogin"), o::toString);
        assertTrue(
            Files.readString(tmp.resolve(".jbolt/debug.log")).contains("authenticated with"),
            "the debug log is written (and checked below)");
        String everything = o.out() + o.err() + read(tmp.resolve(".jbolt")) + read(outDir);
        for (String secret : List.of(login, sudo, param, TestUser.PASSWORD)) {
          assertFalse(everything.contains(secret), format + ": a secret leaked: " + o);
        }
      }
      // A parameter that fails validation is named, its value is not shown.
      Files.writeString(
          tasks.resolve("use.json"),
          "{\"parameters\": {\"token\": {\"type\": \"Pattern[/^x/]\", \"sensitive\": true}}}");
      Cli.Outcome bad =
          Cli.run(tmp, "--trace", "task", "run", "sec::use", "token=" + param, "-t", "good");
      assertEquals(2, bad.code(), bad::toString);
      assertTrue(bad.err().contains("token"), bad::toString);
      assertFalse((bad.out() + bad.err()).contains(param), bad::toString);
    }
  }

  /** Every file under {@code dir}, concatenated. */
  private static String read(Path dir) throws Exception {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path f : s.filter(Files::isRegularFile).toList()) {
        b.append(Files.readString(f)).append('\n');
      }
    }
    return b.toString();
  }
}
