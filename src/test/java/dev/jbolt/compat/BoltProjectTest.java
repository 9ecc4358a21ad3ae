package dev.jbolt.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Bolt project as its users have it, run over real SSH: found from any directory below it (and in
 * a Boltdir), read from bolt-project.yaml, its inventory's relative paths taken from the project
 * directory, its modules installed from git and Forge-only entries answered clearly.
 */
class BoltProjectTest {
  @LabSshd(anyAddress = true)
  static Sshd sshd;

  @TempDir Path tmp;

  /** A Bolt project: bolt-project.yaml, an inventory whose key paths are relative to it. */
  private Path boltProject(Path dir, String projectYaml) throws Exception {
    Files.createDirectories(dir.resolve("keys"));
    Files.copy(sshd.key(), dir.resolve("keys/id_test"));
    Files.copy(sshd.knownHosts("127.0.0.2", "127.0.0.3"), dir.resolve("keys/known_hosts"));
    Files.writeString(dir.resolve("bolt-project.yaml"), projectYaml);
    Files.writeString(
        dir.resolve("inventory.yaml"),
        "config:\n  ssh:\n    user: "
            + sshd.user()
            + "\n    port: "
            + sshd.port()
            + "\n    private-key: keys/id_test\n    known-hosts-file: keys/known_hosts\n"
            + "groups:\n  - name: web\n    targets: [127.0.0.2, 127.0.0.3]\n");
    return dir;
  }

  @Test
  void aBoltProjectIsFoundFromBelowAndItsRelativeKeyPathsFromItsDirectory() throws Exception {
    Path proj =
        boltProject(
            tmp.resolve("proj"),
            "name: shop\nmodulepath: [site-modules]\nconcurrency: 5\nformat: json\n");
    Files.createDirectories(proj.resolve("site-modules/deploy/tasks"));
    Files.writeString(
        proj.resolve("site-modules/deploy/tasks/ping.sh"),
        "#!/bin/sh\necho \"{\\\"pong\\\": 1}\"\n");
    Path deep = Files.createDirectories(proj.resolve("site-modules/deploy/tasks/deeper"));
    Cli.Outcome o = Cli.run(deep, "task", "run", "deploy::ping", "-t", "web");
    assertEquals(0, o.code(), o::toString);
    // format: json from bolt-project.yaml
    assertEquals(2, o.json().get("items").size(), o::toString);
    assertEquals(1, o.json().at("/items/0/value/pong").asInt());
    assertTrue(Files.isRegularFile(proj.resolve(".jbolt/rerun.json")), "the project's, not cwd's");
  }

  @Test
  void anEmbeddedBoltdirIsTheProject() throws Exception {
    Path repo = Files.createDirectories(tmp.resolve("repo"));
    boltProject(repo.resolve("Boltdir"), "name: embedded\n");
    Path sub = Files.createDirectories(repo.resolve("src/lib"));
    Cli.Outcome o = Cli.run(sub, "command", "run", "echo ok", "-t", "web", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("ok\n", o.json().at("/items/1/value/stdout").asText());
  }

  @Test
  void jboltProjectYamlWinsOverBoltsInTheSameDirectory() throws Exception {
    Path proj = boltProject(tmp.resolve("both"), "name: from_bolt\nformat: json\n");
    Files.writeString(proj.resolve("jbolt-project.yaml"), "name: from_jbolt\n");
    Cli.Outcome o = Cli.run(proj, "command", "run", "true", "-t", "web");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("2 succeeded"), "human format: bolt-project.yaml not read");
  }

