package dev.jbolt.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bench table as an SVG bar chart, beside the Markdown: one bar per tool, its length the median,
 * a dot per run, the ratio to the first row written at its end. Written to {@code $CHARTS} (default
 * docs/images/bench), named after the table's title, so docs/performance.md can show the figures of
 * the run that printed them.
 */
final class Chart {
  private static final int WIDTH = 760;
  private static final int LABELS = 300;
  private static final int ROW = 26;

  private Chart() {}

  /**
   * {@code Chart LOG...}: draws again the charts of bench output saved in LOG (its Markdown
   * tables), say after a change to how charts look: the figures stay the run's own.
   */
  public static void main(String[] args) throws IOException {
    for (String log : args) {
      String title = null;
      String format = "%.2f s";
      Map<String, List<Double>> times = new LinkedHashMap<>();
      for (String line : Files.readAllLines(Path.of(log))) {
        Matcher row =
            Pattern.compile("\\| (.+?) \\| ([0-9.]+) s \\| \\[([0-9., ]+)\\] \\|.*").matcher(line);
        if (line.startsWith("### ")) {
          title = line.substring(4);
          times.clear();
        } else if (title != null && row.matches()) {
          format = "%." + (row.group(2).length() - row.group(2).indexOf('.') - 1) + "f s";
          List<Double> ms = new ArrayList<>();
          for (String x : row.group(3).split(", ")) {
            ms.add(Double.parseDouble(x) * 1000);
          }
          times.put(row.group(1), ms);
        } else if (line.startsWith("chart: ") && title != null) {
          System.out.println("chart: " + write(title, times, format));
          title = null;
        }
      }
    }
  }

  /** {@code times}: each tool's runs in milliseconds, the first tool the one ratios compare to. */
  static Path write(String title, Map<String, List<Double>> times, String secondsFormat)
      throws IOException {
    Path dir = Path.of(System.getenv().getOrDefault("CHARTS", "docs/images/bench"));
    Files.createDirectories(dir);
    Path file = dir.resolve(slug(title) + ".svg");
    Files.writeString(file, svg(title, times, secondsFormat));
    return file;
  }

  static String slug(String title) {
    String s = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    s = s.replaceAll("^-|-$", "");
    return s.length() > 60 ? s.substring(0, 60).replaceAll("-$", "") : s;
  }

  static String svg(String title, Map<String, List<Double>> times, String secondsFormat) {
    double max = 0;
    for (List<Double> runs : times.values()) {
      for (double r : runs) {
        max = Math.max(max, r);
      }
    }
    double base = Bench.median(times.values().iterator().next());
    double scale = (WIDTH - LABELS - 130) / Math.max(max, 1);
    int height = 40 + ROW * times.size() + 10;
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\""
                + " viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
                + "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
                + "<text x=\"8\" y=\"20\" font-weight=\"bold\">%s</text>\n",
            WIDTH,
            height,
            WIDTH,
            height,
            esc(title.replace("`", ""))));
    int i = 0;
    for (var e : times.entrySet()) {
      double m = Bench.median(e.getValue());
      double last = e.getValue().stream().mapToDouble(Double::doubleValue).max().orElse(m);
      int y = 36 + i * ROW;
      String fill = i == 0 ? "#2e6fbd" : "#9aa5b1";
      s.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n"
                  + "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>\n"
                  + "<text x=\"%.1f\" y=\"%d\">"
                  + secondsFormat
                  + " (%.2fx)</text>\n",
              LABELS - 8,
              y + 15,
              esc(e.getKey()),
              LABELS,
              y + 3,
              Math.max(m * scale, 1),
              ROW - 8,
              fill,
              LABELS + Math.max(Math.max(m, last) * scale, 1) + 8,
              y + 15,
              m / 1000,
              m / base));
      for (double r : e.getValue()) {
        s.append(
            String.format(
                Locale.ROOT,
                "<circle cx=\"%.1f\" cy=\"%d\" r=\"2.5\" fill=\"#222\"/>\n",
                LABELS + r * scale,
                y + 3 + (ROW - 8) / 2));
      }
      i++;
    }
    s.append("</svg>\n");
    return s.toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
