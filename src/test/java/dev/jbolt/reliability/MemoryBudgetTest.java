package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.exec.Executor;
import dev.jbolt.exec.RunListener;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.Target;
import dev.jbolt.output.JsonOutput;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import dev.jbolt.result.Text;
import dev.jbolt.testing.JsonItems;
import dev.jbolt.testing.Jvm;
import dev.jbolt.transport.local.LocalTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory is bounded by bytes for the whole run, not per target: output past the run's budget goes
 * to spill files, so that many targets printing megabytes complete in a small heap with valid JSON;
 * and an OutOfMemoryError anywhere still leaves valid JSON with every target in it. Local targets
 * (one process each): the memory path is the same as over SSH, without the crypto.
 */
class MemoryBudgetTest {
  @TempDir Path tmp;

  private void inventory(int n) throws Exception {
    StringBuilder sb = new StringBuilder("targets:\n");
    for (int i = 0; i < n; i++) {
      sb.append("  - {name: n").append(i).append(", uri: 'local://n").append(i).append("'}\n");
    }
    Files.writeString(tmp.resolve("inventory.yaml"), sb.toString());
  }

  @Test
  void twoHundredTargetsOfFourMegabytesRunInA128MegabyteHeap() throws Exception {
    int n = 200;
    inventory(n);
    Process p =
        Jvm.start(
            List.of(),
            List.of("-Xmx128m", Jvm.TIERED),
            tmp,
            tmp,
            Map.of(),
            "command",
            "run",
            "head -c 4194304 /dev/zero | tr '\\0' a",
            "-t",
            "all",
            "--format",
            "json");
    p.getOutputStream().close();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                p.getErrorStream().transferTo(System.err);
              } catch (IOException e) {
                // ended
              }
            });
    JsonItems items = JsonItems.read(p.getInputStream());
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue());
    assertEquals(n, items.count());
    assertEquals(n, items.targetCount());
    assertEquals(n, items.stdoutLengths().size());
    assertTrue(
        items.stdoutLengths().values().stream().allMatch(l -> l == 4194304),
        items.stdoutLengths()::toString);
    try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertTrue(
          left.noneMatch(
              f ->
                  f.getFileName().toString().startsWith("jbolt-output-")
                      && f.toFile().lastModified() >= System.currentTimeMillis() - 300_000),
          "spill files removed");
    }
  }

  /**
   * A text whose bytes run out of memory half-way through, as a spill file that cannot be read
   * might.
   */
  private static Text failing(Throwable t) {
    return new Text() {
      @Override
      public long size() {
        return 1 << 20;
      }

      @Override
      public InputStream open() {
        return new InputStream() {
          private int left = 100_000;

          @Override
          public int read() {
            if (left-- <= 0) {
              sneaky(t);
            }
            return 'x';
          }
        };
      }
    };
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneaky(Throwable t) throws T {
    throw (T) t;
  }

  @Test
  void anOutOfMemoryErrorWhileWritingAnItemLeavesValidJsonWithEveryTarget() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    JsonOutput json = new JsonOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    json.begin();
    List<Result> results = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("stdout", i == 1 ? failing(new OutOfMemoryError("test")) : Text.of("fine"));
      value.put(
          "merged_output",
          i == 2 ? failing(new UncheckedIOException(new IOException("gone"))) : Text.of("fine"));
      value.put("exit_code", 0);
      Result r = new Result("t" + i, "command", "x", value, null, 0, 1);
      results.add(r);
      json.finished(r);
    }
    json.end(new ResultSet(results, 0));
    JsonItems items = JsonItems.read(new ByteArrayInputStream(bytes.toByteArray()));
    assertEquals(3, items.count());
    assertEquals(3, items.targetCount());
  }

  @Test
  void anOutOfMemoryErrorInAnActionOrAListenerStillGivesEveryTargetItsResult() {
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      targets.add(Inventory.empty().adhoc("local://t" + i));
    }
    Executor ex = new Executor(new LocalTransport()::connection, 5);
    RunListener listener =
        new RunListener() {
          @Override
          public void finished(Result r) {
            if (r.target().endsWith("3")) {
              throw new OutOfMemoryError("listener");
            }
          }
        };
    ResultSet rs =
        ex.run(
            targets,
            "command",
            "x",
            (t, c) -> {
              if (t.name().endsWith("1")) {
                throw new OutOfMemoryError("action");
              }
              return new Result(t.safeName(), "command", "x", Map.of(), null, 0, 1);
            },
            listener);
    assertEquals(5, rs.count());
    assertEquals("jbolt/out-of-memory", rs.results().get(1).error().kind());
    assertTrue(rs.results().get(3).ok(), "a listener's failure is not the target's");
  }
}
