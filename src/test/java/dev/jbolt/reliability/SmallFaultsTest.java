package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smaller faults a hostile review found, each with the behaviour it should have had. */
class SmallFaultsTest {
  @LabSshd static Sshd sshd;
  @TempDir Path tmp;

  private Path lab(String extra) throws Exception {
    sshd.knownHosts();
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: x\n");
    return Projects.withInventory(tmp, Projects.sshConfig(sshd) + extra + "targets: [127.0.0.1]\n");
  }

  @Test
  void aTimeoutBelowAMillisecondIsAMillisecondNotNone() throws Exception {
    lab("");
    Cli.Outcome o =
        Cli.run(
            tmp,
            "command",
            "run",
            "sleep 2",
            "-t",
            "127.0.0.1",
            "--timeout",
            "0.0001",
            "--format",
            "json");
    assertEquals(1, o.code(), o::toString);
    assertEquals("jbolt/timeout", o.json().at("/items/0/value/_error/kind").asText(), o::toString);
    Cli.Outcome zero = Cli.run(tmp, "command", "run", "true", "-t", "127.0.0.1", "--timeout", "0");
    assertEquals(2, zero.code(), zero::toString);
  }

  @Test
  void modulepathInTheProjectFileIsUsed() throws Exception {
    lab("");
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: x\nmodulepath: [site-modules]\n");
    Files.createDirectories(tmp.resolve("site-modules/site/tasks"));
    Files.writeString(tmp.resolve("site-modules/site/tasks/hi.sh"), "#!/bin/sh\necho from-site\n");
    Cli.Outcome o = Cli.run(tmp, "task", "run", "site::hi", "-t", "localhost", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("from-site\n", o.json().at("/items/0/value/_output").asText());
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: x\nmodulepath: 7\n");
    Cli.Outcome bad = Cli.run(tmp, "task", "show");
    assertEquals(2, bad.code(), bad::toString);
    assertTrue(
        bad.err().contains("jbolt-project.yaml:2: 'modulepath' must be a list of directories"),
        bad::toString);
  }

  @Test
  void aLocalDownloadMakesItsDestination() throws Exception {
    Files.writeString(tmp.resolve("src.txt"), "here\n");
    Cli.Outcome o =
        Cli.run(
            tmp,
            "file",
            "download",
            tmp.resolve("src.txt").toString(),
            "new/dir",
            "-t",
            "localhost");
    assertEquals(0, o.code(), o::toString);
    assertEquals("here\n", Files.readString(tmp.resolve("new/dir/localhost/src.txt")));
  }

  @Test
  void aPlanThatCallsItselfFailsClearly() throws Exception {
    lab("");
    Files.createDirectories(tmp.resolve("plans"));
    Files.writeString(
        tmp.resolve("plans/again.js"),
        "export default function () { return run_plan('again'); }\n");
    Cli.Outcome o = Cli.run(tmp, "plan", "run", "again");
    assertEquals(1, o.code(), o::toString);
    assertTrue(
        o.err().contains("plans nested more than 16 deep") && o.err().contains("again -> again"),
        o::toString);
    assertFalse(
        o.err().contains("NoClassDefFoundError") || o.err().contains("StackOverflow"), o::toString);
  }

  @Test
  void wrongTypesInInventoryAndProjectAreBadInput() throws Exception {
    Files.writeString(tmp.resolve("inventory.yaml"), "config:\n  ssh: 7\ntargets: [127.0.0.1]\n");
    Cli.Outcome o = Cli.run(tmp, "command", "run", "true", "-t", "127.0.0.1");
    assertEquals(2, o.code(), o::toString);
    assertTrue(
        o.err().contains("inventory.yaml:2: 'config.ssh' of the inventory must be a mapping"),
        o::toString);
    Files.writeString(tmp.resolve("inventory.yaml"), "targets: [localhost]\n");
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: x\ncolor: 7\n");
    o = Cli.run(tmp, "command", "run", "true", "-t", "localhost");
    assertEquals(2, o.code(), o::toString);
    assertTrue(
        o.err().contains("jbolt-project.yaml:2: 'color' must be true or false, not '7'"),
        o::toString);
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: x\ncolor: true\n");
    o = Cli.run(tmp, "command", "run", "true", "-t", "localhost");
    assertTrue(o.out().contains("\033[32m"), "color: true colours the output: " + o);
  }

  @Test
  void duplicateKeysInTaskMetadataAreReadAsRubyReadsThem() throws Exception {
    // Bolt reads metadata with Ruby's JSON, where the last of a duplicate key wins; the Forge's
    // puppetlabs-service init.json has input_method twice (issue 26.9).
    lab("");
    Files.createDirectories(tmp.resolve("modules/m/tasks"));
    Files.writeString(tmp.resolve("modules/m/tasks/t.sh"), "#!/bin/sh\necho \"a=$PT_a\"\n");
    Files.writeString(
        tmp.resolve("modules/m/tasks/t.json"),
        "{\"input_method\": \"stdin\", \"parameters\": {\"b\": {\"type\": \"String\"}},\n"
            + " \"parameters\": {\"a\": {\"type\": \"String\"}}, \"input_method\": \"environment\"}");
    Cli.Outcome o = Cli.run(tmp, "task", "run", "m::t", "a=last", "-t", "localhost");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("a=last"), o::toString);
  }

