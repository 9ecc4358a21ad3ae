package dev.jbolt.cli;

import dev.jbolt.inventory.NodeSet;
import dev.jbolt.output.Colour;
import dev.jbolt.output.HumanOutput;
import dev.jbolt.result.Printable;
import dev.jbolt.result.Result;
import dev.jbolt.service.Services;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * MilkCheck's console output: a line per service with its status in a column, the output of a
 * failed action's failed nodes gathered under folded node lists (everything with {@code -v}), and
 * {@code -s}/{@code -r full}'s summary.
 */
final class ServicePrinter implements Services.Listener {
  private static final int MAX_WIDTH = 120; // MilkCheck's widest line
  private static final int STATUS = 9; // "DEP_ERROR"
  private static final java.util.Set<String> FAILED =
      java.util.Set.of("ERROR", "TIMEOUT", "DEP_ERROR");

  private final PrintStream out;
  private final Colour colour;
  private final boolean verbose;
  private final int width;
  private final PrintStream progress; // stderr on a terminal, else null
  private final java.util.Set<String> running = new java.util.TreeSet<>();
  private int drawn; // width of the progress line on screen
  private final List<Services.Outcome> actions = new ArrayList<>();

  /**
   * {@code columns}: the COLUMNS variable, as MilkCheck reads it, else the terminal's width as the
   * launcher found it (80 without either).
   */
  ServicePrinter(
      PrintStream out, PrintStream progress, boolean colour, boolean verbose, String columns) {
    this.progress = progress;
    int w = 80;
    try {
      w = columns == null ? 80 : Integer.parseInt(columns.strip());
    } catch (NumberFormatException e) {
      // not a number: MilkCheck's default
    }
    this.width = Math.max(40, Math.min(w, MAX_WIDTH));
    this.out = out;
    this.colour = new Colour(colour);
    this.verbose = verbose;
  }

  /** MilkCheck's line of running services, on stderr, redrawn as they come and go. */
  @Override
  public synchronized void started(String service) {
    running.add(service);
    draw();
  }

  private void clear() {
    if (progress != null && drawn > 0) {
      progress.print("\r" + " ".repeat(drawn) + "\r");
      progress.flush();
      drawn = 0;
    }
  }

  private void draw() {
    clear();
    if (progress != null && !running.isEmpty()) {
      String line = "[" + Printable.name(NodeSet.fold(running)) + "]";
      if (line.length() >= width) {
        line = line.substring(0, width - 4) + "...]";
      }
      progress.print(line);
      progress.flush();
      drawn = line.length();
    }
  }

  @Override
  public synchronized void status(
      String service, String desc, String status, Services.Outcome outcome) {
    running.remove(service);
    clear();
    try {
      line(service, desc, status, outcome);
    } finally {
      draw();
    }
  }

  private void line(String service, String desc, String status, Services.Outcome outcome) {
    if (outcome != null) {
      printAction(outcome);
    }
    if (status.equals("SKIPPED") && !verbose) {
      return;
    }
    String shown = Services.shown(status);
    String label = desc == null ? service : service + " - " + desc;
    int msgWidth = width - (STATUS + 4);
    if (label.length() > msgWidth) {
      label = label.substring(0, msgWidth - 3) + "...";
    }
    String centred = center(shown);
    String col =
        switch (shown) {
          case "OK" -> colour.green(centred);
          case "WARNING", "SKIPPED" -> colour.yellow(centred);
          default -> colour.red(centred);
        };
    out.println(String.format(Locale.ROOT, "%-" + msgWidth + "s", label) + "  [" + col + "]");
  }

  /** Python's str.center, as MilkCheck centres its statuses. */
  private static String center(String s) {
    int marg = STATUS - s.length();
    int left = marg / 2 + (marg & STATUS & 1);
    return " ".repeat(left) + s + " ".repeat(marg - left);
  }

  @Override
  public synchronized void action(Services.Outcome o) {
    clear();
    try {
      printAction(o);
    } finally {
      draw();
    }
  }

  private void printAction(Services.Outcome o) {
    actions.add(o);
    boolean failed = FAILED.contains(o.status());
    if (!(failed || verbose) || o.results().isEmpty()) {
      return;
    }
    out.println(
        String.format(
            Locale.ROOT,
            "%s %s ran in %.2f s",
            o.action(),
            o.service(),
            o.elapsedMillis() / 1000.0));
    Map<String, List<String>> byOutput = new LinkedHashMap<>();
    Map<String, List<String>> byEnd = new LinkedHashMap<>();
    for (Result r : o.results()) {
      if (r.ok() && !verbose) {
        continue;
      }
      byOutput.computeIfAbsent(r.text("merged_output"), k -> new ArrayList<>()).add(r.target());
      String end =
          r.value().containsKey("exit_code")
              ? "exited with " + r.text("exit_code")
              : r.ok() ? "exited with 0" : HumanOutput.reason(r);
      byEnd.computeIfAbsent(end, k -> new ArrayList<>()).add(r.target());
    }
    byOutput.forEach(
        (text, nodes) -> {
          if (!text.isEmpty()) {
            String who = Printable.name(NodeSet.fold(nodes));
            text.lines().forEach(l -> out.println(" > " + who + ": " + l));
          }
        });
    byEnd.forEach(
        (end, nodes) -> {
          String shown = Printable.name(end);
          String e = end.equals("exited with 0") ? colour.green(shown) : colour.red(shown);
          out.println(" > " + Printable.name(NodeSet.fold(nodes)) + " " + e);
        });
  }

  @Override
  public synchronized void dry(String line) {
    out.println(line);
  }

  /** MilkCheck's summary: the actions run, those that failed, and with {@code full} their nodes. */
  synchronized void summary(boolean full) {
    int errors = 0;
    int others = 0;
    List<String> lines = new ArrayList<>();
    List<String> good = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (Services.Outcome o : actions) {
      good.addAll(o.targets());
      if (FAILED.contains(o.status())) {
        errors++;
        bad.addAll(o.failed());
        lines.add(" + " + colour.red(o.service() + "." + o.action()));
        if (full) {
          lines.add("    Target: " + Printable.name(NodeSet.fold(o.failed())));
          lines.add("    Command: " + o.command());
        }
      } else if (!o.status().equals("SKIPPED")) {
        others++;
      }
    }
    int total = errors + others;
    out.println();
    out.println(
        " SUMMARY - " + total + " action" + (total == 1 ? "" : "s") + " (" + errors + " failed)");
    lines.forEach(out::println);
    good.removeAll(bad);
    if (full && !good.isEmpty()) {
      out.println(" + " + colour.green("Success on all services"));
      out.println("    " + Printable.name(NodeSet.fold(good)));
    }
  }
}
