package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.service.MilkCheckConf;
import dev.jbolt.service.ServicePrinter;
import dev.jbolt.session.Console;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;

/**
 * {@code jbolt milkcheck}, and {@code milkcheck} (the launcher started under that name):
 * MilkCheck's command line, configuration file ({@link MilkCheckConf}), default configuration
 * directory, messages and exit codes, over jbolt's service engine. {@code jbolt service} takes the
 * same options with jbolt's conventions.
 */
@Command(
    name = "milkcheck",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "MilkCheck's drop-in: run ACTION on the services of MilkCheck's configuration directory"
          + " (config_dir of /etc/milkcheck/milkcheck.conf, else /etc/milkcheck/conf, or -c DIR),"
          + " as MilkCheck does. Without an action, check the configuration.",
      "Exit 0 when every service is OK, 3 when some only warned, 6 when one failed, 9 for an"
          + " error in the options or the configuration, 12 for an internal error."
    })
final class MilkCheck extends ServiceCmd {
  MilkCheck(Console ctx) {
    super(ctx);
  }

  @Override
  boolean milkcheck() {
    return true;
  }

  /** The configuration file: JBOLT_MILKCHECK_CONF, else MilkCheck's own path. */
  static MilkCheckConf conf(Console ctx, int verbosity) {
    MilkCheckConf conf = MilkCheckConf.read(ctx.env());
    if (!conf.found() && verbosity >= 2) {
      ctx.err()
          .println(
              ServicePrinter.log("WARNING", "Configuration file " + conf.file() + " not found"));
    }
    return conf;
  }

  /** MilkCheck's question for an action of confirm_actions; no answer, or not yes, aborts. */
  static void confirm(Console ctx, String action) {
    ctx.out().print("Are you sure to run " + action + " action? (y/N) ");
    ctx.out().flush();
    String answer;
    try {
      answer =
          new BufferedReader(new InputStreamReader(ctx.in(), StandardCharsets.UTF_8)).readLine();
    } catch (IOException e) {
      answer = null;
    }
    if (answer == null) {
      ctx.out().println();
    }
    String a = answer == null ? "" : answer.strip().toLowerCase(Locale.ROOT);
    if (!a.equals("y") && !a.equals("yes")) {
      throw new JboltException("Execution aborted by user");
    }
  }

  /**
   * What MilkCheck's debug level prints of its configuration: every setting, sorted, its value as
   * Python writes it.
   */
  static String dump(ServiceCmd c, MilkCheckConf conf, String report) {
    Map<String, String> m = new TreeMap<>();
    m.put("assumeyes", py(c.assumeYes));
    m.put("config_dir", c.configDir != null ? c.configDir.toString() : conf.configDir().toString());
    m.put("confirm_actions", py(conf.confirmActions()));
    m.put("dryrun", py(c.dryRun));
    m.put("fanout", String.valueOf(conf.fanout()));
    m.put("nodeps", py(c.nodeps));
    m.put("report", report);
    m.put(
        "reverse_actions", py(c.reverse != null ? List.copyOf(c.reverse) : conf.reverseActions()));
    m.put("summary", "False");
    m.put(
        "tags",
        c.tags.isEmpty()
            ? "set()"
            : "{" + String.join(", ", c.tags.stream().map(t -> "'" + t + "'").toList()) + "}");
    m.put("verbosity", String.valueOf(c.verbosity()));
    if (!c.defines.isEmpty()) {
      m.put("defines", py(c.defines));
    }
    if (!c.excludedServices.isEmpty()) {
      m.put("excluded_svc", py(c.excludedServices));
    }
    if (c.only != null) {
      m.put("only_nodes", c.only);
    }
    if (c.exclude != null) {
      m.put("excluded_nodes", c.exclude);
    }
    if (c.graph) {
      m.put("graph", "True");
    }
    StringBuilder b = new StringBuilder();
    m.forEach((k, v) -> b.append(b.isEmpty() ? "" : "\n").append(k).append(": ").append(v));
    return b.toString();
  }

  private static String py(boolean b) {
    return b ? "True" : "False";
  }

  private static String py(List<String> l) {
    return "[" + String.join(", ", l.stream().map(s -> "'" + s + "'").toList()) + "]";
  }
}
