package dev.jbolt.output;

import dev.jbolt.exec.RunListener;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * {@code --report FILE.html}: one self-contained page of a run (no script, nothing fetched): the
 * summary, a timeline with a bar per target (connecting, then each action in its outcome's colour),
 * the slowest targets, each step's gathered output as the terminal shows it, and the failed targets
 * with their reasons. A plan's or service graph's steps are the same run: one page for all.
 */
public final class HtmlReport {
  private final long origin = System.nanoTime();
  private final Instant started = Instant.now();
  private final List<Step> steps = new ArrayList<>();

  /** When a target's action began, connected (0: no connection made) and ended, in ns. */
  record Span(long start, long connected, long end) {}

  record Step(String label, ResultSet results, Map<String, Span> spans) {}

  /** Times one step's targets; give it to the run, then {@link Timing#done} with its results. */
  public Timing timing(String action, String object) {
    return new Timing(object == null || object.isEmpty() ? action : action + ": " + object);
  }

  /** A step's listener: when each target starts, is connected, and finishes. */
  public final class Timing implements RunListener {
    private final String label;
    private final Map<String, long[]> times = new ConcurrentHashMap<>();

    private Timing(String label) {
      this.label = label;
    }

    @Override
    public void started(Target target) {
      times.put(target.safeName(), new long[] {now(), 0, 0});
    }

    @Override
    public void connected(Target target) {
      long[] t = times.get(target.safeName());
      if (t != null) {
        t[1] = now();
      }
    }

    @Override
    public void finished(Result result) {
      long[] t = times.get(result.target());
      if (t != null) {
        t[2] = now();
      }
    }

    public void done(ResultSet rs) {
      Map<String, Span> spans = new LinkedHashMap<>();
      for (Result r : rs.results()) {
        long[] t = times.get(r.target());
        if (t != null) {
          spans.put(r.target(), new Span(t[0], t[1], t[2] == 0 ? now() : t[2]));
        }
      }
      synchronized (HtmlReport.this) {
        steps.add(new Step(label, rs, spans));
      }
    }

    private long now() {
      return System.nanoTime() - origin;
    }
  }

  /**
   * Writes the page; {@code redact} masks the run's secrets in everything it shows. A page that
   * cannot be written is a warning: the run's own outcome stands.
   */
  public synchronized void write(Path file, UnaryOperator<String> redact, PrintStream warnings) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(file, redact.apply(page()), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      warnings.println("jbolt: warning: cannot write the report " + file + ": " + e.getMessage());
    }
  }

  synchronized String page() {
    long end = System.nanoTime() - origin;
    String title =
        steps.isEmpty()
            ? "jbolt run"
            : steps.get(0).label()
                + (steps.size() == 1 ? "" : " and " + (steps.size() - 1) + " more steps");
    Map<String, Boolean> outcome = new LinkedHashMap<>(); // a target failed if any step did
    for (Step s : steps) {
      for (Result r : s.results().results()) {
        outcome.merge(r.target(), r.ok(), Boolean::logicalAnd);
      }
    }
    List<String> targets = List.copyOf(outcome.keySet());
    long ok = outcome.values().stream().filter(b -> b).count();
    long failed = targets.size() - ok;
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
    // nothing may be fetched: the page is all there is
    h.append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';")
        .append(" style-src 'unsafe-inline'; img-src data:\">\n");
    h.append("<title>jbolt: ").append(esc(title)).append("</title>\n<style>").append(CSS);
    h.append("</style></head><body>\n<h1>").append(esc(title)).append("</h1>\n");
    h.append("<p class=\"summary\"><b>")
        .append(ok)
        .append(" succeeded, ")
        .append(failed)
        .append(" failed, ")
        .append(targets.size())
        .append(" total</b> in ")
        .append(seconds(end))
        .append(" s; started ")
        .append(
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT)
                .format(started.atZone(ZoneId.systemDefault())))
        .append("; ")
        .append(steps.size())
        .append(steps.size() == 1 ? " step" : " steps")
        .append(".</p>\n");
    h.append("<h2>Timeline</h2>\n");
    h.append(
        "<p class=\"legend\"><span class=\"k connect\"></span>connecting"
            + " <span class=\"k ok\"></span>succeeded <span class=\"k failed\"></span>failed"
            + "</p>\n");
    new ReportTimeline(steps, targets, end).svg(h);
    slowest(h);
    failures(h);
    for (Step s : steps) {
      h.append("<h2>").append(esc(s.label())).append("</h2>\n<pre>");
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8);
      new HumanOutput(out, s.results().count() > 1, false, true).print(s.results());
      h.append(esc(text.toString(StandardCharsets.UTF_8))).append("</pre>\n");
    }
    h.append("<p class=\"foot\">Written by ")
        .append(esc(versionText()))
        .append(".</p>\n</body></html>\n");
    return h.toString();
  }

  /** The ten targets that took longest, all steps together. */
  private void slowest(StringBuilder h) {
    Map<String, Long> total = new LinkedHashMap<>();
    for (Step s : steps) {
      s.spans().forEach((t, sp) -> total.merge(t, sp.end() - sp.start(), Long::sum));
    }
    if (total.size() < 2) {
      return;
    }
    h.append("<h2>Slowest targets</h2>\n<table><tr><th>target</th><th>seconds</th></tr>\n");
    total.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .limit(10)
        .forEach(
            e ->
                h.append("<tr><td>")
                    .append(esc(e.getKey()))
                    .append("</td><td class=\"n\">")
                    .append(seconds(e.getValue()))
                    .append("</td></tr>\n"));
    h.append("</table>\n");
  }

  private void failures(StringBuilder h) {
    List<String[]> rows = new ArrayList<>();
    for (Step s : steps) {
      for (Result r : s.results().results()) {
        if (!r.ok() && r.error() != null) {
          rows.add(new String[] {r.target(), s.label(), r.error().kind(), r.error().msg()});
        }
      }
    }
    if (rows.isEmpty()) {
      return;
    }
    h.append("<h2 id=\"failed\">Failed targets (")
        .append(rows.size())
        .append(
            ")</h2>\n<table><tr><th>target</th><th>step</th><th>kind</th><th>reason</th></tr>\n");
    for (String[] r : rows) {
      h.append("<tr class=\"failed\">");
      for (String c : r) {
        h.append("<td>").append(esc(c)).append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</table>\n");
  }

  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        case '\r' -> {} // CRLF output: the line ends all the same
        default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? '\uFFFD' : c);
      }
    }
    return b.toString();
  }

  private static String versionText() {
    String v = HtmlReport.class.getPackage().getImplementationVersion();
    return "jbolt " + (v == null ? "dev" : v);
  }

  private static final String CSS =
      "body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
          + "h1{font-size:1.3em;font-family:monospace}h2{font-size:1.1em;margin-top:1.5em}"
          + "pre{background:#f6f6f6;padding:.7em;overflow:auto;max-height:40em}"
          + "table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2em .5em;"
          + "text-align:left;vertical-align:top}td.n{text-align:right}"
          + "tr.failed td:first-child{color:#b3261e}.foot{color:#888}"
          + ".k{display:inline-block;width:1em;height:.8em;margin:0 .3em 0 .8em}"
          + ".k.connect{background:#9db4d0}.k.ok{background:#2e9d4f}.k.failed{background:#d0453a}";
}
