package dev.jbolt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.inventory.Target;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Target names and remote paths are user data that become local paths: a download or an
 * --output-dir never writes outside the directory the user chose, never writes through a symlink it
 * finds there, and never deletes what it did not create in this run. Against a real sshd.
 */
class PathEscapeTest {
  @LabSshd static Sshd sshd;
  @TempDir Path tmp;
  Path lab;
  Path remote;

  @BeforeEach
  void lab() throws Exception {
    sshd.knownHosts();
    lab = Files.createDirectories(tmp.resolve("lab"));
    Files.writeString(lab.resolve("jbolt-project.yaml"), "name: x\n");
    // Targets named '.', '..' and with a slash, all reaching the one sshd.
    Projects.withInventory(
        lab,
        Projects.sshConfig(sshd)
            + "    host: 127.0.0.1\n"
            + "targets:\n  - name: '..'\n  - name: '.'\n  - name: 'a/../../b'\n  - name: web1\n");
    remote = Projects.sharedDir(tmp, "remote");
    Files.writeString(remote.resolve("hostname"), "remote-host\n");
  }

  private Set<Path> listing(Path dir) throws Exception {
    try (var walk = Files.walk(dir)) {
      return new HashSet<>(walk.toList());
    }
  }

  @Test
  void aTargetNamedDotDotDownloadsIntoItsOwnDirectory() throws Exception {
    String inventory = Files.readString(lab.resolve("inventory.yaml"));
    Cli.Outcome o =
        Cli.run(
            lab,
            "file",
            "download",
            remote.resolve("hostname").toString(),
            "dl",
            "-t",
            "..,.,a/../../b",
            "--format",
            "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        inventory, Files.readString(lab.resolve("inventory.yaml")), "inventory.yaml overwritten");
    assertFalse(Files.exists(lab.resolve("hostname")));
    assertFalse(Files.exists(tmp.resolve("hostname")));
    assertFalse(Files.exists(tmp.resolve("b")));
    try (var s = Files.list(lab.resolve("dl"))) {
      List<Path> dirs = s.toList();
      assertEquals(3, dirs.size(), dirs::toString);
      for (Path d : dirs) {
        assertEquals("remote-host\n", Files.readString(d.resolve("hostname")), d.toString());
      }
    }
  }

  @Test
  void outputDirKeepsEachTargetInside() throws Exception {
    Files.createDirectories(lab.resolve("out"));
    Files.writeString(lab.resolve("out/stdout"), "mine\n");
    Cli.Outcome o =
        Cli.run(lab, "command", "run", "echo hi", "-t", "..,.", "--output-dir", "out/x");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        "mine\n", Files.readString(lab.resolve("out/stdout")), "wrote into out/, above out/x");
    assertFalse(Files.exists(lab.resolve("out/x/stdout")));
    try (var s = Files.list(lab.resolve("out/x"))) {
      assertEquals(2, s.count());
    }
  }

  @Test
  void aSourceEndingInDotDotIsRefusedAndNothingIsDeleted() throws Exception {
    Path dl = Files.createDirectories(lab.resolve("dl/web1"));
    Files.writeString(lab.resolve("dl/keep"), "keep\n");
    Files.writeString(dl.resolve("keep"), "keep\n");
    Set<Path> before = listing(lab);
    for (String source : List.of(remote + "/..", remote + "/.", remote + "/../", "..", ".")) {
      for (String target : List.of("web1", "..")) {
        Cli.Outcome o = Cli.run(lab, "file", "download", source, "dl", "-t", target);
        assertEquals(2, o.code(), source + " " + o);
        assertTrue(o.err().contains("must end in a file or directory name"), o::toString);
      }
    }
    assertEquals(before, listing(lab));
  }

