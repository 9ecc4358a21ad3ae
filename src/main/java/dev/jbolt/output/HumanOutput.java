package dev.jbolt.output;

import dev.jbolt.inventory.NodeSet;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.result.Json;
import dev.jbolt.result.Printable;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import dev.jbolt.result.Text;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Output for people. Targets whose results are identical (status, output, reason) are printed once,
 * under the folded list of their names, as {@code clush -b} does; then a summary with the counts,
 * the elapsed time, and the failed targets folded by reason. Colour: green for success, yellow for
 * success with stderr, red for failure.
 */
public final class HumanOutput {
  private final PrintStream out;
  private final boolean gather;
  private final Colour colour;
  private final boolean blocks;

  /**
   * @param blocks false with {@code --stream}: the output was printed as it came, only the summary
   *     is left to print
   */
  public HumanOutput(PrintStream out, boolean gather, boolean colour, boolean blocks) {
    this.out = out;
    this.gather = gather;
    this.colour = new Colour(colour);
    this.blocks = blocks;
  }

  public void print(ResultSet rs) {
    if (blocks) {
      for (Block b : blocks(rs.results())) {
        out.println(b.header(colour));
        print(b.body);
      }
    }
    summary(rs);
  }

  /** A body, streamed from where it lies (memory or a spill file), ending in a newline. */
  private void print(Text body) {
    if (body.isEmpty()) {
      return;
    }
    boolean[] newline = {false};
    try {
      body.decode(
          chars -> {
            if (chars.hasRemaining()) {
              newline[0] = chars.charAt(chars.remaining() - 1) == '\n';
              out.append(chars);
            }
          });
    } catch (IOException e) {
      out.print("[output unreadable: " + e.getMessage() + "]");
    }
    if (!newline[0]) {
      out.println();
    }
  }

  /** What makes two targets' results one block; bodies compare by digest, never whole. */
  private record Key(String status, Text body, String reason, boolean stderr) {}

  private static final class Block {
    final List<String> names = new ArrayList<>();
    final Text body;
    final String reason;
    final boolean ok;
    final boolean stderr;

    Block(Result r) {
      ok = r.ok();
      body = body(r);
      reason = reason(r);
      stderr = hasStderr(r);
    }

    String header(Colour c) {
      String count = names.size() > 1 ? " (" + names.size() + ")" : "";
      String text =
          "== "
              + Printable.name(NodeSet.fold(names))
              + count
              + ": "
              + (ok ? "ok" : "failed")
              + (reason.isEmpty() ? "" : ", " + Printable.name(reason));
      return ok ? (stderr ? c.yellow(text) : c.green(text)) : c.red(text);
    }
  }

  private static boolean hasStderr(Result r) {
    Object e = r.value().get("stderr");
    return e instanceof Text t ? !t.isEmpty() : e instanceof String s && !s.isEmpty();
  }

  private List<Block> blocks(List<Result> results) {
    Map<Key, Block> blocks = new LinkedHashMap<>();
    int i = 0;
    for (Result r : results) {
      Key key =
          gather
              ? new Key(r.status(), body(r), reason(r), hasStderr(r))
              : new Key(String.valueOf(i++), null, null, false);
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
  static Text body(Result r) {
    Map<String, Object> v = r.value();
    if (v.get("merged_output") instanceof Text t) {
      return t;
    }
    if (v.containsKey("merged_output")) {
      return Text.of(String.valueOf(v.get("merged_output")));
    }
    if (r.action().equals("upload") || r.action().equals("download")) {
      return Text.of(transfer(r, String.valueOf(v.getOrDefault("_output", ""))));
    }
    Map<String, Object> rest = new LinkedHashMap<>(v);
    Object text = rest.remove("_output");
    String out = text == null ? "" : String.valueOf(text);
    if (!rest.isEmpty()) {
      out += (out.isEmpty() || out.endsWith("\n") ? "" : "\n") + Json.pretty(rest);
    }
    return Text.of(out);
  }

  /**
   * A transfer's message without what is each target's own (its host in the remote path, its
   * directory under a download's destination), so that targets that did the same fold into one
   * block; JSON keeps Bolt's message.
   */
  private static String transfer(Result r, String message) {
    Matcher up =
        Pattern.compile("(?s)(Uploaded '.*' to ')(\\[[^]]*\\]|[^:']*):(.*)").matcher(message);
    if (r.action().equals("upload") && up.matches()) {
      return up.group(1) + up.group(3);
    }
    Matcher down =
        Pattern.compile("(?s)Downloaded '(\\[[^]]*\\]|[^:']*):(.*)' to '(.*)'").matcher(message);
    if (r.action().equals("download") && down.matches()) {
      String own = File.separator + r.target() + File.separator;
      return "Downloaded '"
          + down.group(2)
          + "' to '"
          + down.group(3).replace(own, File.separator + "<target>" + File.separator)
          + "'";
    }
    return message;
  }

  /**
   * Why a result failed, short and the same for every target it applies to ({@link
   * ErrorKind#reason}).
   */
  public static String reason(Result r) {
    return r.ok() ? "" : ErrorKind.reason(r.error());
  }

  private void summary(ResultSet rs) {
    int failed = rs.errorSet().size();
    int ok = rs.count() - failed;
    String line =
        String.format(
            Locale.ROOT,
            "%d succeeded, %d failed, %d total in %.2f s",
            ok,
            failed,
            rs.count(),
            rs.elapsedMillis() / 1000.0);
    out.println(failed == 0 ? colour.green(line) : colour.red(line));
    if (failed == 0) {
      return;
    }
    Map<String, List<String>> byReason = new LinkedHashMap<>();
    for (Result r : rs.errorSet()) {
      byReason.computeIfAbsent(reason(r), k -> new ArrayList<>()).add(r.target());
    }
    String failedList =
        Printable.name(NodeSet.fold(rs.errorSet().stream().map(Result::target).toList()));
    if (byReason.size() == 1) {
      out.println(
          "Failed: "
              + failedList
              + " ("
              + Printable.name(byReason.keySet().iterator().next())
              + ")");
    } else {
      out.println("Failed: " + failedList);
      byReason.forEach(
          (reason, names) ->
              out.println(
                  "  " + Printable.name(NodeSet.fold(names)) + ": " + Printable.name(reason)));
    }
    details(rs);
  }

  /**
   * For each reason that is not a command's own failure (its output is above), the whole message of
   * its first target, which says what to do about it (the ssh-keyscan line of an unknown host key,
   * the path and cause of a failed transfer).
   */
  private void details(ResultSet rs) {
    Map<String, List<Result>> byReason = new LinkedHashMap<>();
    for (Result r : rs.errorSet()) {
      byReason.computeIfAbsent(reason(r), k -> new ArrayList<>()).add(r);
    }
    byReason.forEach(
        (reason, results) -> {
          Result first = results.get(0);
          String kind = first.error().kind();
          String msg = first.error().msg().strip();
          // A command's output is above; a task's message (Bolt's, with its stderr) is shown.
          if (kind.equals(ErrorKind.COMMAND_ERROR.id()) || msg.isEmpty() || msg.equals(reason)) {
            return;
          }
          String more = results.size() > 1 ? " (and " + (results.size() - 1) + " more)" : "";
          out.println(
              "  "
                  + Printable.name(first.target())
                  + ": "
                  + Printable.text(msg).replace("\n", "\n    ")
                  + more);
        });
  }
}
