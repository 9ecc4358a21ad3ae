package dev.jbolt.plan;

import dev.jbolt.JboltException;
import dev.jbolt.project.Project;
import dev.jbolt.task.ModulePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A plan: a JavaScript module, or a Bolt YAML plan ({@code .yaml}), which runs as the JavaScript it
 * compiles to. {@code plans/NAME.js} in the project is plan {@code NAME} (also {@code
 * PROJECT::NAME}); {@code MODULE/plans/x.js} is {@code MODULE::x}, and {@code init.js} is {@code
 * MODULE}. A name with both a .js and a .yaml file is an error.
 */
public record Plan(String name, Path file) {
  /** Whether this is a Bolt YAML plan. */
  public boolean isYaml() {
    return file.getFileName().toString().endsWith(".yaml");
  }

  public static Plan find(Project project, ModulePath modules, String name) {
    if (!name.matches("[a-z][a-z0-9_]*(::[a-z][a-z0-9_]*)*")) {
      throw new JboltException("'" + name + "' is not a plan name (name, or module::name)");
    }
    Plan p = all(project, modules).get(name);
    if (p == null && project.name() != null && name.startsWith(project.name() + "::")) {
      p = all(project, modules).get(name.substring(project.name().length() + 2));
    }
    if (p == null) {
      Path bolt = boltPlan(project, modules, name);
      if (bolt != null) {
        throw new JboltException(
            "plan '"
                + name
                + "' is "
                + (bolt.toString().endsWith(".pp")
                    ? "a Puppet-language plan ("
                        + bolt
                        + "), which jbolt cannot run: it needs"
                        + " Puppet's compiler"
                    : "a YAML plan (" + bolt + "), which jbolt does not run yet")
                + "; write it as a JavaScript plan (docs/plans.md)");
      }
      throw new JboltException(
          "plan '"
              + name
              + "' not found (plans are PROJECT/plans/NAME.js and MODULE/plans/NAME.js)");
    }
    return p;
  }

  /** Bolt's Puppet-language file for plan {@code name} ({@code .pp}), if there is one. */
  private static Path boltPlan(Project project, ModulePath modules, String name) {
    String[] parts = name.split("::");
    java.util.List<Path> candidates = new java.util.ArrayList<>();
    if (project.dir() != null) {
      String rel = String.join("/", parts);
      if (project.name() != null && parts.length > 1 && parts[0].equals(project.name())) {
        rel = String.join("/", java.util.Arrays.copyOfRange(parts, 1, parts.length));
      }
      candidates.add(project.dir().resolve("plans").resolve(rel));
    }
    Path module = modules.module(parts[0]);
    if (module != null) {
      candidates.add(
          module
              .resolve("plans")
              .resolve(
                  parts.length == 1
                      ? "init"
                      : String.join("/", java.util.Arrays.copyOfRange(parts, 1, parts.length))));
    }
    for (Path c : candidates) {
      for (String ext : new String[] {".pp"}) {
        Path f = c.resolveSibling(c.getFileName() + ext);
        if (Files.isRegularFile(f)) {
          return f;
        }
      }
    }
    return null;
  }

  /** Every plan by name. */
  public static Map<String, Plan> all(Project project, ModulePath modules) {
    Map<String, Plan> out = new TreeMap<>();
    if (project.dir() != null) {
      scan(project.dir().resolve("plans"), null, out);
    }
    modules
        .modules()
        .forEach(
            (module, dir) -> {
              if (project.dir() == null || !dir.equals(project.dir())) {
                scan(dir.resolve("plans"), module, out);
              }
            });
    return out;
  }

  private static void scan(Path dir, String module, Map<String, Plan> out) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      for (Path f :
          s.filter(
                  p ->
                      (p.toString().endsWith(".js") || p.toString().endsWith(".yaml"))
                          && Files.isRegularFile(p))
              .sorted()
              .toList()) {
        String base = f.getFileName().toString().replaceFirst("\\.(js|yaml)$", "");
        if (!base.matches("[a-z][a-z0-9_]*")) {
          continue;
        }
        String name = module == null ? base : base.equals("init") ? module : module + "::" + base;
        Plan before = out.put(name, new Plan(name, f));
        if (before != null && before.file().getParent().equals(f.getParent())) {
          throw new JboltException(
              "plan '"
                  + name
                  + "' is both "
                  + before.file().getFileName()
                  + " and "
                  + f.getFileName()
                  + " in "
                  + dir
                  + ": keep one");
        }
      }
    } catch (IOException e) {
      throw new JboltException("cannot read " + dir + ": " + e.getMessage());
    }
  }
}
