package dev.jbolt.transport;

import dev.jbolt.result.ErrorKind;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a file transfer on a thread of its own, so that a timeout or Ctrl-C stops it even where the
 * library underneath ignores interrupts (MINA's SFTP calls do): {@code abort} closes what the
 * transfer uses, which makes it fail at once, and the transfer is waited for before this returns,
 * so nothing still writes after its result is reported.
 */
public final class Bounded {
  private static final long STOP_WAIT_MILLIS = 10_000;

  private Bounded() {}

  /** A transfer; it reports its own failures as TransportExceptions. */
  public interface Transfer<T> {
    T run() throws TransportException;
  }

  /**
   * Runs {@code transfer}, at most {@code timeoutMillis} (0: no limit); {@code what} names it in
   * errors.
   */
  public static <T> T run(long timeoutMillis, String what, Transfer<T> transfer, Runnable abort)
      throws TransportException {
    CompletableFuture<T> done = new CompletableFuture<>();
    Thread worker =
        Thread.ofVirtual()
            .name("transfer")
            .start(
                () -> {
                  try {
                    done.complete(transfer.run());
                  } catch (Throwable e) {
                    done.completeExceptionally(e);
                  }
                });
    try {
      return timeoutMillis > 0 ? done.get(timeoutMillis, TimeUnit.MILLISECONDS) : done.get();
    } catch (TimeoutException e) {
      stop(worker, abort);
      throw new TransportException(
          ErrorKind.TIMEOUT,
          "TIMEOUT",
          "timed out after "
              + Exec.seconds(timeoutMillis)
              + " s during the "
              + what
              + "; it was stopped (what was written may be incomplete)",
          Map.of("timeout", timeoutMillis / 1000.0),
          null);
    } catch (InterruptedException e) {
      stop(worker, abort);
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled during the " + what, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TransportException te) {
        throw te;
      }
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static void stop(Thread worker, Runnable abort) {
    boolean interrupted = Thread.interrupted();
    try {
      abort.run();
      worker.interrupt();
      worker.join(STOP_WAIT_MILLIS);
    } catch (InterruptedException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
