package dev.jbolt.service;

import dev.jbolt.inventory.NodeSet;
import dev.jbolt.output.Colour;
import dev.jbolt.output.HumanOutput;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.result.Printable;
import dev.jbolt.result.Result;
import java.io.PrintStream;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * MilkCheck's console output: a line per service with its status in a column, the output of a
 * failed action's failed nodes gathered under folded node lists, and {@code -s}/{@code -r full}'s
 * summary. The verbosity is MilkCheck's: 0 ({@code -q}) the status lines only; 1 (the default) also
 * what failed; 2 ({@code -v}) also each action's command as it starts, and all of a failed action's
 * output; 3 ({@code -vv}) also every action's output, delays and SKIPPED services.
 */
public final class ServicePrinter implements Services.Listener {
  private static final int MAX_WIDTH = 120; // MilkCheck's widest line
  private static final int STATUS = 9; // "DEP_ERROR"

  private final PrintStream out;
  private final PrintStream err;
  private final Colour colour;
  private final int verbosity;
  private final int width;
  private final PrintStream progress; // stderr on a terminal, else null
  private final Set<String> running = new TreeSet<>();
  private int drawn; // width of the progress line on screen
  private final List<Services.Outcome> actions = new ArrayList<>();

  /**
   * {@code columns}: the COLUMNS variable, as MilkCheck reads it, else the terminal's width as the
   * launcher found it (80 without either).
   */
  public ServicePrinter(
      PrintStream out,
      PrintStream err,
      PrintStream progress,
      boolean colour,
      int verbosity,
      String columns) {
    this.err = err;
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
    this.verbosity = verbosity;
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
      String service, String desc, Status status, Services.Outcome outcome) {
    running.remove(service);
    clear();
    try {
      line(service, desc, status, outcome);
    } finally {
      draw();
    }
  }

