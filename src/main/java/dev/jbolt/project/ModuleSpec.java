package dev.jbolt.project;

import dev.jbolt.JboltException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One entry of {@code modules:} in jbolt-project.yaml (or bolt-project.yaml): {@code {git: URL,
 * ref: REF, name: NAME}}; Bolt's {@code resolve} is accepted (jbolt installs what is listed).
 */
public record ModuleSpec(String name, String git, String ref) {
  public static final String NAME = "[a-z][a-z0-9_]*";

  /** The specs of a project, checked: each has a git URL, and no two share a name. */
  @SuppressWarnings("unchecked")
  public static List<ModuleSpec> of(Project project) {
    String file = project.fileName();
    Object raw = project.settings().get("modules");
    if (raw == null) {
      return List.of();
    }
    if (!(raw instanceof List<?> list)) {
      throw new JboltException(file + ": 'modules' must be a list");
    }
    List<ModuleSpec> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object o : list) {
      String forge =
          o instanceof String str
              ? str
              : o instanceof Map<?, ?> fm && fm.get("git") == null && fm.get("name") != null
                  ? String.valueOf(fm.get("name"))
                  : null;
      if (forge != null) {
        throw new JboltException(forgeOnly(file, forge));
      }
      if (!(o instanceof Map<?, ?> m) || !(m.get("git") instanceof String git) || git.isBlank()) {
        throw new JboltException(
            file + ": each module needs 'git: URL' (jbolt installs modules from git), not " + o);
      }
      checkUrl(git, file);
      Object ref = ((Map<String, Object>) m).getOrDefault("ref", "HEAD");
      String name = m.get("name") == null ? nameFromUrl(git) : String.valueOf(m.get("name"));
      if (!name.matches(NAME)) {
        throw new JboltException(
            file
                + ": module name '"
                + name
                + "' (from "
                + git
                + ") must match "
                + NAME
                + "; give it a 'name'");
      }
      if (!(ref instanceof String)) {
        // YAML made a number of it (0e1234abcd is 0.0, 1.10 is 1.1): the ref as written is lost.
        throw new JboltException(
            file
                + ": module "
                + name
                + ": ref "
                + ref
                + " was read as a number, not as the text you wrote; quote it: ref: '...'");
      }
      checkRef(String.valueOf(ref), file + ": module " + name);
      if (!names.add(name)) {
        throw new JboltException(
            file + ": two modules are named '" + name + "'; give one another 'name'");
      }
      out.add(new ModuleSpec(name, git, String.valueOf(ref)));
    }
    return out;
  }

  /**
   * A Forge module ({@code puppetlabs-facts}, {@code {name: puppetlabs/apache}}): jbolt has no
   * Forge client, so the message says what to write instead.
   */
  private static String forgeOnly(String file, String name) {
    String[] parts = name.split("[-/]", 2);
    String hint =
        parts.length == 2 && parts[0].matches("[A-Za-z0-9_]+") && parts[1].matches(NAME)
            ? " (for example, if that is where it lives: {git: 'https://github.com/"
                + parts[0]
                + "/"
                + parts[0]
                + "-"
                + parts[1]
                + "', ref: 'TAG'})"
            : "";
    return file
        + ": module '"
        + name
        + "' is a Forge module; jbolt installs modules from git only: give its git URL and ref"
        + " instead"
        + hint;
  }

  private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://(.*)$");
  private static final Pattern HELPER = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*::.*");

  /** scp-like {@code [user@]host:path}: a colon before any slash (git's own rule). */
  private static final Pattern SCP = Pattern.compile("^(?:[^@/]+@)?(\\[[^\\]/]+]|[^/:\\[]+):.*");

  /**
   * A module's git URL as git's users write it, and nothing that git could take for an option or
   * for a transport that runs commands: {@code https://}, {@code ssh://}, scp-like {@code
   * host:path}, {@code file://} and local paths. Returns it; refuses anything else.
   */
  public static String checkUrl(String url, String where) {
    String shown = where + ": module git URL '" + url + "'";
    String kinds = "; jbolt takes https://, ssh://, file://, scp-like host:path and local paths";
    if (url == null || url.isBlank()) {
      throw new JboltException(where + ": a module's git URL is empty");
    }
    if (url.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
      throw new JboltException(shown + " holds a control character");
    }
    if (url.startsWith("-")) {
      throw new JboltException(shown + " must not start with '-'" + kinds);
    }
    var scheme = SCHEME.matcher(url);
    if (scheme.matches()) {
      String s = scheme.group(1).toLowerCase(Locale.ROOT);
      if (!List.of("https", "ssh", "file").contains(s)) {
        throw new JboltException(shown + ": the scheme " + s + ":// is not allowed" + kinds);
      }
      String rest = scheme.group(2);
      String host = rest.replaceFirst("^[^@/]*@", "");
      if (host.startsWith("-") || rest.startsWith("-")) {
        throw new JboltException(shown + ": its host must not start with '-'");
      }
      return url;
    }
    if (HELPER.matcher(url).matches()) {
      throw new JboltException(
          shown
              + " names a git transport helper ("
              + url.substring(0, url.indexOf("::") + 2)
              + "), which may run commands"
              + kinds);
    }
    var scp = SCP.matcher(url);
    if (scp.matches() && scp.group(1).startsWith("-")) {
      throw new JboltException(shown + ": its host must not start with '-'");
    }
    return url;
  }

  /** A ref (branch, tag or commit) that git cannot take for an option. */
  public static String checkRef(String ref, String where) {
    if (ref.isBlank() || ref.startsWith("-") || ref.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
      throw new JboltException(
          where
              + ": ref '"
              + ref
              + "' is not a branch, tag or commit name"
              + " (it must not be empty, start with '-' or hold spaces or control characters)");
    }
    return ref;
  }

  /**
   * {@code https://host/org/puppetlabs-apt.git} is module {@code apt}, as Bolt names Forge modules.
   */
  static String nameFromUrl(String url) {
    String base = url.replaceAll("/+$", "");
    base =
        base.substring(Math.max(base.lastIndexOf('/'), base.lastIndexOf(':')) + 1)
            .replaceFirst("\\.git$", "");
    if (base.contains("-")) {
      base = base.substring(base.lastIndexOf('-') + 1);
    }
    return base.toLowerCase();
  }
}
