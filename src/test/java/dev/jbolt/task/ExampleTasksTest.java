package dev.jbolt.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example tasks this repository ships, run over real SSH from the repository's own project. */
class ExampleTasksTest {
  @TempDir Path tmp;

  @Test
  void theShippedExamplesRun() throws Exception {
    Path repo = Path.of("").toAbsolutePath();
    try (Sshd sshd = Sshd.start()) {
      Projects.withInventory(tmp, Projects.sshConfig(sshd) + "targets: [127.0.0.1]\n");
      String[] where = {
        "-t",
        "127.0.0.1",
        "--project",
        repo.toString(),
        "-i",
        tmp.resolve("inventory.yaml").toString(),
        "--format",
        "json"
      };
      Cli.Outcome o = run(tmp, "examples::greet", where, "name=O'Brien", "times=2");
      assertEquals(0, o.code(), o::toString);
      assertEquals("Hello, O'Brien! Hello, O'Brien!", item(o).at("/value/greeting").asText());
      Files.writeString(tmp.resolve("data.txt"), "abc");
      Files.setPosixFilePermissions(
          tmp.resolve("data.txt"), PosixFilePermissions.fromString("rw-r--r--"));
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
      o = run(tmp, "examples::checksum", where, "path=" + tmp.resolve("data.txt"), "algorithm=md5");
      assertEquals(0, o.code(), o::toString);
      assertEquals("900150983cd24fb0d6963f7d28e17f72", item(o).at("/value/checksum").asText());
      o = run(tmp, "examples::checksum", where, "path=/nonexistent");
      assertEquals(1, o.code(), o::toString);
      assertEquals("examples/checksum-error", item(o).at("/value/_error/kind").asText());
      o = run(tmp, "jbolt_examples::disk_usage", where, "path=/tmp");
      assertEquals(0, o.code(), o::toString);
      assertTrue(item(o).at("/value/used_percent").isInt(), o::toString);
    }
  }

  private static JsonNode item(Cli.Outcome o) {
    return o.json().at("/items/0");
  }

  private static Cli.Outcome run(Path cwd, String task, String[] where, String... params) {
    String[] args = new String[3 + params.length + where.length];
    args[0] = "task";
    args[1] = "run";
    args[2] = task;
    System.arraycopy(params, 0, args, 3, params.length);
    System.arraycopy(where, 0, args, 3 + params.length, where.length);
    return Cli.run(cwd, args);
  }
}
