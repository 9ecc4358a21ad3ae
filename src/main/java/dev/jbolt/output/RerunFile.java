package dev.jbolt.output;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.jbolt.JboltException;
import dev.jbolt.files.LocalFiles;
import dev.jbolt.result.Json;
import dev.jbolt.result.ResultSet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code .jbolt/rerun.json} in the project, Bolt's {@code .rerun.json}: each run's targets and
 * their status, so that {@code --rerun failure} can target the ones that failed.
 */
public final class RerunFile {
  public static final String PATH = ".jbolt/rerun.json";

  private RerunFile() {}

  public static void write(Path projectDir, ResultSet rs) {
    Path f = projectDir.resolve(PATH);
    try {
      Files.createDirectories(f.getParent());
      List<Map<String, String>> items =
          rs.results().stream()
              .map(r -> Map.of("target", r.target(), "status", r.status()))
              .toList();
      // a temp file of its own and a rename: runs ending together in one project each write a
      // whole file (a shared temp name made one of them fail)
      LocalFiles.write(f, (Json.pretty(items) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new JboltException("cannot write " + f + ": " + e.getMessage());
    }
  }

  /** The target names of the last run with {@code filter}: all, failure or success. */
  public static List<String> read(Path projectDir, String filter) {
    if (projectDir == null) {
      throw new JboltException(
          "--rerun needs a project (its " + PATH + "): run from one or give --project");
    }
    if (!List.of("all", "failure", "success").contains(filter)) {
      throw new JboltException("--rerun takes all, failure or success, not '" + filter + "'");
    }
    Path f = projectDir.resolve(PATH);
    List<Map<String, String>> items;
    try {
      items = Json.mapper().readValue(Files.readString(f), new TypeReference<>() {});
    } catch (NoSuchFileException e) {
      throw new JboltException(
          "no " + PATH + " yet: --rerun repeats on the targets of the last run");
    } catch (IOException e) {
      throw new JboltException(
          PATH + ": unreadable: " + e.getMessage().lines().findFirst().orElse(""));
    }
    List<String> names =
        items.stream()
            .filter(i -> filter.equals("all") || filter.equals(i.get("status")))
            .map(i -> i.get("target"))
            .toList();
    if (names.isEmpty()) {
      throw new JboltException(
          "the last run had no " + (filter.equals("all") ? "" : filter + " ") + "targets");
    }
    return names;
  }
}
