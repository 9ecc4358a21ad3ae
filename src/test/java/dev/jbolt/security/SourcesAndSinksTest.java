package dev.jbolt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that cannot be read as a file or directory is a failure, never "ok, skipped" (issue
 * 25.10); a plan's downloads never go through a link at PROJECT/downloads (25.11).
 */
class SourcesAndSinksTest {
  @TempDir Path p;

  @BeforeEach
  void project() throws Exception {
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: proj\n");
    Files.writeString(p.resolve("inventory.yaml"), "targets: [localhost]\n");
  }

  @Test
  void aFifoSourceIsAFailureNamedOrPerTarget() throws Exception {
    Path fifo = p.resolve("pipe");
    Cmd.run("mkfifo", fifo.toString());
    Path dest = p.resolve("dest");
    Cli.Outcome o = Cli.run(p, "file", "upload", "pipe", dest.toString(), "-t", "localhost");
    assertEquals(2, o.code(), o::toString);
    assertEquals(
        "jbolt: error: upload source pipe is a FIFO (a pipe, or <(...)): only a regular file or a"
            + " directory can be uploaded; save it to a file first\n",
        o.err());
    assertFalse(Files.exists(dest));

    // From a plan, where the source is known only when the step runs: that target's failure.
    Files.createDirectories(p.resolve("plans"));
    Files.writeString(
        p.resolve("plans/up.js"),
        "export default function () {\n"
            + "  const r = upload_file('"
            + fifo
            + "', '"
            + dest
            + "', 'localhost', {catch_errors: true});\n"
            + "  return r.first().error().msg;\n}\n");
    Cli.Outcome plan = Cli.run(p, "plan", "run", "proj::up", "--format", "json");
    assertEquals(0, plan.code(), plan::toString);
    assertTrue(plan.out().contains("is a FIFO (a pipe, or <(...))"), plan::toString);
    assertFalse(Files.exists(dest));
  }

  @Test
  void aPlansDownloadsDirectoryThatIsALinkFailsThePlan() throws Exception {
    Path elsewhere = Files.createDirectories(p.resolve("elsewhere"));
    Files.createSymbolicLink(p.resolve("downloads"), elsewhere);
    Files.createDirectories(p.resolve("plans"));
    Files.writeString(
        p.resolve("plans/down.js"),
        "export default function () { return download_file('"
            + p.resolve("inventory.yaml")
            + "', 'copies', 'localhost'); }\n");
    Cli.Outcome o = Cli.run(p, "plan", "run", "proj::down");
    assertEquals(1, o.code(), o::toString);
    assertTrue(
        o.err().contains("downloads is a symbolic link")
            || o.out().contains("downloads is a symbolic link"),
        o::toString);
    try (var s = Files.list(elsewhere)) {
      assertEquals(0, s.count(), "nothing written through the link");
    }
  }
}