  private void line(String service, String desc, Status status, Services.Outcome outcome) {
    if (outcome != null) {
      printAction(outcome);
    }
    if (status == Status.SKIPPED && verbosity < 3) {
      return;
    }
    String shown = status.shown();
    String label = desc == null ? service : service + " - " + desc;
    int msgWidth = width - (STATUS + 4);
    if (label.length() > msgWidth) {
      label = label.substring(0, msgWidth - 3) + "...";
    }
    String centred = center(shown);
    String col =
        switch (status) {
          case DONE -> colour.green(centred);
          case WARNING, SKIPPED -> colour.yellow(centred);
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
    boolean failed = o.status().failed();
    if (o.status() == Status.SKIPPED
        || o.results().isEmpty()
        || !(verbosity >= 3 || failed && verbosity >= 1)) {
      return;
    }
    boolean errorOnly = verbosity == 1;
    out.println(
        String.format(
            Locale.ROOT,
            "%s %s ran in %.2f s",
            colour.magenta(o.action()),
            o.service(),
            o.elapsedMillis() / 1000.0));
    // As MilkCheck gathers ClusterShell's results: the output of the nodes (error only: those
    // that did not exit 0), then the nodes by exit code, then those that timed out. A node
    // jbolt could not reach is one where ssh would have said why and exited 255.
    Map<String, List<String>> byOutput = new LinkedHashMap<>();
    Map<Integer, List<String>> byCode = new TreeMap<>();
    List<String> timeouts = new ArrayList<>();
    for (Result r : o.results()) {
      boolean timeout =
          !r.ok() && r.error() != null && ErrorKind.TIMEOUT.id().equals(r.error().kind());
      int code = exitCode(r);
      String text =
          timeout && r.error().details().get("output") instanceof String partial
              ? partial
              : r.text("merged_output");
      if (!r.ok() && !timeout && !r.value().containsKey("exit_code")) {
        text = HumanOutput.reason(r) + "\n";
      }
      if (!(errorOnly && code == 0 && !timeout) && !text.isEmpty()) {
        byOutput.computeIfAbsent(text, k -> new ArrayList<>()).add(r.target());
      }
      if (timeout) {
        timeouts.add(r.target());
      } else if (!(errorOnly && code == 0)) {
        byCode.computeIfAbsent(code, k -> new ArrayList<>()).add(r.target());
      }
    }
    printGathered(byOutput, byCode, timeouts);
  }

  /** The gathered lines: each output with its nodes, the nodes by exit code, those timed out. */
  private void printGathered(
      Map<String, List<String>> byOutput,
      Map<Integer, List<String>> byCode,
      List<String> timeouts) {
    byOutput.forEach(
        (text, nodes) -> {
          String who = colour.cyan(Printable.name(NodeSet.fold(nodes)));
          text.lines().forEach(l -> out.println(" > " + who + ": " + l));
        });
    byCode.forEach(
        (code, nodes) -> {
          String c = code == 0 ? colour.green("0") : colour.red(String.valueOf(code));
          out.println(
              " > " + colour.cyan(Printable.name(NodeSet.fold(nodes))) + " exited with " + c);
        });
    if (!timeouts.isEmpty()) {
      out.println(
          " > "
              + colour.cyan(Printable.name(NodeSet.fold(timeouts)))
              + " has "
              + colour.red("timeout"));
    }
  }

  private static int exitCode(Result r) {
    Object c = r.value().get("exit_code");
    if (c instanceof Number n) {
      return n.intValue();
    }
    return r.ok() ? 0 : 255;
  }

  /** MilkCheck's {@code -v}: an action's command, as it starts. */
  @Override
  public synchronized void command(String action, String service, String target, String cmd) {
    if (verbosity >= 2) {
      actionLine(
          action,
          service,
          "on",
          Printable.name(target) + "\n > " + colour.cyan(Printable.text(cmd)));
    }
  }

  /** MilkCheck's {@code -vv}: its log line for a command whose variables were replaced. */
  @Override
  public synchronized void resolved(String before, String after) {
    if (verbosity >= 3) {
      err.println(
          log(
              "INFO",
              "Variable content '"
                  + Printable.text(before)
                  + "' replaced by '"
                  + Printable.text(after)
                  + "'"));
    }
  }

  /** MilkCheck's {@code -vv}: an action that waits its delay first. */
  @Override
  public synchronized void delayed(String action, String service, Object delay) {
    if (verbosity >= 3) {
      actionLine(action, service, "will fire in", delay + " s");
    }
  }

  /** MilkCheck's "ACTION SERVICE WORD REST", above the progress line. */
  private void actionLine(String action, String service, String word, String rest) {
    clear();
    out.println(colour.magenta(action) + " " + service + " " + colour.magenta(word) + " " + rest);
    draw();
  }

  @Override
  public synchronized void dry(String line) {
    out.println(line);
  }

  /** MilkCheck's summary: the actions run, those that failed, and with {@code full} their nodes. */
  public synchronized void summary(boolean full) {
    int errors = 0;
    int others = 0;
    List<String> lines = new ArrayList<>();
    List<String> good = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (Services.Outcome o : actions) {
      good.addAll(o.targets());
      if (o.status().failed()) {
        errors++;
        bad.addAll(o.failed());
        String label = o.service() + "." + o.action() + (o.desc() == null ? "" : " - " + o.desc());
        lines.add(" + " + colour.red(label.strip()));
        if (full) {
          lines.add("    Target: " + Printable.name(NodeSet.fold(o.failed())));
          lines.add("    Command: " + o.command());
        }
      } else if (o.status() != Status.SKIPPED) {
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

  /** A line as MilkCheck's logger writes it: {@code [HH:MM:SS] LEVEL - message}. */
  public static String log(String level, String message) {
    return "["
        + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss"))
        + "] "
        + String.format(Locale.ROOT, "%-8s", level)
        + " - "
        + message;
  }
}
