package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Jvm;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ~/.ssh/config and ~/.ssh/known_hosts and the default ~/.ssh/id_* keys, read as OpenSSH reads
 * them.
 */
class SshConfigTest {
  @TempDir Path tmp;

  @Test
  void readsHostNamePortUserAndIdentityFileFromSshConfig() throws Exception {
    try (Sshd sshd = Sshd.start()) {
      Path home = Files.createDirectories(tmp.resolve("home"));
      Path ssh = Files.createDirectories(home.resolve(".ssh"));
      Files.writeString(
          ssh.resolve("config"),
          "Host webfront\n  HostName 127.0.0.1\n  Port "
              + sshd.port()
              + "\n  User "
              + sshd.user()
              + "\n  IdentityFile "
              + sshd.key()
              + "\n");
      Files.writeString(
          ssh.resolve("known_hosts"), "[127.0.0.1]:" + sshd.port() + " " + sshd.hostKey() + "\n");
      Path project = Projects.withInventory(tmp.resolve("p"), "targets: [webfront]\n");
      Cli.Outcome o =
          Jvm.run(project, home, "command", "run", "id -un", "-t", "webfront", "--format", "json");
      assertEquals(0, o.code(), o::toString);
      assertEquals(sshd.user() + "\n", o.json().at("/items/0/value/stdout").asText());

      // load-config: false ignores it: 'webfront' is then just an unresolvable name.
      Projects.withInventory(project, "config: {ssh: {load-config: false}}\ntargets: [webfront]\n");
      o = Jvm.run(project, home, "command", "run", "id -un", "-t", "webfront", "--format", "json");
      assertEquals(1, o.code(), o::toString);
      assertEquals(
          "puppetlabs.tasks/connect-error",
          o.json().at("/items/0/value/_error/kind").asText(),
          o::toString);
    }
  }

  @Test
  void honoursKnownHostsFilesAndStrictHostKeyCheckingFromSshConfig() throws Exception {
    try (Sshd sshd = Sshd.start()) {
      Path home = Files.createDirectories(tmp.resolve("home"));
      Path ssh = Files.createDirectories(home.resolve(".ssh"));
      Path kh = tmp.resolve("site_known_hosts");
      Path global = tmp.resolve("global_known_hosts");
      Files.writeString(
          ssh.resolve("config"),
          "Host web\n  HostName 127.0.0.1\n  Port "
              + sshd.port()
              + "\n  User "
              + sshd.user()
              + "\n  IdentityFile "
              + sshd.key()
              + "\n  UserKnownHostsFile ~/nowhere "
              + kh
              + "\n  GlobalKnownHostsFile "
              + global
              + "\n");
      Path project = Projects.withInventory(tmp.resolve("p"), "targets: [web]\n");
      // the key in the second user file, as ssh reads it (~/.ssh/known_hosts is not one of them)
      Files.writeString(kh, "[127.0.0.1]:" + sshd.port() + " " + sshd.hostKey() + "\n");
      Cli.Outcome o = Jvm.run(project, home, "command", "run", "echo known", "-t", "web");
      assertEquals(0, o.code(), o::toString);
      // in the global file
      Files.delete(kh);
      Files.writeString(global, "[127.0.0.1]:" + sshd.port() + " " + sshd.hostKey() + "\n");
      o = Jvm.run(project, home, "command", "run", "echo known", "-t", "web");
      assertEquals(0, o.code(), o::toString);
      // in neither: unknown, and the message names the first user file
      Files.delete(global);
      o = Jvm.run(project, home, "command", "run", "echo known", "-t", "web");
      assertEquals(1, o.code(), o::toString);
      assertTrue(o.out().contains(home.resolve("nowhere").toString()), o::toString);
      // StrictHostKeyChecking accept-new records it in the first user file
      Files.writeString(
          ssh.resolve("config"),
          Files.readString(ssh.resolve("config")) + "  StrictHostKeyChecking accept-new\n");
      o = Jvm.run(project, home, "command", "run", "echo known", "-t", "web");
      assertEquals(0, o.code(), o::toString);
      assertTrue(Files.readString(home.resolve("nowhere")).contains(sshd.hostKey()));
      // the inventory's host-key-check wins over the config's
      Files.delete(home.resolve("nowhere"));
      Projects.withInventory(project, "config: {ssh: {host-key-check: true}}\ntargets: [web]\n");
      o = Jvm.run(project, home, "command", "run", "echo known", "-t", "web");
      assertEquals(1, o.code(), o::toString);
    }
  }

