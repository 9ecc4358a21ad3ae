package dev.jbolt.project;

import dev.jbolt.JboltException;
import dev.jbolt.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Edits of the project's files that keep what users wrote: comments, order, layout. */
public final class ProjectFiles {
  private ProjectFiles() {}

  /** The file {@code module add} edits: the project's own (bolt-project.yaml too), or a new one. */
  public static Path projectFile(Project project) {
    return project.file() != null ? project.file() : project.dir().resolve(Project.PROJECT_FILE);
  }

  /**
   * Appends {@code - git: URL / ref: REF} to {@code modules:} in the project file, as text, so that
   * comments and layout stay. The result is parsed again before it is written.
   */
  public static void addModule(Project project, String url, String ref, String name) {
    Path f = projectFile(project);
    String label = f.getFileName().toString();
    String text;
    try {
      text = Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      throw new JboltException(label + ": cannot read: " + e.getMessage());
    }
    String item =
        "  - git: "
            + quote(url)
            + "\n    ref: "
            + quote(ref)
            + "\n"
            + (name == null ? "" : "    name: " + name + "\n");
    List<String> lines = new ArrayList<>(text.lines().toList());
    int at = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).matches("modules:\\s*(#.*)?")) {
        at = i;
      } else if (lines.get(i).matches("modules:\\s*\\[\\s*]\\s*(#.*)?")) {
        lines.set(i, "modules:");
        at = i;
      } else if (lines.get(i).startsWith("modules:")) {
        throw new JboltException(
            label
                + ":"
                + (i + 1)
                + ": 'modules' is written in a form jbolt cannot add to; add the module by hand");
      }
    }
    String updated;
    if (at < 0) {
      updated = text + (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + "modules:\n" + item;
    } else {
      int end =
          at + 1; // the block ends at the next line that starts at column 0 (a key or a comment)
      while (end < lines.size()
          && (lines.get(end).isBlank()
              || lines.get(end).startsWith(" ")
              || lines.get(end).startsWith("-"))) {
        end++;
      }
      while (end > at + 1 && lines.get(end - 1).isBlank()) {
        end--;
      }
      lines.add(end, item.stripTrailing());
      updated = String.join("\n", lines) + "\n";
    }
    Yaml.parse(updated, label); // never write a file that no longer parses
    try {
      Files.writeString(f, updated);
    } catch (IOException e) {
      throw new JboltException(label + ": cannot write: " + e.getMessage());
    }
  }

  private static String quote(String s) {
    return s.matches("[A-Za-z0-9_./:@~+-]+") && !s.matches("\\d+(\\.\\d+)?")
        ? s
        : "'" + s.replace("'", "''") + "'";
  }

  /** The project file {@code project init} writes (%s: the name). */
  private static final String PROJECT_SKELETON =
      """
          # jbolt project file (see docs/modules.md in jbolt)
          name: %s

          # Task modules shared in git: 'jbolt module install' puts them in .modules/ and
          # records their commits in jbolt-project.lock (commit that file).
          modules: []
          #  - git: https://git.example.com/ops/jbolt-modules-nginx.git
          #    ref: v1.2.0

          # concurrency: 100
          """;

  /** The inventory {@code project init} writes: localhost, and commented examples. */
  private static final String INVENTORY_SKELETON =
      """
          # Inventory (Bolt's format, version 2). 'jbolt inventory show' lists the targets.
          targets:
            - localhost            # this machine, without SSH

          # groups:
          #   - name: web
          #     targets:
          #       - 'web[01-20].example.com'   # a range: web01 ... web20
          #   - name: db
          #     targets:
          #       - name: db1
          #         uri: ssh://admin@10.0.0.5:2222
          #         alias: primary

          # config:
          #   ssh:
          #     user: deploy
          #     private-key: ~/.ssh/id_ed25519
          #     host-key-check: true      # or accept-new
          #     run-as: root
          """;

  /** {@code jbolt project init}: a project skeleton; nothing that exists is overwritten. */
  public static List<Path> init(Path dir, String name) {
    if (!name.matches(ModuleSpec.NAME)) {
      throw new JboltException(
          "project name '"
              + name
              + "' must start with a lowercase letter and hold only"
              + " lowercase letters, digits and '_'");
    }
    for (String f : List.of(Project.PROJECT_FILE, Project.INVENTORY_FILE)) {
      if (Files.exists(dir.resolve(f))) {
        throw new JboltException(dir.resolve(f) + " exists already: not overwriting it");
      }
    }
    List<Path> made = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      made.add(
          Files.writeString(dir.resolve(Project.PROJECT_FILE), PROJECT_SKELETON.formatted(name)));
      made.add(Files.writeString(dir.resolve(Project.INVENTORY_FILE), INVENTORY_SKELETON));
      for (String d : List.of("tasks", "plans")) {
        Path p = dir.resolve(d);
        if (!Files.exists(p)) {
          made.add(Files.createDirectories(p));
        }
      }
      Path ignore = dir.resolve(".gitignore");
      if (!Files.exists(ignore)) {
        made.add(Files.writeString(ignore, ".modules/\n.jbolt/\ndownloads/\n"));
      }
    } catch (IOException e) {
      throw new JboltException("cannot create the project in " + dir + ": " + e.getMessage());
    }
    return made;
  }
}
