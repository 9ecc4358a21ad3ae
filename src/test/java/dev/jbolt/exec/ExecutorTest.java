package dev.jbolt.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.action.CommandAction;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import dev.jbolt.transport.TransportException;
import dev.jbolt.transport.local.LocalTransport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ExecutorTest {
  private final LocalTransport local = new LocalTransport();

  private static List<Target> targets(int n) {
    List<Target> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Inventory.empty().adhoc("local://t" + i));
    }
    return out;
  }

  @Test
  void everyTargetGetsExactlyOneResultWhateverItsActionDoes() {
    List<Target> ts = targets(30);
    Executor ex = new Executor(local::connection, 7);
    ResultSet rs =
        ex.run(
            ts,
            "command",
            "x",
            (t, c) -> {
              int i = Integer.parseInt(t.name().replaceAll("\\D", ""));
              switch (i % 3) {
                case 0 -> throw new IllegalStateException("boom " + i);
                case 1 ->
                    throw new TransportException(
                        ErrorKind.CONNECT_REFUSED, "X", "refused " + i, null);
                default -> {
                  return new Result(t.name(), "command", "x", Map.of("i", i), null, 0, 1);
                }
              }
            },
            RunListener.NONE);
    assertEquals(30, rs.count());
    for (int i = 0; i < 30; i++) {
      Result r = rs.results().get(i);
      assertEquals("local://t" + i, r.target());
      assertEquals(i % 3 == 2, r.ok());
    }
    assertEquals("puppetlabs.tasks/exception-error", rs.results().get(0).error().kind());
    assertEquals("puppetlabs.tasks/connect-error", rs.results().get(1).error().kind());
  }

  @Test
  void atMostConcurrencyTargetsRunAtOnce() {
    AtomicInteger now = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Executor ex = new Executor(local::connection, 4);
    ex.run(
        targets(20),
        "command",
        "x",
        (t, c) -> {
          peak.accumulateAndGet(now.incrementAndGet(), Math::max);
          try {
            Thread.sleep(30);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          now.decrementAndGet();
          return new Result(t.name(), "command", "x", Map.of(), null, 0, 1);
        },
        RunListener.NONE);
    assertEquals(4, peak.get());
  }

  @Test
  void cancelKillsRunningCommandsAndFailsTheRest() throws Exception {
    Executor ex = new Executor(local::connection, 2);
    List<Target> ts = targets(6);
    AtomicInteger started = new AtomicInteger();
    Thread canceller =
        Thread.ofVirtual()
            .start(
                () -> {
                  while (started.get() < 2) {
                    Thread.onSpinWait();
                  }
                  try {
                    Thread.sleep(200);
                  } catch (InterruptedException e) {
                    return;
                  }
                  ex.cancel();
                });
    long t0 = System.nanoTime();
    ResultSet rs =
        ex.run(
            ts,
            "command",
            "sleep 30",
            CommandAction.run("sleep 30", Map.of(), 0, null),
            new RunListener() {
              @Override
              public void started(Target target) {
                started.incrementAndGet();
              }
            });
    canceller.join();
    assertTrue((System.nanoTime() - t0) / 1_000_000_000.0 < 10, "stopped promptly");
    assertEquals(6, rs.count());
    assertTrue(
        rs.results().stream().allMatch(r -> r.error().kind().equals("jbolt/cancelled")),
        rs.toString());
    assertTrue(ex.cancelled());
  }
}
