package dev.jbolt.plan;

import dev.jbolt.JboltException;
import dev.jbolt.files.LocalFiles;
import dev.jbolt.project.Project;
import dev.jbolt.task.ModulePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The local files a plan names: sources of uploads and scripts (absolute, relative to the project,
 * or MODULE/PATH in a module's files/), and where downloads go (under PROJECT/downloads). A
 * relative path never leaves the directory it is relative to, by {@code ..} or by a link.
 */
final class PlanFiles {
  private final Project project;
  private final ModulePath modules;
  private final Path cwd;

  PlanFiles(Project project, ModulePath modules, Path cwd) {
    this.project = project;
    this.modules = modules;
    this.cwd = cwd;
  }

  Path local(String ref) {
    Path p = Path.of(ref);
    if (p.isAbsolute()) {
      return p;
    }
    if (project.dir() != null && Files.exists(project.dir().resolve(ref))) {
      return within(project.dir(), ref, "the project");
    }
    int slash = ref.indexOf('/');
    Path module = slash > 0 ? modules.module(ref.substring(0, slash)) : null;
    if (module != null && Files.exists(module.resolve("files").resolve(ref.substring(slash + 1)))) {
      return within(
          module.resolve("files"),
          ref.substring(slash + 1),
          "module " + ref.substring(0, slash) + "'s files/");
    }
    throw new JboltException(
        "file '"
            + ref
            + "' not found (absolute, in the project, or MODULE/PATH in a module's files/)");
  }

  private static Path within(Path root, String rel, String what) {
    try {
      Path real = root.resolve(rel).toRealPath();
      if (!real.startsWith(root.toRealPath())) {
        throw new JboltException("file '" + rel + "' leaves " + what + ": it is " + real);
      }
      return root.resolve(rel);
    } catch (IOException e) {
      throw new JboltException("file '" + rel + "' in " + what + ": " + e.getMessage());
    }
  }

  /**
   * {@code PROJECT/downloads/DESTINATION}, made where missing: a relative path that never leaves
   * PROJECT/downloads, by {@code ..} or by a symbolic link.
   */
  Path downloads(String destination) {
    Path base = (project.dir() != null ? project.dir() : cwd).resolve("downloads");
    if (destination.startsWith("/")) {
      throw new JboltException(
          "download_file: the destination '"
              + destination
              + "' must be a path relative to "
              + base
              + ", where downloads go");
    }
    // PROJECT/downloads itself too: a link there (planted in a shared checkout) would take every
    // download of every plan elsewhere.
    if (Files.isSymbolicLink(base)) {
      throw new JboltException(
          "download_file: "
              + base
              + " is a symbolic link; downloads go only into a real directory there (remove the"
              + " link)");
    }
    String[] parts =
        Arrays.stream(destination.split("/+"))
            .filter(p -> !p.isEmpty() && !p.equals("."))
            .toArray(String[]::new);
    try {
      return LocalFiles.dir(base, parts);
    } catch (IOException e) {
      throw new JboltException(
          "download_file: the destination '"
              + destination
              + "' must stay inside "
              + base
              + ": "
              + e.getMessage());
    }
  }
}
