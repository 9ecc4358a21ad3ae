package dev.jbolt.transport;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Just enough ustar to move files and directories (with their modes) through {@code tar} on a
 * target whose sshd has no SFTP subsystem. Regular files and directories only.
 */
public final class Tar {
  private static final int BLOCK = 512;

  private Tar() {}

  /** Writes {@code source} (a file or a tree) as entries named from its file name down. */
  public static void write(Path source, OutputStream out) throws IOException {
    Path base = source.getParent() == null ? Path.of("") : source.getParent();
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(source)) {
      paths = walk.toList();
    }
    for (Path p : paths) {
      String name = base.relativize(p).toString().replace('\\', '/');
      boolean dir = Files.isDirectory(p);
      long size = dir ? 0 : Files.size(p);
      out.write(header(dir ? name + "/" : name, mode(p), size, dir));
      if (!dir) {
        try (InputStream in = Files.newInputStream(p)) {
          long n = in.transferTo(out);
          if (n != size) {
            throw new IOException(p + " changed size while being sent");
          }
        }
        int pad = (int) ((BLOCK - size % BLOCK) % BLOCK);
        out.write(new byte[pad]);
      }
    }
    out.write(new byte[BLOCK * 2]);
    out.flush();
  }

  /** Reads entries into {@code dir}; names that would escape it are refused. */
  public static void extract(InputStream in, Path dir) throws IOException {
    byte[] h = new byte[BLOCK];
    Path root = dir.toAbsolutePath().normalize();
    while (true) {
      if (!readFully(in, h)) {
        return;
      }
      if (isZero(h)) {
        return;
      }
      String name = field(h, 0, 100);
      String prefix = field(h, 345, 155);
      if (!prefix.isEmpty()) {
        name = prefix + "/" + name;
      }
      int mode = (int) octal(h, 100, 8);
      long size = octal(h, 124, 12);
      char type = (char) h[156];
      Path target = root.resolve(name).normalize();
      if (!target.startsWith(root)) {
        throw new IOException("refusing tar entry outside the destination: " + name);
      }
      if (type == '5') {
        Files.createDirectories(target);
        Files.setPosixFilePermissions(target, permissions(mode | 0700));
      } else if (type == '0' || type == 0) {
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
          copy(in, out, size);
        }
        Files.setPosixFilePermissions(target, permissions(mode));
        skip(in, (BLOCK - size % BLOCK) % BLOCK);
      } else {
        skip(in, size + (BLOCK - size % BLOCK) % BLOCK); // links, devices, pax headers: skipped
      }
    }
  }

  private static byte[] header(String name, int mode, long size, boolean dir) throws IOException {
    byte[] h = new byte[BLOCK];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    if (n.length <= 100) {
      System.arraycopy(n, 0, h, 0, n.length);
    } else {
      int cut = name.lastIndexOf('/', Math.min(name.length() - 1, 155));
      byte[] pre = name.substring(0, Math.max(cut, 0)).getBytes(StandardCharsets.UTF_8);
      byte[] rest = name.substring(cut + 1).getBytes(StandardCharsets.UTF_8);
      if (cut <= 0 || pre.length > 155 || rest.length > 100) {
        throw new IOException("path too long to send without SFTP: " + name);
      }
      System.arraycopy(rest, 0, h, 0, rest.length);
      System.arraycopy(pre, 0, h, 345, pre.length);
    }
    putOctal(h, 100, 8, mode);
    putOctal(h, 108, 8, 0);
    putOctal(h, 116, 8, 0);
    putOctal(h, 124, 12, size);
    putOctal(h, 136, 12, System.currentTimeMillis() / 1000);
    h[156] = (byte) (dir ? '5' : '0');
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    putOctal(h, 148, 7, sum);
    return h;
  }

  private static void putOctal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    s = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, Math.min(b.length, len - 1));
  }

  private static String field(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }

  private static long octal(byte[] h, int off, int len) {
    String s = field(h, off, len).strip();
    return s.isEmpty() ? 0 : Long.parseLong(s, 8);
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean readFully(InputStream in, byte[] b) throws IOException {
    int off = 0;
    while (off < b.length) {
      int n = in.read(b, off, b.length - off);
      if (n < 0) {
        if (off == 0) {
          return false;
        }
        throw new EOFException("truncated tar stream");
      }
      off += n;
    }
    return true;
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = size;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new EOFException("truncated tar stream");
      }
      out.write(buf, 0, n);
      left -= n;
    }
  }

  private static void skip(InputStream in, long n) throws IOException {
    copy(in, OutputStream.nullOutputStream(), n);
  }

  public static int mode(Path p) throws IOException {
    int m = 0;
    for (PosixFilePermission x : Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)) {
      m |= 1 << (8 - x.ordinal());
    }
    return m;
  }

  public static Set<PosixFilePermission> permissions(int mode) {
    Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission x : PosixFilePermission.values()) {
      if ((mode & (1 << (8 - x.ordinal()))) != 0) {
        out.add(x);
      }
    }
    return out;
  }
}
