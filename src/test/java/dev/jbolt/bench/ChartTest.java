package dev.jbolt.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ChartTest {
  @Test
  void barsAreTheMediansToScaleWithTheRatioToTheFirstRow() {
    Map<String, List<Double>> times = new LinkedHashMap<>();
    times.put("jbolt", List.of(1000.0, 1200.0, 1100.0));
    times.put("pdsh <fast>", List.of(4400.0, 4000.0, 4500.0));
    String svg = Chart.svg("W1: `true` on 10 targets", times, "%.2f s");
    Matcher bar = Pattern.compile("<rect x=\"300\" y=\"\\d+\" width=\"([0-9.]+)\"").matcher(svg);
    assertTrue(bar.find());
    double jbolt = Double.parseDouble(bar.group(1));
    assertTrue(bar.find());
    double pdsh = Double.parseDouble(bar.group(1));
    assertEquals(4.0, pdsh / jbolt, 0.01); // medians 1.1 s and 4.4 s
    assertTrue(svg.contains("4.40 s (4.00x)"), svg);
    assertTrue(svg.contains("pdsh &lt;fast&gt;"), svg);
    assertEquals(6, svg.split("<circle").length - 1, "a dot per run");
    assertEquals("w1-true-on-10-targets", Chart.slug("W1: `true` on 10 targets"));
  }
}
