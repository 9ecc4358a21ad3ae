package dev.jbolt.output;

import dev.jbolt.result.Printable;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * What a plan shows while it runs: each step as it starts and finishes (human format only), and its
 * messages (to stdout, or to stderr with --format json, as Bolt does).
 */
public final class PlanOutput {
  private final PrintStream out;
  private final PrintStream err;
  private final boolean json;
  private final boolean verbose;

  public PlanOutput(PrintStream out, PrintStream err, boolean json, boolean verbose) {
    this.out = out;
    this.err = err;
    this.json = json;
    this.verbose = verbose;
  }

  public void step(String line) {
    if (!json) {
      synchronized (out) {
        out.println(Printable.text(line)); // names a step's targets
      }
    }
  }

  public void starting(String what, String description, List<String> targets) {
    String on = targets.size() > 5 ? targets.size() + " targets" : String.join(", ", targets);
    step(
        "Starting: "
            + (description != null ? description : what)
            + (targets.isEmpty() ? "" : " on " + on));
  }

  public void finished(String what, String description, int failures, long millis) {
    step(
        String.format(
            Locale.ROOT,
            "Finished: %s with %d failure%s in %.2f s",
            description != null ? description : what,
            failures,
            failures == 1 ? "" : "s",
            millis / 1000.0));
  }

  public void message(String level, String text) {
    switch (level) {
      case "message" -> print(text);
      case "verbose", "info" -> {
        if (verbose) {
          print(text);
        }
      }
      case "warn", "error" -> {
        synchronized (err) {
          err.println(level + ": " + text);
        }
      }
      default -> {
        // trace and debug go nowhere without a log file
      }
    }
  }

  private void print(String text) {
    PrintStream s = json ? err : out;
    synchronized (s) {
      s.println(text);
    }
  }
}
