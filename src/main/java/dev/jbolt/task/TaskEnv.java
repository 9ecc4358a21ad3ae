package dev.jbolt.task;

import dev.jbolt.JboltException;
import dev.jbolt.result.Json;
import dev.jbolt.transport.Posix;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The private file of a task's {@code PT_*} variables ({@code PT_name='value'; export PT_name}
 * lines, sourced before the task runs), within what an environment can carry: too large a value or
 * one with a NUL is bad input for a task that reads only its environment, and left out (with a
 * warning) for one that also reads stdin.
 */
final class TaskEnv {
  private TaskEnv() {}

  /**
   * The file's text for {@code input} (parameters and metaparameters); what was left out is added
   * to {@code warnings}.
   */
  static String file(
      String taskName,
      Map<String, Object> input,
      String inputMethod,
      String implementation,
      List<String> warnings) {
    return lines(fitting(taskName, input, inputMethod, implementation, warnings));
  }

  /**
   * Linux's limits on what a program starts with: one environment string (MAX_ARG_STRLEN,
   * "NAME=value" and its NUL), and, well below ARG_MAX (2 MiB with the usual 8 MiB stack), all of
   * them.
   */
  static final int MAX_ENV_STRING = 128 * 1024;

  static final int MAX_ENV_TOTAL = 1536 * 1024;

  /** The {@code PT_*} variables: strings as they are, everything else as JSON. */
  private static Map<String, String> envVars(Map<String, Object> input) {
    Map<String, String> out = new LinkedHashMap<>();
    input.forEach((k, v) -> out.put("PT_" + k, v instanceof String str ? str : Json.write(v)));
    return out;
  }

  private static int envBytes(String name, String value) {
    return name.length() + 2 + value.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The variables that fit the environment's limits. With {@code environment} as the only input,
   * one that does not fit is bad input (the task could never start: E2BIG); with {@code both}, it
   * is left out of the environment (and said so once), since the task also gets it on stdin.
   */
  private static Map<String, String> fitting(
      String taskName,
      Map<String, Object> params,
      String input,
      String implementation,
      List<String> warnings) {
    Map<String, String> vars = new LinkedHashMap<>(envVars(params));
    List<String> nul = new ArrayList<>();
    vars.entrySet().removeIf(e -> e.getValue().indexOf('\0') >= 0 && nul.add(e.getKey()));
    if (!nul.isEmpty()) {
      String which = String.join(", ", nul.stream().map(n -> n.substring(3)).toList());
      if (input.equals("environment")) {
        throw new JboltException(
            "task "
                + taskName
                + ": parameter "
                + which
                + " holds a NUL character, which an environment variable cannot carry, and "
                + implementation
                + " takes its parameters from the environment only (input_method: environment)");
      }
      warnings.add(
          "task "
              + taskName
              + ": parameter "
              + which
              + " holds a NUL character, which an environment variable cannot carry: its PT_"
              + " variable is left out, and the task gets it on stdin only");
    }
    List<String> tooBig = removeTooBig(vars);
    if (tooBig.isEmpty()) {
      return vars;
    }
    String which = String.join(", ", tooBig.stream().map(n -> n.substring(3)).toList());
    if (input.equals("environment")) {
      throw new JboltException(
          "task "
              + taskName
              + ": parameter "
              + which
              + " is too large for an environment variable"
              + " (Linux takes at most 128 KiB each and about 2 MiB in all), and "
              + implementation
              + " takes its parameters"
              + " from the environment only (input_method: environment); give it a smaller value, or a task that reads"
              + " stdin (input_method: stdin or both)");
    }
    warnings.add(
        "task "
            + taskName
            + ": parameter "
            + which
            + " is too large for the environment: its PT_ variable"
            + " is left out, and the task gets it on stdin only");
    return vars;
  }

  /**
   * Removes from {@code vars} each variable past Linux's limit for one, then the largest ones until
   * the rest fit in the limit for all; gives their names.
   */
  private static List<String> removeTooBig(Map<String, String> vars) {
    List<String> tooBig = new ArrayList<>();
    vars.entrySet()
        .removeIf(
            e -> envBytes(e.getKey(), e.getValue()) > MAX_ENV_STRING && tooBig.add(e.getKey()));
    while (vars.values().stream().mapToLong(v -> v.length()).sum() + 64L * vars.size()
        > MAX_ENV_TOTAL) {
      String largest =
          vars.entrySet().stream()
              .max(Comparator.comparingInt(e -> envBytes(e.getKey(), e.getValue())))
              .orElseThrow()
              .getKey();
      vars.remove(largest);
      tooBig.add(largest);
    }
    return tooBig;
  }

  /** {@code PT_name='value'; export PT_name} lines, sourced before the task runs. */
  private static String lines(Map<String, String> vars) {
    StringBuilder sb = new StringBuilder();
    vars.forEach(
        (name, text) ->
            sb.append(name)
                .append('=')
                .append(Posix.quote(text))
                .append("; export ")
                .append(name)
                .append('\n'));
    return sb.toString();
  }
}
