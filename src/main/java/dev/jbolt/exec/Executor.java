package dev.jbolt.exec;

import dev.jbolt.Log;
import dev.jbolt.RunScope;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.TransportException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Runs an action on many targets: one virtual thread per target, at most {@code concurrency} at a
 * time, and exactly one result per target whatever happens to it or to the others. {@link #cancel}
 * (Ctrl-C) interrupts running actions, whose commands are killed, and fails those not yet begun.
 */
public final class Executor {
  private final Function<Target, Connection> connections;
  private final int concurrency;
  private final Cancellation cancellation;
  private final Log log;
  private final Map<Thread, Boolean> running = new ConcurrentHashMap<>();

  /** An executor of its own, with no Ctrl-C and a silent log (tests, benches). */
  public Executor(Function<Target, Connection> connections, int concurrency) {
    this(connections, concurrency, new Cancellation(), RunScope.fresh().log());
  }

  /**
   * An executor that {@code cancellation} (the run's Ctrl-C) stops; it says what ran to {@code
   * log}.
   */
  public Executor(
      Function<Target, Connection> connections,
      int concurrency,
      Cancellation cancellation,
      Log log) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    this.connections = connections;
    this.concurrency = concurrency;
    this.cancellation = cancellation;
    this.log = log;
  }

  public boolean cancelled() {
    return cancellation.cancelled();
  }

  /** Stops the run: running actions are interrupted, pending ones fail as cancelled. */
  public void cancel() {
    cancellation.cancel();
  }

  public ResultSet run(
      List<Target> targets, String action, String object, TargetAction fn, RunListener listener) {
    try (Cancellation.Registration r =
        cancellation.onCancel(() -> running.keySet().forEach(Thread::interrupt))) {
      return runAll(targets, action, object, fn, listener);
    }
  }

  private ResultSet runAll(
      List<Target> targets, String action, String object, TargetAction fn, RunListener listener) {
    long start = System.nanoTime();
    log.info("Starting: " + action + " " + object + " on " + targets.size() + " target(s)");
    Semaphore slots = new Semaphore(concurrency);
    Result[] results = new Result[targets.size()];
    // Lazily: a target's thread starts when a slot is free, so a run over a million targets holds
    // `concurrency` threads, not a million; once cancelled, the rest are cancelled here.
    CountDownLatch done = new CountDownLatch(targets.size());
    boolean interrupted = false;
    for (int i = 0; i < targets.size(); i++) {
      int index = i;
      Target target = targets.get(i);
      boolean slot = false;
      while (!slot && !cancelled() && !interrupted) {
        try {
          slot = slots.tryAcquire(100, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (!slot) {
        results[index] = runOne(target, action, object, fn, slots, false, listener);
        done.countDown();
        continue;
      }
      Thread.ofVirtual()
          .name("target-" + target.name())
          .start(
              () -> {
                running.put(Thread.currentThread(), Boolean.TRUE);
                try {
                  results[index] = runOne(target, action, object, fn, slots, true, listener);
                } finally {
                  running.remove(Thread.currentThread());
                  done.countDown();
                }
              });
    }
    awaitUninterruptibly(done, interrupted);
    return new ResultSet(
        everyOne(targets, results, action, object), (System.nanoTime() - start) / 1_000_000);
  }

  /** Waits for every target; an interrupt meanwhile is kept for the caller to see. */
  private static void awaitUninterruptibly(CountDownLatch done, boolean interrupted) {
    while (true) {
      try {
        done.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** The results in the targets' order; a thread that died without a result still yields one. */
  private static List<Result> everyOne(
      List<Target> targets, Result[] results, String action, String object) {
    List<Result> out = new ArrayList<>(targets.size());
    for (int i = 0; i < results.length; i++) {
      out.add(
          results[i] != null
              ? results[i]
              : Result.failure(
                  targets.get(i).name(),
                  action,
                  object,
                  ErrorKind.EXCEPTION.error("no result was recorded for this target"),
                  0));
    }
    return out;
  }

  private Result runOne(
      Target target,
      String action,
      String object,
      TargetAction fn,
      Semaphore slots,
      boolean acquired,
      RunListener listener) {
    long start = System.nanoTime();
    Result result;
    try {
      if (!acquired || cancelled()) {
        throw new InterruptedException();
      }
      listener.started(target);
      Connection c = connections.apply(target);
      c.connect(); // made now, not by the action's first channel: the report times the two apart
      listener.connected(target);
      result = fn.run(target, c).withAttempts(c.attempts());
    } catch (TransportException | InterruptedException | RuntimeException | Error e) {
      result = failed(e, target, action, object, millisSince(start));
    } finally {
      if (acquired) {
        slots.release();
      }
    }
    if (log.enabled(Log.Level.INFO)) {
      log.info(
          target.safeName()
              + ": "
              + (result.ok()
                  ? "ok"
                  : "failed: " + result.error().msg().lines().findFirst().orElse(""))
              + " in "
              + millisSince(start)
              + " ms");
    }
    try {
      listener.finished(result);
    } catch (RuntimeException | OutOfMemoryError e) {
      // Showing a result failed (the output is gone): the result itself is still the run's.
    }
    return result;
  }

  /**
   * The result of a target whose action threw: the transport's error (with its attempts), cancelled
   * before it ran, out of memory, or an exception of jbolt's own.
   */
  private static Result failed(
      Throwable e, Target target, String action, String object, long millis) {
    if (e instanceof TransportException te) {
      Result r = Result.failure(target.safeName(), action, object, te.toError(), millis);
      return te.toError().details().get("attempts") instanceof Integer n ? r.withAttempts(n) : r;
    }
    if (e instanceof InterruptedException) {
      return Result.failure(
          target.safeName(),
          action,
          object,
          ErrorKind.CANCELLED.error("cancelled before it ran"),
          millis);
    }
    if (e instanceof OutOfMemoryError) {
      return Result.failure(
          target.safeName(),
          action,
          object,
          ErrorKind.OUT_OF_MEMORY.error(
              "jbolt ran out of memory while this target's action ran; its output is lost"
                  + " (give the JVM more heap, or a lower output-memory so that output spills"
                  + " to disk sooner)"),
          millis);
    }
    String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return Result.failure(
        target.safeName(), action, object, ErrorKind.EXCEPTION.error(msg), millis);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
