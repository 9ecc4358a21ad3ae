package dev.jbolt.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped plans/haproxy_reboot.js against real sshd targets, with stand-ins for the service and
 * reboot tasks: "reboot" asks the test to restart the target's sshd a moment later, so that
 * wait_until_available must really reconnect. Nothing of this machine is rebooted or stopped.
 */
class HaproxyRebootTest {
  @TempDir Path project;

  /**
   * The parameters of the Forge's puppetlabs-service and puppetlabs-reboot tasks, as their metadata
   * declares them (so any other parameter is refused): the plan runs with those modules.
   */
  static final String FORGE_SERVICE =
      """
      {"input_method": "environment", "parameters": {
        "action": {"type": "Enum[start, stop, restart, enable, disable, status]"},
        "name": {"type": "String[1]"},
        "force": {"type": "Optional[Boolean]"},
        "provider": {"type": "Optional[String[1]]"}}}
      """;

  static final String FORGE_REBOOT =
      """
      {"input_method": "environment", "parameters": {
        "timeout": {"type": "Optional[Variant[Pattern[/^[0-9]*$/],Integer]]"},
        "message": {"type": "Optional[Pattern[/^[^|&]*$/]]"},
        "shutdown_only": {"type": "Optional[Boolean]"}}}
      """;

  @Test
  void theShippedPlanAndTasksRefuseThisMachine() throws Exception {
    Path repo = Projects.exampleProject(project);
    Cli.Outcome plan =
        Cli.run(repo, "plan", "run", "haproxy_reboot", "-t", "localhost", "--format", "json");
    assertEquals(1, plan.code(), plan::toString);
    assertTrue(plan.out().contains("haproxy_reboot/local-target"), plan::toString);
    assertTrue(plan.out().contains("localhost would be this machine"), plan::toString);
    for (List<String> task :
        List.of(List.of("reboot"), List.of("service", "action=stop", "name=x"))) {
      List<String> args = new ArrayList<>(List.of("task", "run"));
      args.addAll(task);
      args.addAll(List.of("-t", "localhost"));
      Cli.Outcome o = Cli.run(repo, args.toArray(String[]::new));
      assertEquals(2, o.code(), o::toString);
      assertTrue(o.err().contains("localhost would be this machine"), o::toString);
    }
  }

  @Test
  void rebootsEachBackendInTurnAndBringsItBack() throws Exception {
    Path work = Files.createTempDirectory("jbolt-haproxy");
    Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxrwxrwx"));
    try (Sshd sshd = Sshd.builder().anyAddress().start()) {
      Projects.withInventory(
          project,
          Projects.sshConfig(sshd)
              + "groups:\n  - name: backends\n"
              + "    targets: [127.0.0.2, 127.0.0.3]\n");
      sshd.knownHosts("127.0.0.2", "127.0.0.3");
      Files.createDirectories(project.resolve("plans"));
      Files.copy(Path.of("plans/haproxy_reboot.js"), project.resolve("plans/haproxy_reboot.js"));
      String me = "$(echo $SSH_CONNECTION | cut -d' ' -f3)";
      stub(
          project,
          "service",
          "#!/bin/sh\necho \""
              + me
              + " $PT_action $PT_name\" >> "
              + work
              + "/service.log\necho '{}'\n",
          FORGE_SERVICE);
      stub(
          project,
          "reboot",
          "#!/bin/sh\necho \"" + me + "\" > " + work + "/reboot-requested\necho '{}'\n",
          FORGE_REBOOT);

      AtomicInteger restarts = new AtomicInteger();
      Thread rebooter =
          Thread.ofVirtual()
              .start(
                  () -> {
                    Path marker = work.resolve("reboot-requested");
                    try {
                      while (restarts.get() < 2) {
                        if (Files.exists(marker)) {
                          Files.delete(marker);
                          Thread.sleep(1000);
                          sshd.restart(); // the "reboot": every connection to this host drops
                          restarts.incrementAndGet();
                        }
                        Thread.sleep(50);
                      }
                    } catch (Exception e) {
                      // the test fails on the counts below
                    }
                  });
      long loginsBefore = sshd.acceptedLogins();
      Cli.Outcome o =
          Cli.run(
              project,
              "plan",
              "run",
              "haproxy_reboot",
              "-t",
              "backends",
              "reboot_timeout=3",
              "wait_time=30");
      rebooter.interrupt();
      assertEquals(0, o.code(), o::toString);
      assertEquals(2, restarts.get(), "each backend was rebooted");
      assertEquals(
          List.of(
              "127.0.0.2 stop haproxy",
              "127.0.0.2 disable haproxy",
              "127.0.0.2 enable haproxy",
              "127.0.0.2 start haproxy",
              "127.0.0.3 stop haproxy",
              "127.0.0.3 disable haproxy",
              "127.0.0.3 enable haproxy",
              "127.0.0.3 start haproxy"),
          Files.readAllLines(work.resolve("service.log")));
      assertTrue(
          o.out().contains("Rebooting 127.0.0.2") && o.out().contains("Rebooting 127.0.0.3"),
          o.out());
      assertTrue(o.out().contains("\"rebooted\" : [ \"127.0.0.2\", \"127.0.0.3\" ]"), o.out());
      // Backend 1: one login, then again after its reboot; backend 2 again after each reboot.
      assertTrue(sshd.acceptedLogins() - loginsBefore >= 4, sshd.log());
    } finally {
      Cmd.runQuietly("rm", "-rf", work.toString());
    }
  }

  private static void stub(Path project, String module, String script, String metadata)
      throws Exception {
    Path tasks = Files.createDirectories(project.resolve("modules/" + module + "/tasks"));
    Files.writeString(tasks.resolve("init.sh"), script);
    Files.writeString(tasks.resolve("init.json"), metadata);
  }
}
