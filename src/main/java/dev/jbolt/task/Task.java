package dev.jbolt.task;

import dev.jbolt.JboltException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A task: {@code mod::name} is {@code MODULE/tasks/name.*} with {@code name.json} as its metadata;
 * {@code mod} alone is {@code mod::init}.
 *
 * @param executables the task's executable files in its tasks/ directory, by file name
 */
public record Task(
    String name,
    String module,
    Path moduleDir,
    TaskMetadata metadata,
    Map<String, Path> executables) {
  /** Finds and reads the task {@code name} on the modulepath. */
  public static Task load(ModulePath path, String name) {
    if (!name.matches("[a-z][a-z0-9_]*(::[a-z][a-z0-9_]*)?")) {
      throw new JboltException(
          "'" + name + "' is not a task name (module::task, or module for module::init)");
    }
    String module = name.contains("::") ? name.substring(0, name.indexOf("::")) : name;
    String short_ = name.contains("::") ? name.substring(name.indexOf("::") + 2) : "init";
    Path dir = path.module(module);
    if (dir == null) {
      throw new JboltException(
              "task '"
                  + name
                  + "' not found: no module '"
                  + module
                  + "' on the modulepath "
                  + path.dirs())
          .withKind("bolt/unknown-task", Map.of("task_name", name));
    }
    Map<String, Path> files = taskFiles(dir.resolve("tasks")).getOrDefault(short_, Map.of());
    if (files.isEmpty()) {
      throw new JboltException("task '" + name + "' not found in " + dir.resolve("tasks"))
          .withKind("bolt/unknown-task", Map.of("task_name", name));
    }
    Task t = of(name.contains("::") ? name : module, module, dir, files);
    if (t.problem() != null) {
      throw new JboltException(t.problem());
    }
    return t;
  }

  /**
   * Why this task cannot run though it is listed (as Bolt lists it): several files and no metadata
   * saying which one to run; null when it can.
   */
  public String problem() {
    return metadata.implementations().isEmpty() && executables.size() > 1
        ? "task '"
            + name
            + "' has several files "
            + executables.keySet()
            + " and no 'implementations' in its metadata to say which to run"
        : null;
  }

  /**
   * Every task of every module, by name; one whose metadata is broken is an error that names its
   * file, one that cannot choose a file to run is listed ({@link #problem}).
   */
  public static Map<String, Task> all(ModulePath path) {
    Map<String, Task> out = new TreeMap<>();
    path.modules()
        .forEach(
            (module, dir) ->
                taskFiles(dir.resolve("tasks"))
                    .forEach(
                        (shortName, files) -> {
                          String name =
                              shortName.equals("init") ? module : module + "::" + shortName;
                          out.put(name, of(name, module, dir, files));
                        }));
    return out;
  }

  private static Task of(String name, String module, Path dir, Map<String, Path> files) {
    Map<String, Path> executables = new TreeMap<>();
    Path metadataFile = null;
    for (var e : files.entrySet()) {
      if (e.getKey().endsWith(".json")) {
        metadataFile = e.getValue();
      } else {
        executables.put(e.getKey(), e.getValue());
      }
    }
    TaskMetadata meta =
        metadataFile == null
            ? TaskMetadata.NONE
            : TaskMetadata.read(
                metadataFile,
                dir.getParent() == null
                    ? metadataFile.toString()
                    : dir.getParent().relativize(metadataFile).toString());
    Map<String, Path> all = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir.resolve("tasks"))) {
      s.filter(Files::isRegularFile).forEach(p -> all.put(p.getFileName().toString(), p));
    } catch (IOException e) {
      throw new JboltException("cannot read " + dir.resolve("tasks") + ": " + e.getMessage());
    }
    for (TaskMetadata.Implementation impl : meta.implementations()) {
      if (!all.containsKey(impl.name())) {
        throw new JboltException(
            "task '"
                + name
                + "': implementation '"
                + impl.name()
                + "' is not a file in "
                + dir.resolve("tasks"));
      }
      executables.put(impl.name(), all.get(impl.name()));
    }
    if (executables.isEmpty()) {
      throw new JboltException("task '" + name + "' has metadata but no file to run");
    }
    return new Task(name, module, dir, meta, executables);
  }

  /**
   * The files of each task in a tasks/ directory, by task name (the file name before its first
   * dot).
   */
  private static Map<String, Map<String, Path>> taskFiles(Path tasksDir) {
    Map<String, Map<String, Path>> out = new TreeMap<>();
    if (!Files.isDirectory(tasksDir)) {
      return out;
    }
    try (Stream<Path> s = Files.list(tasksDir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        String file = p.getFileName().toString();
        int dot = file.indexOf('.');
        String base = dot < 0 ? file : file.substring(0, dot);
        String ext = dot < 0 ? "" : file.substring(file.lastIndexOf('.') + 1);
        if (!base.matches("[a-z][a-z0-9_]*") || (ext.equals("md") || ext.equals("conf"))) {
          continue;
        }
        out.computeIfAbsent(base, k -> new TreeMap<>()).put(file, p);
      }
    } catch (IOException e) {
      throw new JboltException("cannot read " + tasksDir + ": " + e.getMessage());
    }
    return out;
  }

  /** Checks and completes parameters against the metadata (see {@link Params#validate}). */
  public Map<String, Object> validate(Map<String, Object> given) {
    return Params.validate("task " + name, metadata.parameters(), given);
  }

  /** The names of parameters whose values must never be shown. */
  public Set<String> sensitiveParameters() {
    Map<String, TaskMetadata.Param> declared = metadata.parameters();
    if (declared == null) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    declared.values().stream()
        .filter(TaskMetadata.Param::sensitive)
        .forEach(p -> out.add(p.name()));
    return out;
  }
}
