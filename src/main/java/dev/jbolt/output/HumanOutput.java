package dev.jbolt.output;

import dev.jbolt.inventory.NodeSet;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Output for people. Targets whose results are identical (status, exit code, output, error) are
 * printed once, under the folded list of their names, as {@code clush -b} does; then a summary
 * with the counts, the elapsed time, and the failed targets folded by reason.
 */
public final class HumanOutput {
  private final PrintStream out;
  private final boolean gather;

  public HumanOutput(PrintStream out, boolean gather) {
    this.out = out;
    this.gather = gather;
  }

  public void print(ResultSet rs) {
    for (Block b : blocks(rs.results())) {
      out.println(b.header());
      String body = b.body;
      if (!body.isEmpty()) {
        out.print(body.endsWith("\n") ? body : body + "\n");
      }
    }
    summary(rs);
  }

  private record Key(String status, String body, String reason) {}

  private static final class Block {
    final List<String> names = new ArrayList<>();
    final String body;
    final String reason;
    final boolean ok;

    Block(Result r) {
      ok = r.ok();
      body = body(r);
      reason = reason(r);
    }

    String header() {
      String nodes = NodeSet.fold(names);
      String count = names.size() > 1 ? " (" + names.size() + ")" : "";
      return "== " + nodes + count + ": " + (ok ? "ok" : "failed") + (reason.isEmpty() ? "" : ", " + reason);
    }
  }

  private List<Block> blocks(List<Result> results) {
    Map<Key, Block> blocks = new LinkedHashMap<>();
    int i = 0;
    for (Result r : results) {
      Key key = gather ? new Key(r.status(), body(r), reason(r)) : new Key(String.valueOf(i++), null, null);
      blocks.computeIfAbsent(key, k -> new Block(r)).names.add(r.target());
    }
    List<Block> out = new ArrayList<>(blocks.values());
    if (gather) {
      // Successes first, then failures; within each, the largest block first.
      out.sort(Comparator.comparing((Block b) -> !b.ok).thenComparing(b -> -b.names.size()));
    }
    return out;
  }

  /**
   * What a result shows: a command's merged output; an upload's or download's message; a task's
   * {@code _output} text, then the rest of its value as JSON.
   */
  static String body(Result r) {
    Map<String, Object> v = r.value();
    if (v.containsKey("merged_output")) {
      return String.valueOf(v.get("merged_output"));
    }
    if (r.action().equals("upload") || r.action().equals("download")) {
      return String.valueOf(v.getOrDefault("_output", ""));
    }
    Map<String, Object> rest = new LinkedHashMap<>(v);
    Object text = rest.remove("_output");
    String out = text == null ? "" : String.valueOf(text);
    if (!rest.isEmpty()) {
      out += (out.isEmpty() || out.endsWith("\n") ? "" : "\n") + dev.jbolt.result.Json.pretty(rest);
    }
    return out;
  }

  /** Why a result failed, short: "exit code 3", "connection refused by ...". */
  static String reason(Result r) {
    if (r.ok()) {
      return "";
    }
    Object code = r.error().details().get("exit_code");
    if (code != null && r.error().kind().endsWith("command-error")) {
      return "exit code " + code;
    }
    return r.error().msg();
  }

  private void summary(ResultSet rs) {
    int failed = rs.errorSet().size();
    int ok = rs.count() - failed;
    out.println(String.format(Locale.ROOT, "%d succeeded, %d failed, %d total in %.2f s",
        ok, failed, rs.count(), rs.elapsedMillis() / 1000.0));
    if (failed == 0) {
      return;
    }
    out.println("Failed: " + NodeSet.fold(rs.errorSet().stream().map(Result::target).toList()));
    Map<String, List<String>> byReason = new LinkedHashMap<>();
    for (Result r : rs.errorSet()) {
      String kind = r.error().kind().replaceFirst("^.*/", "");
      byReason.computeIfAbsent(kind + ": " + reason(r), k -> new ArrayList<>()).add(r.target());
    }
    byReason.forEach((reason, names) -> out.println("  " + NodeSet.fold(names) + ": " + reason));
  }
}
