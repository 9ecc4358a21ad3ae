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

  /** What a channel delivers in one piece or in pieces of any size gives the same result. */
  @Test
  void theSplitOfTheOutputDoesNotMatter() {
    String[] inputs = {
      "bash: warning: setlocale\njbolt-pid-ab 4242\nreal error\nno newline",
      "jbolt-pid-ab 17\n",
      "jbolt-pid-ab 17",
      "x".repeat(PidFilter.SEARCH - 3) + "\njbolt-pid-ab 7\nafter",
      "x".repeat(PidFilter.SEARCH + 10) + "\njbolt-pid-ab 7\n",
      "\n\njbolt-pid-ab 12 \n\nend\n"
    };
    for (String in : inputs) {
      byte[] b = in.getBytes(StandardCharsets.UTF_8);
      String want = null;
      String wantPid = null;
      for (int size : new int[] {1, 2, 3, 7, 64, 4096, b.length}) {
        Exec.Collector c = new Exec.Collector(null);
        PidFilter f = new PidFilter("jbolt-pid-ab", c);
        for (int i = 0; i < b.length; i += size) {
          f.output(Stream.STDERR, b, i, Math.min(size, b.length - i));
        }
        f.finish();
        String got = c.result(0).stderrText();
        if (want == null) {
          want = got;
          wantPid = f.pid();
        }
        assertEquals(want, got, "pieces of " + size);
        assertEquals(wantPid, f.pid(), "pieces of " + size);
      }
    }
  }
}
