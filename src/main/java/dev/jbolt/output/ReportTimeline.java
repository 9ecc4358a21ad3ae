package dev.jbolt.output;

import dev.jbolt.result.Result;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's timeline, as inline SVG: a row per target, in the run's order, and in it a bar per
 * step, its first part the connecting (light blue), the rest the action in its outcome's colour. A
 * bar's tooltip gives the target, step, times and outcome.
 */
final class ReportTimeline {
  static final String CONNECT = "#9db4d0";
  static final String OK = "#2e9d4f";
  static final String FAILED = "#d0453a";
  private static final int WIDTH = 1100;
  private static final int LABELS = 180;
  private static final int AXIS = 24;

  private final List<HtmlReport.Step> steps;
  private final List<String> targets;
  private final long end;

  ReportTimeline(List<HtmlReport.Step> steps, List<String> targets, long end) {
    this.steps = steps;
    this.targets = targets;
    this.end = Math.max(end, 1);
  }

  void svg(StringBuilder h) {
    // 500 targets still fit a long page; below 10 px a row has no label (the tooltip names it)
    int row = targets.size() <= 60 ? 16 : Math.max(3, 960 / targets.size());
    int height = AXIS + row * targets.size() + 4;
    double scale = (WIDTH - LABELS - 10) / (double) end;
    h.append(
            String.format(
                Locale.ROOT,
                "<svg class=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\""
                    + " height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"monospace\""
                    + " font-size=\"11\">\n",
                WIDTH,
                height,
                WIDTH,
                height))
        .append("<title>one row per target; time runs left to right</title>\n");
    axis(h, scale, height);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < targets.size(); i++) {
      index.put(targets.get(i), i);
      if (row >= 10) {
        h.append(
                String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
                    LABELS - 6,
                    AXIS + i * row + row - 4))
            .append(HtmlReport.esc(clip(targets.get(i))))
            .append("</text>\n");
      }
    }
    for (HtmlReport.Step s : steps) {
      for (Result r : s.results().results()) {
        HtmlReport.Span sp = s.spans().get(r.target());
        Integer i = index.get(r.target());
        if (sp == null || i == null) {
          continue; // cancelled before it started: the failed table says so
        }
        bar(h, s, r, sp, AXIS + i * row + (row >= 6 ? 1 : 0), row >= 6 ? row - 2 : row, scale);
      }
    }
    h.append("</svg>\n");
  }

  /** One target's bar in one step: connecting apart from the action, a tooltip that says both. */
  private static void bar(
      StringBuilder h,
      HtmlReport.Step s,
      Result r,
      HtmlReport.Span sp,
      double y,
      double hgt,
      double scale) {
    double x0 = LABELS + sp.start() * scale;
    double xc = sp.connected() > 0 ? LABELS + sp.connected() * scale : x0;
    double x1 = Math.max(LABELS + sp.end() * scale, xc + 1);
    String tip =
        r.target()
            + ": "
            + s.label()
            + ", "
            + r.status()
            + " at "
            + HtmlReport.seconds(sp.end())
            + " s after "
            + HtmlReport.seconds(sp.end() - sp.start())
            + " s"
            + (sp.connected() > 0
                ? " (connecting " + HtmlReport.seconds(sp.connected() - sp.start()) + " s)"
                : "");
    h.append("<g><title>").append(HtmlReport.esc(tip)).append("</title>");
    if (xc - x0 >= 0.5) {
      rect(h, x0, y, xc - x0, hgt, CONNECT);
    }
    rect(h, xc, y, x1 - xc, hgt, r.ok() ? OK : FAILED);
    h.append("</g>\n");
  }

  /** Seconds along the top, at a round interval giving 5 to 10 ticks. */
  private void axis(StringBuilder h, double scale, int height) {
    double total = end / 1e9;
    double step = Math.pow(10, Math.floor(Math.log10(total)));
    if (total / step < 2.5) {
      step /= 5;
    } else if (total / step < 5) {
      step /= 2;
    }
    for (double t = 0; t <= total + 1e-9; t += step) {
      double x = LABELS + t * 1e9 * scale;
      h.append(
          String.format(
              Locale.ROOT,
              "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e3e3e3\"/>"
                  + "<text x=\"%.1f\" y=\"14\" text-anchor=\"middle\" fill=\"#666\">%s s</text>\n",
              x,
              AXIS - 4,
              x,
              height,
              x,
              trim(t)));
    }
  }

  private static void rect(StringBuilder h, double x, double y, double w, double hgt, String fill) {
    h.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>",
            x,
            y,
            w,
            hgt,
            fill));
  }

  private static String trim(double t) {
    String s = String.format(Locale.ROOT, "%.3f", t);
    return s.replaceFirst("\\.?0+$", "");
  }

  private static String clip(String name) {
    return name.length() <= 24 ? name : name.substring(0, 23) + "…";
  }
}
