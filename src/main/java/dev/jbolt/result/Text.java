package dev.jbolt.result;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

/**
 * Output of a target, held once: bytes in memory or in a spill file, read as text (UTF-8, with
 * U+FFFD where the bytes are not) or as the bytes themselves, never copied into a String unless
 * someone asks for one ({@link #toString}). JSON writes it by streaming; the human output gathers
 * targets by its {@link #digest}.
 */
public abstract class Text {
  private static final int BLOCK = 64 * 1024;
  private volatile Boolean utf8;
  private volatile byte[] digest;

  /** Its length in bytes. */
  public abstract long size();

  /** Its bytes, from the first. */
  public abstract InputStream open() throws IOException;

  public boolean isEmpty() {
    return size() == 0;
  }

  public static Text of(byte[] bytes) {
    return new Chunks(List.of(bytes), bytes.length);
  }

  public static Text of(String s) {
    return of(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Bytes held as chunks, in order (an output buffer's, without a copy). */
  public static Text ofChunks(List<byte[]> chunks, long size) {
    return new Chunks(List.copyOf(chunks), size);
  }

  /** {@code length} bytes of {@code file} from {@code offset}. */
  public static Text ofFile(Path file, long offset, long length) {
    return new FilePart(file, offset, length);
  }

  /** These texts one after another. */
  public static Text concat(List<Text> parts) {
    return new Concat(List.copyOf(parts));
  }

  /** {@code length} bytes of this text from {@code offset}. */
  public Text slice(long offset, long length) {
    return new Slice(this, offset, length);
  }

  /** True when the bytes are valid UTF-8, so that the text loses nothing. */
  public boolean isUtf8() {
    Boolean u = utf8;
    if (u == null) {
      CharsetDecoder d =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT);
      try {
        u = decode(d, c -> {});
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      utf8 = u;
    }
    return u;
  }

  /** A consumer of decoded characters, a block at a time. */
  public interface Chars {
    void accept(CharBuffer chars) throws IOException;
  }

  /**
   * Decodes the bytes as UTF-8 block by block, giving each block of characters to {@code out};
   * malformed bytes become U+FFFD.
   */
  public void decode(Chars out) throws IOException {
    decode(
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE),
        out);
  }

  /** Decodes with {@code d}; false when it reported an error (then stops). */
  private boolean decode(CharsetDecoder d, Chars out) throws IOException {
    int block = block();
    ByteBuffer in = ByteBuffer.allocate(block);
    CharBuffer chars = CharBuffer.allocate(block);
    try (InputStream s = open()) {
      boolean end = false;
      while (!end) {
        int n = s.read(in.array(), in.position(), in.remaining());
        if (n < 0) {
          end = true;
        } else {
          in.position(in.position() + n);
        }
        in.flip();
        CoderResult r = d.decode(in, chars, end);
        if (end) {
          r = r.isError() ? r : d.flush(chars);
        }
        if (r.isError()) {
          return false;
        }
        chars.flip();
        out.accept(chars);
        chars.clear();
        in.compact();
      }
    }
    return true;
  }

  /** A buffer's size for reading this text: most outputs are short, and 64 KiB each adds up. */
  private int block() {
    return (int) Math.min(BLOCK, size() + 16);
  }

  /** Its bytes, all in memory: for small texts (a sudo prompt, a task's JSON). */
  public byte[] bytes() {
    try (InputStream s = open()) {
      return s.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SHA-256 of the bytes, computed once: equal outputs without comparing them whole. */
  public byte[] digest() {
    byte[] d = digest;
    if (d == null) {
      try (InputStream s = open()) {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[block()];
        for (int n; (n = s.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
        d = md.digest();
        digest = d;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
    return d;
  }

  /** The text as a String: the whole of it in memory. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder((int) Math.min(size(), Integer.MAX_VALUE - 8));
    try {
      decode(sb::append);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return sb.toString();
  }

  /** Texts are equal when their bytes are. */
  @Override
  public boolean equals(Object o) {
    return o instanceof Text t && t.size() == size() && MessageDigest.isEqual(t.digest(), digest());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(digest());
  }

  /** This text's bytes, written as base64 by JSON (a binary stream's exact bytes). */
  public Base64 base64() {
    return new Base64(this);
  }

  /** A text whose JSON form is the base64 of its bytes. */
  public static final class Base64 {
    private final Text text;

    Base64(Text text) {
      this.text = text;
    }

    public Text text() {
      return text;
    }

    @Override
    public String toString() {
      return java.util.Base64.getEncoder().encodeToString(text.bytes());
    }
  }

  private static final class Chunks extends Text {
    private final List<byte[]> chunks;
    private final long size;

    Chunks(List<byte[]> chunks, long size) {
      this.chunks = chunks;
      this.size = size;
    }

    @Override
    public long size() {
      return size;
    }

    @Override
    public InputStream open() {
      List<InputStream> parts = new ArrayList<>();
      long left = size;
      for (byte[] c : chunks) {
        int n = (int) Math.min(c.length, left);
        parts.add(new ByteArrayInputStream(c, 0, n));
        left -= n;
      }
      return new SequenceInputStream(Collections.enumeration(parts));
    }

    @Override
    public byte[] bytes() {
      if (chunks.size() == 1 && chunks.get(0).length == size) {
        return chunks.get(0);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) size);
      long left = size;
      for (byte[] c : chunks) {
        int n = (int) Math.min(c.length, left);
        out.write(c, 0, n);
        left -= n;
      }
      return out.toByteArray();
    }
  }

  private static final class FilePart extends Text {
    private final Path file;
    private final long offset;
    private final long length;

    FilePart(Path file, long offset, long length) {
      this.file = file;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public long size() {
      return length;
    }

    @Override
    public InputStream open() throws IOException {
      FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
      ch.position(offset);
      InputStream in = Channels.newInputStream(ch);
      return new BufferedInputStream(bounded(in, length), BLOCK);
    }
  }

  private static final class Slice extends Text {
    private final Text of;
    private final long offset;
    private final long length;

    Slice(Text of, long offset, long length) {
      this.of = of;
      this.offset = offset;
      this.length = length;
    }

    @Override
    public long size() {
      return length;
    }

    @Override
    public InputStream open() throws IOException {
      InputStream in = of.open();
      in.skipNBytes(offset);
      return bounded(in, length);
    }
  }

  private static final class Concat extends Text {
    private final List<Text> parts;

    Concat(List<Text> parts) {
      this.parts = parts;
    }

    @Override
    public long size() {
      return parts.stream().mapToLong(Text::size).sum();
    }

    @Override
    public InputStream open() {
      Enumeration<InputStream> streams =
          new Enumeration<>() {
            private int next;

            @Override
            public boolean hasMoreElements() {
              return next < parts.size();
            }

            @Override
            public InputStream nextElement() {
              try {
                return parts.get(next++).open();
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }
          };
      return new SequenceInputStream(streams);
    }
  }

  /** At most {@code length} bytes of {@code in}; closing it closes {@code in}. */
  private static InputStream bounded(InputStream in, long length) {
    return new FilterInputStream(in) {
      private long left = length;

      @Override
      public int read() throws IOException {
        if (left <= 0) {
          return -1;
        }
        int b = super.read();
        if (b >= 0) {
          left--;
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (left <= 0) {
          return -1;
        }
        int n = super.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }
    };
  }
}
