package dev.jbolt.session;

import dev.jbolt.JboltException;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.output.RerunFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** The {@code -t} values of a command line, with Bolt's lists from a file or stdin read. */
final class TargetLists {
  private TargetLists() {}

  /**
   * The target spec of {@code -t} values or of {@code --rerun FILTER} (the last run's, from the
   * project's rerun file): at most one of the two; null for neither.
   */
  static String spec(
      List<String> specs, String rerun, Path project, Console console, Supplier<Inventory> inv) {
    if (rerun != null && !specs.isEmpty()) {
      throw new JboltException("give targets with either --targets or --rerun, not both");
    }
    if (rerun != null) {
      return String.join(",", RerunFile.read(project, rerun));
    }
    return specs.isEmpty() ? null : spec(specs, console, inv);
  }

  /** The values joined into one target spec. */
  static String spec(List<String> specs, Console console, Supplier<Inventory> inventory) {
    List<String> out = new ArrayList<>();
    for (String spec : specs) {
      out.add(read(spec, console, inventory));
    }
    return String.join(",", out);
  }

  /**
   * Bolt's {@code -t @FILE} and {@code -t -}: the names in a file or on stdin, separated by white
   * space, commas or new lines ({@code #} starts a comment). {@code @NAME} stays jbolt's group
   * syntax when the inventory has that group and there is no such file; both is ambiguous.
   */
  private static String read(String spec, Console console, Supplier<Inventory> inventory) {
    String text;
    String what;
    if (spec.equals("-")) {
      what = "stdin";
      try {
        text = new String(console.in().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new JboltException("--targets -: cannot read stdin: " + e.getMessage());
      }
    } else if (spec.startsWith("@") && spec.length() > 1 && !spec.matches(".*[,\\s].*")) {
      Path file = console.cwd().resolve(spec.substring(1));
      boolean group = inventory.get().hasGroup(spec.substring(1));
      if (!Files.isRegularFile(file)) {
        return spec; // a group (TargetSpec says so when it is not one)
      }
      if (group) {
        throw new JboltException(
            "--targets "
                + spec
                + " is both a group of the inventory and a file: write "
                + spec.substring(1)
                + " for the group, or @./"
                + spec.substring(1)
                + " for the file");
      }
      what = spec.substring(1);
      try {
        text = Files.readString(file);
      } catch (IOException e) {
        throw new JboltException("--targets " + spec + ": cannot read: " + e.getMessage());
      }
    } else {
      return spec;
    }
    List<String> names = new ArrayList<>();
    for (String line : text.split("\n")) {
      String l = line.replaceFirst("(^|\\s)#.*", "").strip();
      if (!l.isEmpty()) {
        names.add(l);
      }
    }
    String joined = String.join(",", names);
    if (joined.isBlank()) {
      throw new JboltException("--targets: " + what + " names no target");
    }
    return joined;
  }
}
