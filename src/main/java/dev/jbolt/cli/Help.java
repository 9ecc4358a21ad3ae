package dev.jbolt.cli;

import dev.jbolt.result.Json;
import dev.jbolt.task.TaskMetadata;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** What {@code task show} and {@code plan show} print: a listing, a usage line, the parameters. */
final class Help {
  private Help() {}

  /** Rows of name and description, the descriptions aligned. */
  static void table(PrintStream out, List<List<String>> rows) {
    int width = rows.stream().mapToInt(r -> r.get(0).length()).max().orElse(0);
    for (List<String> r : rows) {
      out.println(
          (r.get(0) + " ".repeat(width - r.get(0).length() + 4) + r.get(1)).stripTrailing());
    }
  }

  /** {@code jbolt task run NAME a=<value> [b=<value>]}: optional parameters in brackets. */
  static String usage(String command, Map<String, TaskMetadata.Param> params) {
    StringBuilder usage = new StringBuilder(command);
    if (params == null) {
      return usage.append(" [key=value ...]").toString();
    }
    for (TaskMetadata.Param p : params.values()) {
      boolean optional = p.hasDefault() || p.type().acceptsUndef();
      usage
          .append(' ')
          .append(optional ? "[" : "")
          .append(p.name())
          .append("=<value>")
          .append(optional ? "]" : "");
    }
    return usage.toString();
  }

  /** Each parameter with its type, default (never a sensitive one's) and description. */
  static void parameters(PrintStream out, Map<String, TaskMetadata.Param> params) {
    if (params == null || params.isEmpty()) {
      return;
    }
    out.println();
    out.println("PARAMETERS:");
    for (TaskMetadata.Param p : params.values()) {
      String dflt =
          p.hasDefault()
              ? " (default: " + (p.sensitive() ? "sensitive" : Json.write(p.defaultValue())) + ")"
              : "";
      out.println("  " + p.name() + ": " + p.type() + dflt + (p.sensitive() ? " [sensitive]" : ""));
      if (p.description() != null) {
        out.println("      " + p.description());
      }
    }
  }
}
