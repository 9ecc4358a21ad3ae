package dev.jbolt.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jbolt.transport.OutputListener.Stream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PidFilterTest {
  private static void feed(PidFilter f, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (byte x : b) { // byte by byte: the worst split a channel can deliver
      f.output(Stream.STDERR, new byte[] {x}, 0, 1);
    }
  }

  @Test
  void theMarkerLineIsTakenOutAndWhatTheShellSaidFirstPasses() {
    Exec.Collector c = new Exec.Collector(null);
    PidFilter f = new PidFilter("jbolt-pid-ab", c);
    feed(f, "bash: warning: setlocale\njbolt-pid-ab 4242\nreal error\nno newline");
    f.finish();
    assertEquals("4242", f.pid());
    assertEquals("bash: warning: setlocale\nreal error\nno newline", c.result(0).stderrText());
  }

  @Test
  void withoutTheMarkerEverythingPassesAndTheShellNeverRan() {
    Exec.Collector c = new Exec.Collector(null);
    PidFilter f = new PidFilter("jbolt-pid-ab", c);
    feed(f, "This account is currently not available.\njbolt-pid-ab notanumber\n");
    f.finish();
    assertNull(f.pid());
    assertFalse(f.sawMarker());
    assertEquals(
        "This account is currently not available.\njbolt-pid-ab notanumber\n",
        c.result(1).stderrText());
  }

  @Test
  void theSearchEndsAfterItsBudget() {
    Exec.Collector c = new Exec.Collector(null);
    PidFilter f = new PidFilter("jbolt-pid-ab", c);
    String noise = "x".repeat(PidFilter.SEARCH + 10) + "\njbolt-pid-ab 7\n";
    feed(f, noise);
    f.finish();
    assertNull(f.pid());
    assertEquals(noise, c.result(0).stderrText());
  }
}
