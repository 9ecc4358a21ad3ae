package dev.jbolt.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.result.Json;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * .jbolt/rerun.json written by runs that end at the same moment in one project
 * (SharedFilesystemTest saw "cannot write ... rerun.json.tmp -> rerun.json": every writer used the
 * same temp file).
 */
class RerunFileTest {
  @TempDir Path project;

  @Test
  void runsEndingTogetherEachWriteAWholeFile() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        String target = "t" + w;
        writes.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 100; i++) {
                    RerunFile.write(
                        project,
                        new ResultSet(
                            List.of(new Result(target, "command", "x", Map.of(), null, 0, 1)), 1));
                  }
                  return null;
                }));
      }
      for (Future<?> f : writes) {
        f.get(); // a writer that failed throws here
      }
    } finally {
      pool.shutdownNow();
    }
    var json = Json.mapper().readTree(Files.readString(project.resolve(RerunFile.PATH)));
    assertEquals(1, json.size(), json::toString);
    assertTrue(json.get(0).get("target").asText().startsWith("t"));
    try (var left = Files.list(project.resolve(".jbolt"))) {
      assertEquals(List.of("rerun.json"), left.map(p -> p.getFileName().toString()).toList());
    }
  }
}
