package dev.jbolt.task;

import dev.jbolt.JboltException;
import dev.jbolt.project.Project;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Where modules are: every {@code --modulepath} entry, the project's {@code modulepath} (default
 * {@code modules/}) and {@code .modules/} (where installed modules go), and the project itself,
 * whose {@code tasks/} and {@code plans/} are the module named by {@code name} in
 * jbolt-project.yaml. The project wins over a module of its own name, as in Bolt; another module
 * name found in two places is an error: which one runs must never depend on search order.
 */
public final class ModulePath {
  private final List<Path> dirs;
  private final Map<String, Path> modules = new LinkedHashMap<>();

  public ModulePath(Project project, List<Path> extra) {
    List<Path> ds = new ArrayList<>(extra);
    ds.addAll(project.modulepath());
    this.dirs = List.copyOf(ds);
    if (project.dir() != null && project.name() != null) {
      modules.put(project.name(), project.dir());
    }
    for (Path dir : dirs) {
      if (!Files.isDirectory(dir)) {
        continue;
      }
      try (Stream<Path> s = Files.list(dir)) {
        for (Path m : s.filter(Files::isDirectory).sorted().toList()) {
          String name = m.getFileName().toString();
          if (!name.matches("[a-z][a-z0-9_]*")) {
            continue;
          }
          Path prev = modules.putIfAbsent(name, m);
          if (prev != null && prev.equals(project.dir()) && name.equals(project.name())) {
            continue; // the project's own content wins over a module of its name, as in Bolt
          }
          if (prev != null && !prev.equals(m)) {
            throw new JboltException(
                "module '"
                    + name
                    + "' is in two places: "
                    + prev
                    + " and "
                    + m
                    + "; remove or rename one");
          }
        }
      } catch (IOException e) {
        throw new JboltException("cannot read modulepath entry " + dir + ": " + e.getMessage());
      }
    }
  }

  public List<Path> dirs() {
    return dirs;
  }

  /** Module names and their directories, in modulepath order. */
  public Map<String, Path> modules() {
    return modules;
  }

  public Path module(String name) {
    return modules.get(name);
  }
}
