package dev.jbolt.plan;

import dev.jbolt.JboltException;
import dev.jbolt.project.Project;
import dev.jbolt.task.ModulePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A plan: a JavaScript module, or a Bolt YAML plan ({@code .yaml}), which runs as the JavaScript it
 * compiles to. {@code plans/NAME.js} in the project is plan {@code NAME} (also {@code
 * PROJECT::NAME}); {@code MODULE/plans/x.js} is {@code MODULE::x}, {@code plans/a/b.js} {@code
 * MODULE::a::b}, and {@code init.js} names its directory. A name with both a .js and a .yaml file
 * is an error; a Puppet-language {@code .pp} plan is listed, never run.
 */
public record Plan(String name, Path file) {
  /** Whether this is a Bolt YAML plan. */
  public boolean isYaml() {
    return file.getFileName().toString().endsWith(".yaml");
  }

  /** Whether this is a Puppet-language plan, listed (as Bolt lists it) but not run. */
  public boolean isPuppet() {
    return file.getFileName().toString().endsWith(".pp");
  }

  public static Plan find(Project project, ModulePath modules, String name) {
    if (!name.matches("[a-z][a-z0-9_]*(::[a-z][a-z0-9_]*)*")) {
      throw new JboltException("'" + name + "' is not a plan name (name, or module::name)");
    }
    Map<String, Plan> all = all(project, modules);
    Plan p = all.get(name);
    if (p == null && project.name() != null && name.startsWith(project.name() + "::")) {
      p = all.get(name.substring(project.name().length() + 2));
    }
    if (p == null) {
      throw new JboltException("plan '" + name + "' not found: " + looked(project, modules, name))
          .withKind("bolt/unknown-plan", Map.of("plan_name", name));
    }
    if (p.isPuppet()) {
      throw new JboltException(
          "plan '"
              + name
              + "' is a Puppet-language plan ("
              + p.file()
              + "), which jbolt cannot run: it needs Puppet's compiler; write it as a JavaScript"
              + " or YAML plan (docs/plans.md)");
    }
    return p;
  }

  /** Where plan {@code name} was looked for, for the "not found" message. */
  private static String looked(Project project, ModulePath modules, String name) {
    String[] parts = name.split("::");
    List<String> places = new ArrayList<>();
    String rest = String.join("/", Arrays.copyOfRange(parts, 1, parts.length));
    if (project.dir() != null) {
      String rel =
          project.name() != null && parts[0].equals(project.name()) && parts.length > 1
              ? rest
              : String.join("/", parts);
      places.add(project.dir().resolve("plans").resolve(rel) + ".{js,yaml}");
      places.add(project.dir().resolve("plans").resolve(rel).resolve("init") + ".{js,yaml}");
    }
    Path module = modules.module(parts[0]);
    if (module != null) {
      Path base = module.resolve("plans").resolve(parts.length == 1 ? "init" : rest);
      places.add(base + ".{js,yaml}");
      if (parts.length > 1) {
        places.add(base.resolve("init") + ".{js,yaml}");
      }
    } else if (parts.length > 1 && (project.name() == null || !parts[0].equals(project.name()))) {
      places.add("no module '" + parts[0] + "' on the modulepath " + modules.dirs());
    }
    return "looked for " + String.join(", ", places);
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

  /**
   * The plans under {@code dir}, as Bolt names them: {@code x.js} is {@code MODULE::x}, {@code
   * a/b.yaml} {@code MODULE::a::b}, {@code a/init.yaml} {@code MODULE::a}, top-level {@code init}
   * {@code MODULE} ({@code prefix} is the name so far: the module's, or none in the project).
   */
  private static void scan(Path dir, String prefix, Map<String, Plan> out) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    List<Path> entries;
    try (Stream<Path> s = Files.list(dir)) {
      entries = s.sorted().toList();
    } catch (IOException e) {
      throw new JboltException("cannot read " + dir + ": " + e.getMessage());
    }
    Map<String, Plan> puppet = new TreeMap<>();
    for (Path f : entries) {
      String file = f.getFileName().toString();
      if (Files.isDirectory(f)) {
        if (file.matches("[a-z][a-z0-9_]*")) {
          scan(f, prefix == null ? file : prefix + "::" + file, out);
        }
        continue;
      }
      if (!file.matches("[a-z][a-z0-9_]*\\.(js|yaml|pp)") || !Files.isRegularFile(f)) {
        continue;
      }
      String base = file.substring(0, file.lastIndexOf('.'));
      String name =
          base.equals("init") && prefix != null
              ? prefix
              : prefix == null ? base : prefix + "::" + base;
      Plan plan = new Plan(name, f);
      if (plan.isPuppet()) {
        puppet.put(name, plan);
        continue;
      }
      Plan before = out.put(name, plan);
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
    puppet.forEach(out::putIfAbsent); // a .pp beside a .js or .yaml of its name: the runnable one
  }
}
