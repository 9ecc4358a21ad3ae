package dev.jbolt.output;

import dev.jbolt.exec.RunListener;
import dev.jbolt.result.Json;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;

/**
 * Bolt's JSON: {@code {"items":[...],"target_count":N,"elapsed_time":S}}, streamed: each item is
 * printed as its target finishes, so a long run can be read as it goes.
 */
public final class JsonOutput implements RunListener {
  private final PrintStream out;
  private boolean first = true;

  /** Set free when the heap runs out while an item is written, so that it can still be closed. */
  private byte[] reserve = new byte[1 << 20];

  public JsonOutput(PrintStream out) {
    this.out = out;
  }

  public void begin() {
    out.print("{\"items\":[");
    out.flush();
  }

  /**
   * Writes one item as it is walked (output streamed from memory or its spill file). A write that
   * fails half-way (out of memory, a spill file gone) is closed where it stands, so that the JSON
   * stays valid and the item is there, if cut short.
   */
  @Override
  public synchronized void finished(Result r) {
    out.print(first ? "\n" : ",\n");
    first = false;
    Json.Writer w = new Json.Writer(out, false);
    try {
      w.write(r.toMap());
    } catch (IOException | UncheckedIOException | OutOfMemoryError e) {
      reserve = null;
      try {
        w.abort();
      } catch (IOException ignored) {
        // a PrintStream does not throw
      }
    }
    out.flush();
  }

  public synchronized void end(ResultSet rs) {
    out.print(first ? "" : "\n");
    out.println(
        "],\"target_count\":"
            + rs.count()
            + ",\"elapsed_time\":"
            + rs.elapsedMillis() / 1000
            + "}");
    out.flush();
  }
}
