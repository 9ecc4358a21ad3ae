package dev.jbolt.project;

import dev.jbolt.JboltException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** One entry of {@code modules:} in jbolt-project.yaml: {@code {git: URL, ref: REF, name: NAME}}. */
public record ModuleSpec(String name, String git, String ref) {
  static final String NAME = "[a-z][a-z0-9_]*";

  /** The specs of a project, checked: each has a git URL, and no two share a name. */
  @SuppressWarnings("unchecked")
  public static List<ModuleSpec> of(Project project) {
    Object raw = project.settings().get("modules");
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      throw new JboltException(Project.PROJECT_FILE + ": 'modules' must be a list");
    }
    List<ModuleSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> m) || !(m.get("git") instanceof String git) || git.isBlank()) {
        throw new JboltException(Project.PROJECT_FILE + ": each module needs 'git: URL' (jbolt installs modules from git), not "
            + o);
      }
      Object ref = ((Map<String, Object>) m).getOrDefault("ref", "HEAD");
      String name = m.get("name") == null ? nameFromUrl(git) : String.valueOf(m.get("name"));
      if (!name.matches(NAME)) {
        throw new JboltException(Project.PROJECT_FILE + ": module name '" + name + "' (from " + git
            + ") must match " + NAME + "; give it a 'name'");
      }
      if (!(ref instanceof String)) {
        // YAML made a number of it (0e1234abcd is 0.0, 1.10 is 1.1): the ref as written is lost.
        throw new JboltException(Project.PROJECT_FILE + ": module " + name + ": ref " + ref
            + " was read as a number, not as the text you wrote; quote it: ref: '...'");
      }
      if (!names.add(name)) {
        throw new JboltException(Project.PROJECT_FILE + ": two modules are named '" + name + "'; give one another 'name'");
      }
      out.add(new ModuleSpec(name, git, String.valueOf(ref)));
    }
    return out;
  }

  /** {@code https://host/org/puppetlabs-apt.git} is module {@code apt}, as Bolt names Forge modules. */
  static String nameFromUrl(String url) {
    String base = url.replaceAll("/+$", "");
    base = base.substring(Math.max(base.lastIndexOf('/'), base.lastIndexOf(':')) + 1).replaceFirst("\\.git$", "");
    if (base.contains("-")) {
      base = base.substring(base.lastIndexOf('-') + 1);
    }
    return base.toLowerCase();
  }
}
