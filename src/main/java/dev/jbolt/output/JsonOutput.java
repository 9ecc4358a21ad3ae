package dev.jbolt.output;

import dev.jbolt.exec.RunListener;
import dev.jbolt.result.Json;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import java.io.PrintStream;

/**
 * Bolt's JSON: {@code {"items":[...],"target_count":N,"elapsed_time":S}}, streamed: each item is
 * printed as its target finishes, so a long run can be read as it goes.
 */
public final class JsonOutput implements RunListener {
  private final PrintStream out;
  private boolean first = true;

  public JsonOutput(PrintStream out) {
    this.out = out;
  }

  public void begin() {
    out.print("{\"items\":[");
    out.flush();
  }

  @Override
  public synchronized void finished(Result r) {
    out.print(first ? "\n" : ",\n");
    first = false;
    out.print(Json.write(r.toMap()));
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
