package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * File transfers that would hang: a FIFO in a downloaded directory is skipped with a warning (it
 * used to hold SFTP for 600 s and leave a stuck internal-sftp behind), and --timeout bounds uploads
 * and downloads as it bounds commands. Against a real sshd, with and without SFTP.
 */
class TransferFaultTest {
  @LabSshd static Sshd sshd;

  @LabSshd(sftp = false)
  static Sshd noSftp;

  @TempDir Path tmp;

  private Path lab(Sshd s) throws Exception {
    s.knownHosts();
    return Projects.withInventory(
        Files.createDirectories(tmp.resolve("lab" + s.port())),
        Projects.sshConfig(s) + "targets: [127.0.0.1]\n");
  }

  /** Nothing of a transfer stays on the target once jbolt has ended: no session, no stuck sftp. */
  private static void awaitNothingLeft(Sshd s) {
    assertEquals(0, s.awaitNoDescendants(), "a process stayed behind on the target");
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void aFifoInADownloadedDirectoryIsSkippedWithAWarning() throws Exception {
    Path remote = Projects.sharedDir(tmp, "remote");
    Files.writeString(remote.resolve("file"), "data\n");
    Cmd.run("mkfifo", remote.resolve("fifo").toString());
    for (Sshd s : new Sshd[] {sshd, noSftp}) {
      Path lab = lab(s);
      Cli.Outcome o =
          Cli.run(
              lab,
              "file",
              "download",
              remote.toString(),
              "dl",
              "-t",
              "127.0.0.1",
              "--format",
              "json");
      assertEquals(0, o.code(), o::toString);
      assertTrue(
          o.json().at("/items/0/value/_output").asText().contains("skipped 1 special file"),
          o::toString);
      assertTrue(o.json().at("/items/0/value/skipped/0").asText().contains("FIFO"), o::toString);
      assertEquals("data\n", Files.readString(lab.resolve("dl/127.0.0.1/remote/file")));
      awaitNothingLeft(s);
      Cli.Outcome human =
          Cli.run(lab, "file", "download", remote.toString(), "dl", "-t", "127.0.0.1");
      assertTrue(human.out().contains("skipped 1 special file (not copied)"), human::toString);
    }
  }

  /** 16 GiB of holes: no disk used, far more than two seconds to send. */
  private static Path sparse(Path p) throws Exception {
    try (var f = new RandomAccessFile(p.toFile(), "rw")) {
      f.setLength(16L << 30);
    }
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    return p;
  }

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void timeoutBoundsUploadsAndDownloads() throws Exception {
    Path remote = Projects.sharedDir(tmp, "remote");
    Path big = sparse(tmp.resolve("big"));
    sparse(remote.resolve("big"));
    for (Sshd s : new Sshd[] {sshd, noSftp}) {
      Path lab = lab(s);
      long t0 = System.nanoTime();
      Cli.Outcome up =
          Cli.run(
              lab,
              "file",
              "upload",
              big.toString(),
              remote + "/up-" + s.port(),
              "-t",
              "127.0.0.1",
              "--timeout",
              "2",
              "--format",
              "json");
      assertEquals(1, up.code(), up::toString);
      assertEquals(
          "jbolt/timeout", up.json().at("/items/0/value/_error/kind").asText(), up::toString);
      Cli.Outcome down =
          Cli.run(
              lab,
              "file",
              "download",
              remote + "/big",
              "dl",
              "-t",
              "127.0.0.1",
              "--timeout",
              "2",
              "--format",
              "json");
      assertEquals(
          "jbolt/timeout", down.json().at("/items/0/value/_error/kind").asText(), down::toString);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf(
          "upload and download with --timeout 2 (%s): %.1f s%n",
          s == sshd ? "sftp" : "tar", seconds);
      assertTrue(seconds < 40, "both stopped near their timeouts");
      try (var left = Files.list(lab.resolve("dl/127.0.0.1"))) {
        assertEquals(0, left.count(), "the partial download was removed");
      }
      awaitNothingLeft(s);
      Files.deleteIfExists(remote.resolve("up-" + s.port()));
    }
  }
}
