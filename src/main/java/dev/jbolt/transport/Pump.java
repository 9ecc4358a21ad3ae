package dev.jbolt.transport;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Reads a child process's output stream to its end on a virtual thread, into a listener. */
public final class Pump {
  private Pump() {}

  /**
   * Starts reading {@code in}; a listener that throws gets nothing more, but the stream is still
   * read to its end, so that the process never blocks on a full pipe.
   */
  public static Thread start(
      InputStream in, OutputListener listener, OutputListener.Stream stream) {
    return Thread.ofVirtual()
        .start(
            () -> {
              byte[] buf = new byte[32 * 1024];
              boolean deliver = true;
              try (in) {
                int n;
                while ((n = in.read(buf)) > 0) {
                  if (deliver) {
                    try {
                      listener.output(stream, buf, 0, n);
                    } catch (RuntimeException | Error e) {
                      deliver = false;
                    }
                  }
                }
              } catch (IOException e) {
                // the process was killed
              }
            });
  }

  /**
   * Waits up to {@code millis} for {@code p} to end; false when it has not. Then waits briefly (5 s
   * each) for its pumps: output may still be in flight from a child that outlived it.
   */
  public static boolean awaitExit(Process p, long millis, Thread out, Thread err)
      throws InterruptedException {
    if (!p.waitFor(millis, TimeUnit.MILLISECONDS)) {
      return false;
    }
    out.join(Duration.ofSeconds(5));
    err.join(Duration.ofSeconds(5));
    return true;
  }
}
