package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets never reach a command line on the target: the argv of every process there is read with ps
 * while a task with a sensitive parameter, run as another user with a sudo password, is running.
 */
class SecretsInArgvTest {
  @TempDir Path tmp;

  @Test
  void noSecretAppearsInAnyProcessArgvDuringARun() throws Exception {
    assumeTrue(TestUser.get().sudo(), "needs root and sudo for the run-as part");
    String secret = "s3cret-Param-" + System.nanoTime();
    try (Sshd sshd = Sshd.start()) {
      Projects.withInventory(
          tmp,
          Projects.sshConfig(sshd)
              + "    run-as: root\n    sudo-password: "
              + TestUser.PASSWORD
              + "\ntargets: [127.0.0.1]\n");
      Path tasks = Files.createDirectories(tmp.resolve("modules/sec/tasks"));
      Files.writeString(
          tasks.resolve("hold.sh"), "#!/bin/sh\nsleep 3\necho \"{\\\"len\\\": ${#PT_token}}\"\n");
      Files.writeString(
          tasks.resolve("hold.json"),
          "{\"parameters\": {\"token\": {\"type\": \"String\", \"sensitive\": true}}}");
      AtomicReference<Cli.Outcome> outcome = new AtomicReference<>();
      Thread run =
          Thread.ofVirtual()
              .start(
                  () ->
                      outcome.set(
                          Cli.run(
                              tmp,
                              "task",
                              "run",
                              "sec::hold",
                              "token=" + secret,
                              "-t",
                              "127.0.0.1",
                              "--format",
                              "json")));
      boolean sawTask = false;
      StringBuilder seen = new StringBuilder();
      while (run.isAlive()) {
        String ps = Cmd.run("ps", "-eo", "args");
        sawTask |= ps.contains("hold.sh");
        seen.append(ps);
        Thread.sleep(100);
      }
      run.join();
      assertEquals(0, outcome.get().code(), outcome.get()::toString);
      assertEquals(
          secret.length(),
          outcome.get().json().at("/items/0/value/len").asInt(),
          "the task got it");
      assertFalse(!sawTask, "ps saw the task running");
      assertFalse(seen.toString().contains(secret), "the sensitive parameter is in no argv");
      assertFalse(seen.toString().contains(TestUser.PASSWORD), "the sudo password is in no argv");
      assertFalse(outcome.get().out().contains(secret));
    }
  }
}
