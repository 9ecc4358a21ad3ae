package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code script run} and {@code file upload|download} over real SSH, on several "hosts". */
class ScriptAndFilesTest {
  @LabSshd(anyAddress = true)
  static Sshd sshd;

  @TempDir Path tmp;
  Path remoteTmp;

  @BeforeEach
  void project() throws Exception {
    // A tmpdir of the test's own, owned by the login user, to check that nothing is left in it.
    remoteTmp = Files.createTempDirectory("jbolt-remote-tmp");
    Cmd.run("chown", sshd.user(), remoteTmp.toString());
    Files.setPosixFilePermissions(remoteTmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    sshd.knownHosts("127.0.0.2", "127.0.0.3", "127.0.0.4");
    Projects.withInventory(
        tmp,
        Projects.sshConfig(sshd)
                .replace("known_hosts\n", "known_hosts\n    tmpdir: " + remoteTmp + "\n")
            + "groups:\n  - name: web\n    targets: [127.0.0.2, 127.0.0.3, 127.0.0.4]\n");
    sshd.knownHosts("127.0.0.2", "127.0.0.3", "127.0.0.4");
  }

  @org.junit.jupiter.api.AfterEach
  void removeRemoteTmp() {
    Cmd.runQuietly("rm", "-rf", remoteTmp.toString());
  }

  private void assertNothingLeftBehind() throws Exception {
    try (var s = Files.list(remoteTmp)) {
      assertEquals(0, s.count(), "temp dirs removed");
    }
  }

  @Test
  void scriptRunPassesArgumentsQuotedAndCleansUp() throws Exception {
    Path script = tmp.resolve("args.sh");
    Files.writeString(
        script,
        "#!/bin/sh\nfor a in \"$@\"; do printf '<%s>' \"$a\"; done\necho\necho \"$GREETING\"\n"
            + "echo \"$SSH_CONNECTION\" | cut -d' ' -f3\n");
    Cli.Outcome o =
        Cli.run(
            tmp,
            "script",
            "run",
            "args.sh",
            "a b",
            "it's",
            "$(id)",
            "",
            "--env-var",
            "GREETING=hi there",
            "-t",
            "web",
            "--format",
            "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals(3, o.json().get("items").size());
    for (JsonNode item : o.json().get("items")) {
      assertEquals("script", item.get("action").asText());
      assertEquals(
          "<a b><it's><$(id)><>\nhi there\n" + item.get("target").asText() + "\n",
          item.at("/value/stdout").asText(),
          o::toString);
    }
    assertNothingLeftBehind();
  }

  @Test
  void aFailingScriptStillCleansUpAndReportsItsExitCode() throws Exception {
    Files.writeString(tmp.resolve("fail.sh"), "#!/bin/sh\necho partial\nexit 5\n");
    Cli.Outcome o = Cli.run(tmp, "script", "run", "fail.sh", "-t", "127.0.0.2", "--format", "json");
    assertEquals(1, o.code(), o::toString);
    assertEquals(5, o.json().at("/items/0/value/exit_code").asInt());
    assertEquals(
        "The script failed with exit code 5", o.json().at("/items/0/value/_error/msg").asText());
    Files.writeString(tmp.resolve("hang.sh"), "#!/bin/sh\nsleep 60\n");
    o =
        Cli.run(
            tmp,
            "script",
            "run",
            "hang.sh",
            "-t",
            "127.0.0.2",
            "--timeout",
            "1",
            "--format",
            "json");
    assertEquals("jbolt/timeout", o.json().at("/items/0/value/_error/kind").asText(), o::toString);
    assertNothingLeftBehind();
  }

  @Test
  void transfersGatherTildeIsTheLoginHomeAndADirectoryUploadedTwiceIsTheSameTree()
      throws Exception {
    Path dir = tmp.resolve("conf");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("app.conf"), "x=1\n");
    Files.writeString(dir.resolve("sub/run.sh"), "#!/bin/sh\n");
    for (int i = 0; i < 2; i++) {
      Cli.Outcome o =
          Cli.run(tmp, "file", "upload", "conf", remoteTmp + "/twice", "-t", "127.0.0.2");
      assertEquals(0, o.code(), o::toString);
    }
    try (var s = Files.walk(remoteTmp.resolve("twice"))) {
      assertEquals(
          List.of("", "app.conf", "sub", "sub/run.sh"),
          s.map(p -> remoteTmp.resolve("twice").relativize(p).toString()).sorted().toList(),
          "the same tree as after one upload");
    }
    Files.writeString(tmp.resolve("motd"), "hello\n");
    Cli.Outcome up = Cli.run(tmp, "file", "upload", "motd", remoteTmp + "/motd", "-t", "web");
    assertEquals(0, up.code(), up::toString);
    assertTrue(
        up.out()
            .contains("== 127.0.0.[2-4] (3): ok\nUploaded 'motd' to '" + remoteTmp + "/motd'\n"),
        up::toString);
    Cli.Outcome down = Cli.run(tmp, "file", "download", remoteTmp + "/motd", "got", "-t", "web");
    assertEquals(0, down.code(), down::toString);
    assertTrue(
        down.out()
            .contains(
                "== 127.0.0.[2-4] (3): ok\nDownloaded '"
                    + remoteTmp
                    + "/motd' to '"
                    + tmp.resolve("got")
                    + "/<target>/motd'\n"),
        down::toString);

    String home =
        Cli.run(tmp, "command", "run", "echo $HOME", "-t", "127.0.0.2", "--format", "json")
            .json()
            .at("/items/0/value/stdout")
            .asText()
            .strip();
    String name = "jbolt-tilde-" + ProcessHandle.current().pid();
    try {
      Cli.Outcome o = Cli.run(tmp, "file", "upload", "motd", "~/" + name, "-t", "127.0.0.2");
      assertEquals(0, o.code(), o::toString);
      assertEquals("hello\n", Files.readString(Path.of(home, name)), "~/ is the login user's home");
      o = Cli.run(tmp, "file", "download", "~/" + name, "back", "-t", "127.0.0.2");
      assertEquals(0, o.code(), o::toString);
      assertEquals("hello\n", Files.readString(tmp.resolve("back/127.0.0.2/" + name)));
    } finally {
      Files.deleteIfExists(Path.of(home, name));
    }
    Cmd.run(
        "rm", "-rf", remoteTmp.resolve("twice").toString(), remoteTmp.resolve("motd").toString());
  }

  @Test
  void aFailedSftpTransferSaysWhatFailedAndWhy() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("conf"));
    Files.writeString(dir.resolve("app.conf"), "x=1\n");
    Files.writeString(remoteTmp.resolve("afile"), "in the way\n");
    Cli.Outcome o = Cli.run(tmp, "file", "upload", "conf", remoteTmp + "/afile", "-t", "127.0.0.2");
    assertEquals(1, o.code(), o::toString);
    assertTrue(
        o.out().contains("cannot make the directory " + remoteTmp + "/afile: a file is in the way"),
        o::toString);
    o =
        Cli.run(
            tmp, "file", "upload", "conf/app.conf", remoteTmp + "/no/such/x", "-t", "127.0.0.2");
    assertEquals(1, o.code(), o::toString);
    assertTrue(
        o.out().contains("cannot write " + remoteTmp + "/no/such/x: its directory does not exist"),
        o::toString);
    Files.delete(remoteTmp.resolve("afile"));
  }

  @Test
  void uploadThenDownloadIntoOneDirectoryPerTarget() throws Exception {
    Path dir = tmp.resolve("conf");
    Files.createDirectories(dir.resolve("sub"));
    Files.writeString(dir.resolve("app.conf"), "x=1\n");
    Files.writeString(dir.resolve("sub/run.sh"), "#!/bin/sh\n");
    Files.setPosixFilePermissions(
        dir.resolve("sub/run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
    // Each "host" writes to its own place: the remote path names the address it was reached on.
    Cli.Outcome o =
        Cli.run(
            tmp,
            "command",
            "run",
            "mkdir -p " + remoteTmp + "/up/$(echo $SSH_CONNECTION | cut -d' ' -f3)",
            "-t",
            "web");
    assertEquals(0, o.code(), o::toString);
    o =
        Cli.run(
            tmp,
            "file",
            "upload",
            "conf",
            remoteTmp + "/up/127.0.0.2/conf",
            "-t",
            "127.0.0.2",
            "--format",
            "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        "Uploaded 'conf' to '127.0.0.2:" + remoteTmp + "/up/127.0.0.2/conf'",
        o.json().at("/items/0/value/_output").asText());
    assertEquals(
        "rwxr-x---",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(remoteTmp.resolve("up/127.0.0.2/conf/sub/run.sh"))));
    o =
        Cli.run(
            tmp,
            "file",
            "download",
            remoteTmp + "/up",
            "downloads",
            "-t",
            "web",
            "--format",
            "json");
    assertEquals(0, o.code(), o::toString);
    for (String host : new String[] {"127.0.0.2", "127.0.0.3", "127.0.0.4"}) {
      assertTrue(Files.isDirectory(tmp.resolve("downloads/" + host + "/up")), host);
    }
    assertEquals(
        "x=1\n", Files.readString(tmp.resolve("downloads/127.0.0.2/up/127.0.0.2/conf/app.conf")));
    for (JsonNode item : o.json().get("items")) { // in the order targets finished
      assertEquals(
          tmp.resolve("downloads/" + item.get("target").asText() + "/up").toString(),
          item.at("/value/path").asText());
    }
    Cmd.run("rm", "-rf", remoteTmp.resolve("up").toString());
    assertNothingLeftBehind();
  }
}
