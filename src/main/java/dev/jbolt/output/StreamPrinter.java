package dev.jbolt.output;

import dev.jbolt.action.Streams;
import dev.jbolt.exec.RunListener;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.Printable;
import dev.jbolt.result.Result;
import dev.jbolt.transport.OutputListener;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code --stream}: every line as it arrives, prefixed with its target's name, aligned; stderr
 * lines marked (and red with colour). A line still open when its target finishes is printed then;
 * one longer than {@link #MAX_LINE} bytes is printed in pieces.
 */
public final class StreamPrinter implements Streams, RunListener {
  private final PrintStream out;
  private final Colour colour;
  private final int width;
  private final Map<String, Lines> open = new ConcurrentHashMap<>();

  public StreamPrinter(PrintStream out, boolean colour, List<Target> targets) {
    this.out = out;
    this.colour = new Colour(colour);
    this.width = targets.stream().mapToInt(t -> t.safeName().length()).max().orElse(0);
  }

  @Override
  public OutputListener forTarget(Target t) {
    return open.computeIfAbsent(t.safeName(), Lines::new);
  }

  @Override
  public void finished(Result result) {
    Lines l = open.remove(result.target());
    if (l != null) {
      l.flush();
    }
  }

  /** A line longer than this is printed in pieces of this size: a 200 MB line must not be held. */
  static final int MAX_LINE = 1024 * 1024;

  private final class Lines implements OutputListener {
    private final String prefix;
    private final ByteArrayOutputStream outBuf = new ByteArrayOutputStream();
    private final ByteArrayOutputStream errBuf = new ByteArrayOutputStream();

    Lines(String name) {
      prefix = Printable.name(name) + " ".repeat(Math.max(0, width - name.length()));
    }

    @Override
    public synchronized void output(Stream stream, byte[] buf, int off, int len) {
      ByteArrayOutputStream b = stream == Stream.STDOUT ? outBuf : errBuf;
      for (int i = off; i < off + len; i++) {
        if (buf[i] == '\n') {
          emit(stream, b);
        } else {
          b.write(buf[i]);
          if (b.size() >= MAX_LINE) {
            emit(stream, b);
          }
        }
      }
    }

    private void emit(Stream stream, ByteArrayOutputStream b) {
      String text = b.toString(StandardCharsets.UTF_8);
      b.reset();
      String line =
          stream == Stream.STDOUT ? prefix + " | " + text : colour.red(prefix + " ! " + text);
      synchronized (out) {
        out.println(line);
      }
    }

    synchronized void flush() {
      if (outBuf.size() > 0) {
        emit(Stream.STDOUT, outBuf);
      }
      if (errBuf.size() > 0) {
        emit(Stream.STDERR, errBuf);
      }
    }
  }
}
