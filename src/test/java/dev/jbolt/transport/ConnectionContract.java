package dev.jbolt.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.action.Shell;
import dev.jbolt.testing.Cmd;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every transport must do, run against each: local, SSH on real sshd, SSH without SFTP. Remote
 * paths live in a temp dir made on the target through the transport itself.
 */
public abstract class ConnectionContract {
  @TempDir protected Path local;
  protected String remote;
  private Shell shell;

  protected abstract Connection connection();

  @BeforeEach
  void remoteDir() throws Exception {
    shell = new Shell(connection());
    remote = shell.mktemp();
  }

  @AfterEach
  void cleanRemote() throws Exception {
    shell.removeQuietly(remote);
    assertEquals(
        "gone",
        run("test -e " + Posix.quote(remote) + " && echo there || echo gone").stdoutText().strip());
  }

  protected Exec.Output run(String command) throws TransportException {
    return Exec.run(connection(), command, null, 30_000, null);
  }

  @Test
  void separatesStdoutStderrAndExitCode() throws Exception {
    Exec.Output o = run("echo out; echo err >&2; exit 7");
    assertEquals("out\n", o.stdoutText());
    assertEquals("err\n", o.stderrText());
    assertEquals(7, o.exitCode());
  }

  @Test
  void runsItsOwnCommandsWithTheSameSemantics() throws Exception {
    Connection c = connection();
    Exec.Output o = c.runOwn("echo out; printf 'err, no newline' >&2; exit 7", 30_000);
    assertEquals("out\n", o.stdoutText());
    assertEquals("err, no newline", o.stderrText());
    assertEquals(7, o.exitCode());
    // Each in its own subshell: nothing set or changed outlives it. No input: cat ends at once.
    assertEquals(0, c.runOwn("cd /; X=1; export Y=2; cat", 30_000).exitCode());
    assertEquals("[][]", c.runOwn("printf '[%s][%s]' \"$X\" \"$Y\"", 30_000).stdoutText());
    // A syntax error is the command's failure, and the next command runs.
    Exec.Output bad = c.runOwn("if then fi", 30_000);
    assertEquals(2, bad.exitCode());
    assertTrue(
        bad.stderrText().contains("Syntax error") || bad.stderrText().contains("syntax error"),
        bad.stderrText());
    assertEquals("again", c.runOwn("printf again", 30_000).stdoutText());
    TransportException e = assertThrows(TransportException.class, () -> c.runOwn("sleep 30", 500));
    assertEquals("jbolt/timeout", e.kind().id());
    assertEquals("after\n", c.runOwn("echo after", 30_000).stdoutText());
  }

  @Test
  void feedsStdin() throws Exception {
    byte[] input =
        "line one\nline two with 'quotes' and $(subst)\n".getBytes(StandardCharsets.UTF_8);
    Exec.Output o = Exec.run(connection(), "cat", input, 30_000, null);
    assertArrayEquals(input, o.stdout().bytes());
  }

  @Test
  void exportsEnvironmentValuesByteExact() throws Exception {
    String hostile = "a'b\"c $(id) `id` ; & | \\ \n\ttab é ✓";
    Exec.Output o =
        shell.run("printf %s \"$V\"", Map.of("V", hostile, "EMPTY", ""), null, 30_000, null);
    assertEquals(hostile, o.stdoutText());
    assertEquals(
        "set",
        shell
            .run("[ -z \"$EMPTY\" ] && echo set", Map.of("EMPTY", ""), null, 30_000, null)
            .stdoutText()
            .strip());
  }

  @Test
  void carriesLargeOutputIntact() throws Exception {
    Exec.Output o = run("head -c 3000000 /dev/zero | tr '\\0' x");
    assertEquals(3_000_000, o.stdout().size());
  }

  @Test
  void killsACommandPastItsTimeout() throws Exception {
    long t0 = System.nanoTime();
    TransportException e =
        assertThrows(
            TransportException.class, () -> Exec.run(connection(), "sleep 30", null, 500, null));
    assertEquals("jbolt/timeout", e.kind().id());
    assertTrue((System.nanoTime() - t0) / 1e9 < 10, "returned promptly");
  }

  @Test
  void makesPrivateTempDirs() throws Exception {
    assertEquals("700", run("stat -c %a " + Posix.quote(remote)).stdoutText().strip());
  }