  @Test
  void aParameterTooLargeForTheEnvironmentSaysSo() throws Exception {
    lab("");
    Files.createDirectories(tmp.resolve("modules/m/tasks"));
    Files.writeString(tmp.resolve("modules/m/tasks/env.sh"), "#!/bin/sh\necho ${#PT_big}\n");
    Files.writeString(
        tmp.resolve("modules/m/tasks/env.json"), "{\"input_method\": \"environment\"}");
    Files.writeString(
        tmp.resolve("modules/m/tasks/both.sh"),
        "#!/bin/sh\necho env=${#PT_big}; wc -c | tr -d ' '\n");
    Files.writeString(tmp.resolve("params.json"), "{\"big\": \"" + "x".repeat(1 << 20) + "\"}");
    Cli.Outcome o =
        Cli.run(tmp, "task", "run", "m::env", "--params", "@params.json", "-t", "127.0.0.1");
    assertEquals(2, o.code(), o::toString);
    assertTrue(
        o.err().contains("parameter big is too large for an environment variable"), o::toString);
    o =
        Cli.run(
            tmp,
            "task",
            "run",
            "m::both",
            "--params",
            "@params.json",
            "-t",
            "127.0.0.1",
            "--format",
            "json");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.err().contains("left out"), o::toString);
    assertTrue(o.json().at("/items/0/value/_output").asText().startsWith("env=0\n10"), o::toString);
  }

  @Test
  void anOversizedPortIsReportedAsWritten() throws Exception {
    lab("    port: 99999999999999999999\n");
    Cli.Outcome o = Cli.run(tmp, "command", "run", "true", "-t", "127.0.0.1");
    assertEquals(2, o.code(), o::toString);
    assertTrue(o.err().contains("not 99999999999999999999"), o::toString);
  }

  @Test
  void rerunKeepsTargetsWhosePasswordIsInTheirUri() throws Exception {
    Assumptions.assumeTrue(TestUser.isRoot(), "needs the test user's password");
    sshd.knownHosts();
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: x\n");
    String uri = "ssh://" + TestUser.NAME + ":" + TestUser.PASSWORD + "@127.0.0.1:" + sshd.port();
    Projects.withInventory(
        tmp,
        "config:\n  ssh:\n    known-hosts-file: "
            + sshd.knownHosts()
            + "\n"
            + "    private-key: "
            + tmp.resolve("no-such-key-so-the-password-is-used")
            + "\ntargets: ['"
            + uri
            + "']\n");
    Files.writeString(
        tmp.resolve("inventory.yaml"),
        Files.readString(tmp.resolve("inventory.yaml"))
            .replace(
                "    private-key: " + tmp.resolve("no-such-key-so-the-password-is-used") + "\n",
                ""));
    Cli.Outcome first = Cli.run(tmp, "command", "run", "exit 3", "-t", "all");
    assertEquals(1, first.code(), first::toString);
    assertFalse(Files.readString(tmp.resolve(".jbolt/rerun.json")).contains(TestUser.PASSWORD));
    Cli.Outcome again =
        Cli.run(tmp, "command", "run", "echo again", "--rerun", "failure", "--format", "json");
    assertEquals(0, again.code(), again::toString);
    assertEquals("again\n", again.json().at("/items/0/value/stdout").asText());
  }
}
