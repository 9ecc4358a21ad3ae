package dev.jbolt.cli;

import dev.jbolt.project.Project;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine.Option;

/** What a listing (task show, plan show) shows: Bolt's --filter and the project's allow-lists. */
final class ListOpts {
  @Option(
      names = "--filter",
      paramLabel = "TEXT",
      description = "List only the names that contain TEXT (as Bolt's --filter).")
  String filter;

  /**
   * Whether {@code name} is listed: it contains --filter's text, and the project's {@code key} list
   * ('tasks:' or 'plans:' in the project file: names and * globs, as Bolt's), when it has one,
   * allows it.
   */
  boolean listed(String name, Project project, String key) {
    if (filter != null && !name.contains(filter)) {
      return false;
    }
    if (!(project.settings().get(key) instanceof List<?> allowed)) {
      return true;
    }
    for (Object a : allowed) {
      String glob = String.valueOf(a);
      String re =
          Arrays.stream(glob.split("\\*", -1))
              .map(Pattern::quote)
              .collect(Collectors.joining(".*"));
      // A project plan listed as NAME is PROJECT::NAME in Bolt's lists.
      if (name.matches(re)
          || (!name.contains("::") && (project.name() + "::" + name).matches(re))) {
        return true;
      }
    }
    return false;
  }
}
