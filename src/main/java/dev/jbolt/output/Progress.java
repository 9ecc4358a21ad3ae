package dev.jbolt.output;

import dev.jbolt.exec.RunListener;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.Result;
import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A single live status line on a terminal's stderr for runs longer than a second: done, ok, failed,
 * running, elapsed time, rate. Cleared when the run ends.
 */
public final class Progress implements RunListener, AutoCloseable {
  private static final long DELAY_MILLIS = 1000;
  private static final long EVERY_MILLIS = 200;

  private final PrintStream err;
  private final int total;
  private final long start = System.nanoTime();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger ok = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final Thread painter;
  private volatile boolean shown;
  private volatile boolean stopped;

  public Progress(PrintStream err, int total) {
    this.err = err;
    this.total = total;
    this.painter = Thread.ofPlatform().daemon().name("jbolt-progress").start(this::paintLoop);
  }

  @Override
  public void started(Target target) {
    running.incrementAndGet();
  }

  @Override
  public void finished(Result result) {
    running.decrementAndGet();
    (result.ok() ? ok : failed).incrementAndGet();
  }

  String line() {
    double secs = (System.nanoTime() - start) / 1e9;
    int done = ok.get() + failed.get();
    return String.format(
        Locale.ROOT,
        "[%d/%d done | %d ok | %d failed | %d running | %.1f s | %.0f/s]",
        done,
        total,
        ok.get(),
        failed.get(),
        Math.max(0, running.get()),
        secs,
        done / Math.max(secs, 0.001));
  }

  private void paintLoop() {
    try {
      Thread.sleep(DELAY_MILLIS);
      while (!stopped) {
        synchronized (err) {
          if (!stopped) {
            err.print("\r" + line() + "\033[K");
            err.flush();
            shown = true;
          }
        }
        Thread.sleep(EVERY_MILLIS);
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  @Override
  public void close() {
    stopped = true;
    painter.interrupt();
    synchronized (err) {
      if (shown) {
        err.print("\r\033[K");
        err.flush();
      }
    }
  }
}
