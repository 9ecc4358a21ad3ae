package dev.jbolt.transport;

import dev.jbolt.result.Text;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One stream of one command's output: its first {@link Exec#MAX_KEPT} bytes kept (the rest only
 * counted), in memory while the run's {@link OutputBudget} allows, else in a spill file. Held once,
 * as chunks, and handed over as a {@link Text} without a copy.
 */
final class OutputBuffer {
  private static final int CHUNK = 64 * 1024;

  private final OutputBudget budget;
  private final int keep;
  private final List<byte[]> chunks = new ArrayList<>();
  private long reserved;
  private long size;
  private long dropped;
  private Path file;
  private OutputStream spill;

  OutputBuffer(OutputBudget budget, int keep) {
    this.budget = budget;
    this.keep = keep;
  }

  /** Bytes kept so far. */
  long size() {
    return size;
  }

  long dropped() {
    return dropped;
  }

  /** Keeps what fits under the cap; returns how many bytes that was. */
  int write(byte[] buf, int off, int len) {
    int n = (int) Math.max(0, Math.min(len, keep - size));
    dropped += len - n;
    try {
      int done = 0;
      while (done < n) {
        if (spill != null) {
          spill.write(buf, off + done, n - done);
          size += n - done;
          return n;
        }
        int inChunk = (int) (size % CHUNK);
        if (inChunk == 0 && !grow()) {
          continue; // spilled: written to the file above
        }
        byte[] c = chunks.get(chunks.size() - 1);
        int m = Math.min(n - done, CHUNK - inChunk);
        System.arraycopy(buf, off + done, c, inChunk, m);
        size += m;
        done += m;
      }
    } catch (IOException e) {
      throw OutputBudget.spillFailed(e);
    }
    return n;
  }

  /** One more chunk in memory, when the budget allows; else everything moves to a spill file. */
  private boolean grow() throws IOException {
    if (budget.reserve(CHUNK)) {
      reserved += CHUNK;
      chunks.add(new byte[CHUNK]);
      return true;
    }
    file = budget.spillFile();
    spill = new BufferedOutputStream(Files.newOutputStream(file), CHUNK);
    long left = size;
    for (byte[] c : chunks) {
      int m = (int) Math.min(c.length, left);
      spill.write(c, 0, m);
      left -= m;
    }
    chunks.clear();
    budget.release(reserved);
    reserved = 0;
    return false;
  }

  /** What was kept, as a text (in memory or in the spill file); the buffer is done with. */
  Text text() {
    if (spill != null) {
      try {
        spill.close();
      } catch (IOException e) {
        throw OutputBudget.spillFailed(e);
      }
      return Text.ofFile(file, 0, size);
    }
    return Text.ofChunks(chunks, size);
  }
}