  @Test
  void boltOnlySettingsAndTransportConfigAreNamedNotSilentlyDropped() throws Exception {
    Path proj =
        boltProject(
            tmp.resolve("p"),
            "name: p\nhiera-config: data/hiera.yaml\nssh:\n  user: root\nconcurrency: 3\n");
    Cli.Outcome o = Cli.run(proj, "command", "run", "true", "-t", "web");
    assertEquals(0, o.code(), o::toString);
    assertTrue(
        o.err()
            .contains(
                "bolt-project.yaml:2: 'hiera-config' is a Bolt setting that jbolt does not use"),
        o::toString);
    assertTrue(
        o.err().contains("bolt-project.yaml:4: 'ssh' is transport configuration"), o::toString);
  }

  @Test
  void modulesFromGitInABoltProjectInstallAndForgeOnlyOnesSayWhatToWrite() throws Exception {
    Path origin = tmp.resolve("origin.git");
    Path work = Files.createDirectories(tmp.resolve("work"));
    Cmd.run("git", "init", "-q", "--bare", origin.toString());
    Cmd.run("git", "-C", work.toString(), "init", "-q", "-b", "main");
    Files.createDirectories(work.resolve("tasks"));
    Files.writeString(
        work.resolve("tasks/init.sh"), "#!/bin/sh\necho \"{\\\"from\\\": \\\"git\\\"}\"\n");
    Files.writeString(work.resolve("metadata.json"), "{\"name\": \"acme-tools\"}\n");
    git(work, "add", "-A");
    git(work, "commit", "-q", "-m", "tools");
    git(work, "push", "-q", origin.toUri().toString(), "HEAD:main");

    Path proj =
        boltProject(
            tmp.resolve("mods"),
            "name: mods\nmodules:\n  - git: "
                + origin.toUri()
                + "\n    ref: main\n    name: tools\n    resolve: false\n");
    Cli.Outcome install = Cli.run(proj, "module", "install");
    assertEquals(0, install.code(), install::toString);
    Cli.Outcome o = Cli.run(proj, "task", "run", "tools", "-t", "127.0.0.2", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("git", o.json().at("/items/0/value/from").asText());

    for (String forge :
        new String[] {
          "  - puppetlabs-facts\n", "  - name: puppetlabs/apache\n    version_requirement: '5.x'\n"
        }) {
      Files.writeString(proj.resolve("bolt-project.yaml"), "name: mods\nmodules:\n" + forge);
      Cli.Outcome f = Cli.run(proj, "module", "install");
      assertEquals(2, f.code(), f::toString);
      assertTrue(
          f.err().contains("is a Forge module; jbolt installs modules from git only"), f::toString);
      assertTrue(f.err().contains("https://github.com/puppetlabs/puppetlabs-"), f::toString);
      assertEquals(1, f.err().strip().lines().count(), f::toString);
    }
  }

  @Test
  void puppetPlansAreNamedForWhatTheyAreAndYamlPlansRun() throws Exception {
    Path proj = boltProject(tmp.resolve("plans"), "name: shop\n");
    Files.createDirectories(proj.resolve("plans"));
    Files.writeString(proj.resolve("plans/deploy.pp"), "plan shop::deploy() { }\n");
    Files.writeString(
        proj.resolve("plans/check.yaml"), "steps:\n  - message: all good\nreturn: 42\n");
    Cli.Outcome pp = Cli.run(proj, "plan", "run", "shop::deploy");
    assertEquals(2, pp.code(), pp::toString);
    assertTrue(pp.err().contains("is a Puppet-language plan"), pp::toString);
    Cli.Outcome yaml = Cli.run(proj, "plan", "run", "shop::check");
    assertEquals(0, yaml.code(), yaml::toString);
    assertTrue(yaml.out().contains("all good"), yaml::toString);
    assertTrue(yaml.out().contains("42"), yaml::toString);
  }

  private static void git(Path dir, String... args) {
    String[] cmd = new String[args.length + 7];
    System.arraycopy(
        new String[] {
          "git", "-C", dir.toString(), "-c", "user.email=t@example.com", "-c", "user.name=T"
        },
        0,
        cmd,
        0,
        7);
    System.arraycopy(args, 0, cmd, 7, args.length);
    Cmd.run(cmd);
  }
}