  @Test
  void uploadsAndDownloadsAFileKeepingItsMode() throws Exception {
    Path f = local.resolve("tool.sh");
    Files.writeString(f, "#!/bin/sh\necho tool\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x--x"));
    connection().upload(f, remote + "/tool.sh");
    assertEquals(
        "751\ntool\n",
        run("stat -c %a " + remote + "/tool.sh; " + remote + "/tool.sh").stdoutText());
    // Into an existing directory, the file keeps its name.
    run("mkdir " + remote + "/into");
    connection().upload(f, remote + "/into");
    assertEquals(0, run("test -x " + remote + "/into/tool.sh").exitCode());
    Path back = local.resolve("back.sh");
    connection().download(remote + "/tool.sh", back);
    assertEquals(Files.readString(f), Files.readString(back));
    assertEquals("rwxr-x--x", PosixFilePermissions.toString(Files.getPosixFilePermissions(back)));
  }

  @Test
  void aHomePathStartingWithADashIsAPathNotAnOption() throws Exception {
    Path f = local.resolve("f");
    Files.writeString(f, "dash");
    String name = "-jbolt-dash-" + ProcessHandle.current().pid();
    try {
      connection().upload(f, "~/" + name);
      assertEquals("dash", run("cat \"$HOME\"/" + name).stdoutText());
    } finally {
      run("rm -f \"$HOME\"/" + name);
    }
  }

  @Test
  void aDirectoryUploadedTwiceIsTheSameTreeAndAFileGoesIntoADirectory() throws Exception {
    Path tree = local.resolve("tree");
    Files.createDirectories(tree.resolve("sub"));
    Files.writeString(tree.resolve("a.txt"), "A");
    Files.writeString(tree.resolve("sub/b.txt"), "B");
    connection().upload(tree, remote + "/copy");
    connection().upload(tree, remote + "/copy");
    assertEquals(
        "./a.txt\n./sub\n./sub/b.txt\n",
        run("cd " + remote + "/copy && find . -mindepth 1 | sort").stdoutText());
    connection().upload(tree.resolve("a.txt"), remote + "/copy/sub");
    assertEquals("A", run("cat " + remote + "/copy/sub/a.txt").stdoutText());
  }

  @Test
  void uploadsAndDownloadsDirectoryTrees() throws Exception {
    Path tree = local.resolve("tree");
    Files.createDirectories(tree.resolve("sub/deeper"));
    Files.writeString(tree.resolve("a.txt"), "A");
    Files.writeString(tree.resolve("sub/b.txt"), "B");
    Files.write(tree.resolve("sub/deeper/bin"), new byte[] {0, 1, 2, (byte) 255});
    Files.setPosixFilePermissions(
        tree.resolve("sub/b.txt"), PosixFilePermissions.fromString("rw-------"));
    connection().upload(tree, remote + "/copy");
    assertEquals(
        "A B 600\n",
        run("cd "
                + remote
                + "/copy && printf '%s %s ' \"$(cat a.txt)\" \"$(cat sub/b.txt)\"; stat -c %a sub/b.txt")
            .stdoutText());
    Path back = local.resolve("back");
    connection().download(remote + "/copy", back);
    assertEquals("B", Files.readString(back.resolve("sub/b.txt")));
    assertArrayEquals(
        new byte[] {0, 1, 2, (byte) 255}, Files.readAllBytes(back.resolve("sub/deeper/bin")));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(back.resolve("sub/b.txt"))));
  }

  @Test
  void downloadingAMissingFileFails() {
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> connection().download(remote + "/nope", local.resolve("nope")));
    assertEquals("puppetlabs.tasks/task_file_error", e.kind().id());
  }

  /** Every path under {@code root} (not following links): type, mode, link target or content. */
  private static List<String> listing(Path root) throws Exception {
    try (var walk = Files.walk(root)) {
      List<String> out = new ArrayList<>();
      for (Path p : walk.sorted().toList()) {
        String rel = root.relativize(p).toString();
        if (Files.isSymbolicLink(p)) {
          out.add("l " + rel + " -> " + Files.readSymbolicLink(p));
        } else if (Files.isDirectory(p)) {
          out.add(
              "d " + PosixFilePermissions.toString(Files.getPosixFilePermissions(p)) + " " + rel);
        } else {
          out.add(
              "f "
                  + PosixFilePermissions.toString(Files.getPosixFilePermissions(p))
                  + " "
                  + rel
                  + " "
                  + Files.readString(p));
        }
      }
      return out;
    }
  }

  /** The same listing of a remote tree, made there with find. */
  private List<String> remoteListing(String root) throws Exception {
    String out =
        run("cd "
                + Posix.quote(root)
                + " && find . -mindepth 0 | LC_ALL=C sort | while IFS= read -r p; do"
                + " r=${p#./}; [ \"$p\" = . ] && r=; if [ -L \"$p\" ]; then echo \"l $r -> $(readlink \"$p\")\";"
                + " elif [ -d \"$p\" ]; then echo \"d $(stat -c %A \"$p\" | cut -c2-) $r\";"
                + " else echo \"f $(stat -c %A \"$p\" | cut -c2-) $r $(cat \"$p\")\"; fi; done")
            .stdoutText();
    return out.lines().map(l -> l.replace(" d ", " d ").replaceAll(" $", "")).toList();
  }

  @Test
  void roundTripsLongNamesLinksModesAndEmptyDirsExactly() throws Exception {
    Path tree = local.resolve("tree");
    String longDir = "d".repeat(120);
    String longFile = "f".repeat(150) + ".txt";
    Files.createDirectories(tree.resolve(longDir).resolve("e".repeat(100)));
    Files.createDirectories(tree.resolve("empty"));
    Files.writeString(tree.resolve(longDir).resolve(longFile), "long");
    Files.createSymbolicLink(tree.resolve("link"), Path.of(longDir + "/" + longFile));
    Files.createSymbolicLink(tree.resolve("abs-link"), Path.of("/etc/hostname"));
    Files.createSymbolicLink(tree.resolve("long-dangling-link"), Path.of("x".repeat(200)));
    Files.writeString(tree.resolve("mode"), "m");
    Files.setPosixFilePermissions(
        tree.resolve("mode"), PosixFilePermissions.fromString("rw-r-----"));
    Files.setPosixFilePermissions(
        tree.resolve("empty"), PosixFilePermissions.fromString("rwxr-x---"));
    List<String> want = listing(tree);
    assertTrue(connection().upload(tree, remote + "/up").isEmpty());
    List<String> there =
        remoteListing(remote + "/up").stream()
            .map(l -> l.replaceFirst("^(.) (\\S+) $", "$1 $2"))
            .toList();
    assertEquals(want.stream().map(l -> l.replaceFirst("^(d \\S+) $", "$1")).toList(), there);
    Path back = local.resolve("back");
    assertTrue(connection().download(remote + "/up", back).isEmpty());
    assertEquals(want, listing(back));
    // Twice: the links are replaced, not refused.
    connection().upload(tree, remote + "/up2");
    connection().upload(tree.resolve("link"), remote + "/up2/link");
    assertEquals("long", run("cat " + remote + "/up2/link").stdoutText());
  }

  @Test
  void specialFilesAreSkippedNeverRead() throws Exception {
    run(
        "mkdir "
            + remote
            + "/dir && echo data > "
            + remote
            + "/dir/file && mkfifo "
            + remote
            + "/dir/fifo");
    long t0 = System.nanoTime();
    Path back = local.resolve("back");
    List<String> skipped = connection().download(remote + "/dir", back, 30_000);
    assertEquals(1, skipped.size(), skipped::toString);
    assertTrue(
        skipped.get(0).contains("fifo") && skipped.get(0).contains("FIFO"), skipped::toString);
    assertEquals("data\n", Files.readString(back.resolve("file")));
    assertTrue((System.nanoTime() - t0) / 1e9 < 10, "did not wait on the FIFO");
    TransportException alone =
        assertThrows(
            TransportException.class,
            () -> connection().download(remote + "/dir/fifo", local.resolve("f"), 10_000));
    assertTrue(alone.getMessage().contains("FIFO"), alone::getMessage);
    Path up = local.resolve("up");
    Files.createDirectories(up);
    Files.writeString(up.resolve("file"), "x");
    Cmd.run("mkfifo", up.resolve("fifo").toString());
    skipped = connection().upload(up, remote + "/up", 30_000);
    assertEquals(1, skipped.size(), skipped::toString);
    assertEquals(
        "gone",
        run("test -e " + remote + "/up/fifo && echo there || echo gone").stdoutText().strip());
  }

  @Test
  void aTransferStopsAtItsTimeout() throws Exception {
    Path big = local.resolve("big");
    try (var f = new RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(
          8L << 30); // sparse: 8 GiB that take no disk here, more than a second to send anywhere
    }
    long t0 = System.nanoTime();
    TransportException e =
        assertThrows(
            TransportException.class, () -> connection().upload(big, remote + "/big", 500));
    assertEquals("jbolt/timeout", e.kind().id(), e::getMessage);
    assertTrue((System.nanoTime() - t0) / 1e9 < 15, "stopped promptly");
    run("rm -f " + remote + "/big");
  }
}