  @Test
  void usesTheDefaultKeyInTheHomeDirectoryWhenNoneIsGiven() throws Exception {
    try (Sshd sshd = Sshd.start()) {
      Path home = Files.createDirectories(tmp.resolve("home"));
      Path ssh = Files.createDirectories(home.resolve(".ssh"));
      Files.copy(sshd.key(), ssh.resolve("id_ed25519"));
      Files.writeString(
          ssh.resolve("known_hosts"), "[127.0.0.1]:" + sshd.port() + " " + sshd.hostKey() + "\n");
      Path project =
          Projects.withInventory(
              tmp.resolve("p"),
              "config: {ssh: {user: "
                  + sshd.user()
                  + ", port: "
                  + sshd.port()
                  + "}}\ntargets: [127.0.0.1]\n");
      Cli.Outcome o = Jvm.run(project, home, "command", "run", "echo keyed", "-t", "127.0.0.1");
      assertEquals(0, o.code(), o::toString);
      assertTrue(o.out().contains("keyed"), o::toString);
    }
  }

  @Test
  void logsInWithAKeyHeldByAnSshAgent() throws Exception {
    try (Sshd sshd = Sshd.start()) {
      Path sock = tmp.resolve("agent.sock");
      Process agent =
          new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString())
              .redirectErrorStream(true)
              .start();
      try {
        for (int i = 0; i < 100 && !Files.exists(sock); i++) {
          Thread.sleep(20);
        }
        ProcessBuilder add =
            new ProcessBuilder("ssh-add", sshd.key().toString()).redirectErrorStream(true);
        add.environment().put("SSH_AUTH_SOCK", sock.toString());
        Process a = add.start();
        assertEquals(0, a.waitFor(), new String(a.getInputStream().readAllBytes()));
        Path home = Files.createDirectories(tmp.resolve("emptyhome"));
        Path kh = tmp.resolve("kh");
        Files.writeString(kh, "[127.0.0.1]:" + sshd.port() + " " + sshd.hostKey() + "\n");
        Path project =
            Projects.withInventory(
                tmp.resolve("p"),
                "config: {ssh: {user: "
                    + sshd.user()
                    + ", port: "
                    + sshd.port()
                    + ", known-hosts-file: '"
                    + kh
                    + "'}}\ntargets: [127.0.0.1]\n");
        Cli.Outcome o =
            Jvm.run(
                project,
                home,
                Map.of("SSH_AUTH_SOCK", sock.toString()),
                "command",
                "run",
                "echo agent",
                "-t",
                "127.0.0.1");
        assertEquals(0, o.code(), o::toString);
        // Without the agent (and no key anywhere) the same run cannot log in.
        o =
            Jvm.run(
                project,
                home,
                "command",
                "run",
                "echo agent",
                "-t",
                "127.0.0.1",
                "--format",
                "json");
        assertEquals(
            "puppetlabs.tasks/connect-error",
            o.json().at("/items/0/value/_error/kind").asText(),
            o::toString);
      } finally {
        agent.destroy();
      }
    }
  }

  @Test
  void logsInWithAPasswordFromTheInventoryOrThePrompt() throws Exception {
    Assumptions.assumeTrue(
        TestUser.get().password() != null, "needs root to give the test user a password");
    try (Sshd sshd = Sshd.start()) {
      Path home = Files.createDirectories(tmp.resolve("emptyhome"));
      Path kh = tmp.resolve("kh");
      Files.writeString(kh, "[127.0.0.1]:" + sshd.port() + " " + sshd.hostKey() + "\n");
      String ssh =
          "user: " + sshd.user() + ", port: " + sshd.port() + ", known-hosts-file: '" + kh + "'";
      Path project =
          Projects.withInventory(
              tmp.resolve("p"),
              "config: {ssh: {"
                  + ssh
                  + ", password: "
                  + TestUser.PASSWORD
                  + "}}\ntargets: [127.0.0.1]\n");
      Cli.Outcome o = Jvm.run(project, home, "command", "run", "echo pw", "-t", "127.0.0.1");
      assertEquals(0, o.code(), o::toString);
      Projects.withInventory(project, "config: {ssh: {" + ssh + "}}\ntargets: [127.0.0.1]\n");
      o =
          Jvm.runWithInput(
              project,
              home,
              Map.of(),
              TestUser.PASSWORD + "\n",
              "command",
              "run",
              "echo prompted",
              "-t",
              "127.0.0.1",
              "--password");
      assertEquals(0, o.code(), o::toString);
      assertTrue(o.out().contains("prompted"), o::toString);
      assertTrue(!o.out().contains(TestUser.PASSWORD) && !o.err().contains(TestUser.PASSWORD));
      assertTrue(sshd.log().contains("Accepted password"), sshd.log());
    }
  }
}
