package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Jvm;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Targets that share one file system (NFS homes; here, 20 loopback targets of one sshd) upload the
 * same tree into the same place at once (issue 25.15): a directory or link that another target made
 * meanwhile is success, not "a directory is in the way". Five runs in parallel, 100 uploads each
 * racing the others, all ok.
 */
class SharedFilesystemTest {
  @TempDir Path tmp;

  @Test
  void twentyTargetsUploadTheSameTreeFiveTimesInParallel() throws Exception {
    try (Sshd sshd = Sshd.builder().anyAddress().start()) {
      List<String> addresses = new ArrayList<>();
      for (int i = 2; i < 22; i++) {
        addresses.add("127.0.0." + i);
      }
      Projects.withInventory(
          tmp, Projects.sshConfig(sshd) + "targets: [" + String.join(", ", addresses) + "]\n");
      sshd.knownHosts(addresses.toArray(String[]::new));
      Path tree = Files.createDirectories(tmp.resolve("tree/a/b/c"));
      for (int i = 0; i < 5; i++) {
        Files.createDirectories(tmp.resolve("tree/d" + i + "/e"));
        Files.writeString(tmp.resolve("tree/d" + i + "/e/f.txt"), "file " + i + "\n");
      }
      Files.writeString(tree.resolve("deep.txt"), "deep\n");
      Files.createSymbolicLink(tmp.resolve("tree/link"), Path.of("a/b/c/deep.txt"));
      Path dest = Projects.sharedDir(tmp, "shared");
      List<Process> runs = new ArrayList<>();
      for (int r = 0; r < 5; r++) {
        runs.add(
            Jvm.start(
                List.of(),
                tmp,
                tmp,
                Map.of(),
                "file",
                "upload",
                "tree",
                dest.resolve("tree").toString(),
                "-t",
                "all"));
      }
      for (Process p : runs) {
        Cli.Outcome o = Jvm.finish(p, "upload");
        assertEquals(0, o.code(), o::toString);
        assertTrue(o.out().contains("20 succeeded, 0 failed"), o::toString);
      }
      assertEquals("deep\n", Files.readString(dest.resolve("tree/link")));
      assertEquals("file 4\n", Files.readString(dest.resolve("tree/d4/e/f.txt")));
    }
  }
}