  @Test
  void aSecondDownloadReplacesFilesAndDeletesNothingElse() throws Exception {
    Files.createDirectories(remote.resolve("tree/sub"));
    Files.writeString(remote.resolve("tree/a"), "a1\n");
    Files.writeString(remote.resolve("tree/sub/b"), "b1\n");
    String src = remote.resolve("tree").toString();
    assertEquals(0, Cli.run(lab, "file", "download", src, "dl", "-t", "web1").code());
    Files.writeString(lab.resolve("dl/web1/tree/mine"), "mine\n");
    Files.writeString(remote.resolve("tree/a"), "a2\n");
    Cmd.run("rm", remote.resolve("tree/sub/b").toString());
    Cli.Outcome o = Cli.run(lab, "file", "download", src, "dl", "-t", "web1");
    assertEquals(0, o.code(), o::toString);
    assertEquals("a2\n", Files.readString(lab.resolve("dl/web1/tree/a")));
    assertEquals(
        "mine\n", Files.readString(lab.resolve("dl/web1/tree/mine")), "a file jbolt did not make");
    assertEquals("b1\n", Files.readString(lab.resolve("dl/web1/tree/sub/b")), "nothing is deleted");
    try (var s = Files.list(lab.resolve("dl/web1"))) {
      assertEquals(List.of(lab.resolve("dl/web1/tree")), s.toList(), "no staging dir left");
    }
  }

  @Test
  void symlinksInTheDestinationAreNeverWrittenThrough() throws Exception {
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("hostname"), "precious\n");
    Files.createDirectories(lab.resolve("dl"));
    Files.createSymbolicLink(lab.resolve("dl/web1"), outside);
    Cli.Outcome o =
        Cli.run(
            lab,
            "file",
            "download",
            remote.resolve("hostname").toString(),
            "dl",
            "-t",
            "web1",
            "--format",
            "json");
    assertEquals(1, o.code(), o::toString);
    assertTrue(
        o.json().at("/items/0/value/_error/msg").asText().contains("symbolic link"), o::toString);
    assertEquals("precious\n", Files.readString(outside.resolve("hostname")));

    // A symlinked file in the destination is replaced, not written through.
    Files.delete(lab.resolve("dl/web1"));
    Files.createDirectories(lab.resolve("dl/web1"));
    Files.createSymbolicLink(lab.resolve("dl/web1/hostname"), outside.resolve("hostname"));
    o = Cli.run(lab, "file", "download", remote.resolve("hostname").toString(), "dl", "-t", "web1");
    assertEquals(0, o.code(), o::toString);
    assertEquals("precious\n", Files.readString(outside.resolve("hostname")));
    assertEquals("remote-host\n", Files.readString(lab.resolve("dl/web1/hostname")));
    assertFalse(Files.isSymbolicLink(lab.resolve("dl/web1/hostname")));

    // --output-dir: a target's directory that is a symlink is refused, a symlinked file replaced.
    Files.createDirectories(lab.resolve("out"));
    Files.createSymbolicLink(lab.resolve("out/web1"), outside);
    o = Cli.run(lab, "command", "run", "echo hi", "-t", "web1", "--output-dir", "out");
    assertTrue(o.err().contains("symbolic link"), o::toString);
    assertFalse(Files.exists(outside.resolve("stdout")));
  }

  @Test
  void fileNamesOfTargetsAreNeverSpecialAndNeverCollide() {
    Set<String> seen = new HashSet<>();
    List<String> names =
        List.of(
            ".",
            "..",
            "...",
            "",
            "/",
            "a/b",
            "a%2Fb",
            "-rf",
            "x\u0000y",
            "x\ny",
            "'q'",
            "a b",
            "a+b",
            "%2E",
            "%2E%2E",
            "x".repeat(300),
            "x".repeat(299) + "y",
            "é".repeat(200));
    for (String n : names) {
      String f = Target.fileName(n);
      assertFalse(
          f.isEmpty() || f.equals(".") || f.equals("..") || f.contains("/") || f.contains("\u0000"),
          n + " -> " + f);
      assertTrue(f.getBytes(StandardCharsets.UTF_8).length <= 200, n + " -> " + f);
      assertTrue(seen.add(f), "two names give " + f);
    }
  }
}
