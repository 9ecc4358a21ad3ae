package dev.jbolt.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.shell.Posix;
import dev.jbolt.shell.Shell;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every transport must do, run against each: local, SSH on real sshd, SSH without SFTP.
 * Remote paths live in a temp dir made on the target through the transport itself.
 */
public abstract class ConnectionContract {
  @TempDir protected Path local;
  protected String remote;
  private Shell shell;

  protected abstract Connection connection();

  @BeforeEach
  void remoteDir() throws Exception {
    shell = new Shell(connection(), null);
    remote = shell.mktemp("/tmp");
  }

  @AfterEach
  void cleanRemote() throws Exception {
    shell.removeQuietly(remote);
    assertEquals("gone", run("test -e " + Posix.quote(remote) + " && echo there || echo gone").stdoutText().strip());
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
    assertTrue(bad.stderrText().contains("Syntax error") || bad.stderrText().contains("syntax error"), bad.stderrText());
    assertEquals("again", c.runOwn("printf again", 30_000).stdoutText());
    TransportException e = assertThrows(TransportException.class, () -> c.runOwn("sleep 30", 500));
    assertEquals("jbolt/timeout", e.kind());
    assertEquals("after\n", c.runOwn("echo after", 30_000).stdoutText());
  }

  @Test
  void feedsStdin() throws Exception {
    byte[] input = "line one\nline two with 'quotes' and $(subst)\n".getBytes(StandardCharsets.UTF_8);
    Exec.Output o = Exec.run(connection(), "cat", input, 30_000, null);
    assertArrayEquals(input, o.stdout());
  }

  @Test
  void exportsEnvironmentValuesByteExact() throws Exception {
    String hostile = "a'b\"c $(id) `id` ; & | \\ \n\ttab é ✓";
    Exec.Output o = shell.run("printf %s \"$V\"", Map.of("V", hostile, "EMPTY", ""), null, 30_000, null);
    assertEquals(hostile, o.stdoutText());
    assertEquals("set", shell.run("[ -z \"$EMPTY\" ] && echo set", Map.of("EMPTY", ""), null, 30_000, null)
        .stdoutText().strip());
  }

  @Test
  void carriesLargeOutputIntact() throws Exception {
    Exec.Output o = run("head -c 3000000 /dev/zero | tr '\\0' x");
    assertEquals(3_000_000, o.stdout().length);
  }

  @Test
  void killsACommandPastItsTimeout() throws Exception {
    long t0 = System.nanoTime();
    TransportException e = assertThrows(TransportException.class,
        () -> Exec.run(connection(), "sleep 30", null, 500, null));
    assertEquals("jbolt/timeout", e.kind());
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
    assertEquals("751\ntool\n", run("stat -c %a " + remote + "/tool.sh; " + remote + "/tool.sh").stdoutText());
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
  void uploadsAndDownloadsDirectoryTrees() throws Exception {
    Path tree = local.resolve("tree");
    Files.createDirectories(tree.resolve("sub/deeper"));
    Files.writeString(tree.resolve("a.txt"), "A");
    Files.writeString(tree.resolve("sub/b.txt"), "B");
    Files.write(tree.resolve("sub/deeper/bin"), new byte[] {0, 1, 2, (byte) 255});
    Files.setPosixFilePermissions(tree.resolve("sub/b.txt"), PosixFilePermissions.fromString("rw-------"));
    connection().upload(tree, remote + "/copy");
    assertEquals("A B 600\n", run("cd " + remote + "/copy && printf '%s %s ' \"$(cat a.txt)\" \"$(cat sub/b.txt)\"; stat -c %a sub/b.txt")
        .stdoutText());
    Path back = local.resolve("back");
    connection().download(remote + "/copy", back);
    assertEquals("B", Files.readString(back.resolve("sub/b.txt")));
    assertArrayEquals(new byte[] {0, 1, 2, (byte) 255}, Files.readAllBytes(back.resolve("sub/deeper/bin")));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(back.resolve("sub/b.txt"))));
  }

  @Test
  void downloadingAMissingFileFails() {
    TransportException e = assertThrows(TransportException.class,
        () -> connection().download(remote + "/nope", local.resolve("nope")));
    assertEquals("puppetlabs.tasks/task_file_error", e.kind());
  }
}
