package dev.jbolt.transport;

import dev.jbolt.files.LocalFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many bytes of targets' output one run keeps in memory, all targets together. Output past it
 * goes to spill files in a private temp dir (0700), removed when the run ends: a thousand targets
 * that each print megabytes complete in a small heap, as long as the disk holds them. The limit is
 * {@code output-memory} (MiB) in jbolt-project.yaml or {@code --output-memory}; by default a
 * quarter of the heap, at most 256 MiB.
 */
public final class OutputBudget implements AutoCloseable {
  /** Keeps everything in memory: for one-off commands of jbolt's own and tests. */
  public static final OutputBudget UNLIMITED = new OutputBudget(Long.MAX_VALUE);

  private final long limit;
  private final AtomicLong used = new AtomicLong();
  private Path dir; // guarded by this

  public OutputBudget(long limitBytes) {
    this.limit = limitBytes;
  }

  /** The default limit: a quarter of the heap, at most 256 MiB. */
  public static long defaultLimit() {
    return Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4);
  }

  public long limit() {
    return limit;
  }

  /** Takes {@code n} bytes of the budget, or none and false when that would pass the limit. */
  boolean reserve(long n) {
    while (true) {
      long u = used.get();
      if (u + n > limit) {
        return false;
      }
      if (used.compareAndSet(u, u + n)) {
        return true;
      }
    }
  }

  void release(long n) {
    used.addAndGet(-n);
  }

  /** Bytes of output held in memory now. */
  public long used() {
    return used.get();
  }

  /** A new spill file in the run's private spill dir. */
  synchronized Path spillFile() throws IOException {
    if (dir == null) {
      dir =
          Files.createTempDirectory(
              "jbolt-output-",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    return Files.createTempFile(dir, "out-", "");
  }

  /** Removes the spill files. */
  @Override
  public synchronized void close() {
    if (dir != null) {
      LocalFiles.deleteTree(dir);
      dir = null;
    }
  }

  /** Spill files could not be written: the disk is full or gone. */
  static UncheckedIOException spillFailed(IOException e) {
    return new UncheckedIOException("cannot write output to a spill file: " + e.getMessage(), e);
  }
}
