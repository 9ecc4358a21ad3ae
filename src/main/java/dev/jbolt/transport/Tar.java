package dev.jbolt.transport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Enough of tar to move trees (files, directories, symbolic links, modes) through {@code tar} on a
 * target whose sshd has no SFTP subsystem. Long names and link targets are written as POSIX pax
 * records and read from pax or GNU ({@code L}, {@code K}) headers, so nothing is cut at 100 bytes.
 * Special files (FIFOs, devices, sockets) are skipped and reported, never read.
 */
public final class Tar {
  private static final int BLOCK = 512;

  private Tar() {}

  /**
   * Writes {@code source} (a file or a tree; a link as {@code source} itself is followed) as
   * entries named from its file name down. Returns the special files it skipped.
   */
  public static List<String> write(Path source, OutputStream out) throws IOException {
    Path start = Files.isSymbolicLink(source) ? source.toRealPath() : source;
    String top = source.getFileName() == null ? "root" : source.getFileName().toString();
    List<Path> paths;
    try (Stream<Path> walk = Files.walk(start)) {
      paths = walk.toList();
    }
    List<String> skipped = new ArrayList<>();
    for (Path p : paths) {
      boolean isTop = p.equals(start);
      String name = isTop ? top : top + "/" + start.relativize(p);
      if (Files.isSymbolicLink(p)) {
        entry(out, name, 0777, 0, '2', Files.readSymbolicLink(p).toString());
      } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        entry(out, name + "/", mode(p, false), 0, '5', "");
      } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        long size = Files.size(p);
        entry(out, name, mode(p, false), size, '0', "");
        try (InputStream in = Files.newInputStream(p)) {
          copy(in, out, size);
        }
        out.write(new byte[(int) ((BLOCK - size % BLOCK) % BLOCK)]);
      } else {
        skipped.add(p + " (" + SpecialFiles.describe(p) + ")");
      }
    }
    out.write(new byte[BLOCK * 2]);
    out.flush();
    return skipped;
  }

  /** One entry's header, preceded by a pax header when its name or link target does not fit. */
  private static void entry(
      OutputStream out, String name, int mode, long size, char type, String link)
      throws IOException {
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    byte[] l = link.getBytes(StandardCharsets.UTF_8);
    if (n.length > 100 || l.length > 100) {
      ByteArrayOutputStream records = new ByteArrayOutputStream();
      if (n.length > 100) {
        records.writeBytes(paxRecord("path", name));
      }
      if (l.length > 100) {
        records.writeBytes(paxRecord("linkpath", link));
      }
      out.write(header("././@PaxHeader", 0644, records.size(), 'x', ""));
      out.write(records.toByteArray());
      out.write(new byte[(BLOCK - records.size() % BLOCK) % BLOCK]);
    }
    out.write(header(name, mode, size, type, link));
  }

  /** {@code "LEN key=value\n"}, where LEN counts the whole record, its own digits included. */
  private static byte[] paxRecord(String key, String value) {
    int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
    int len = body + String.valueOf(body).length();
    if (String.valueOf(len).length() != String.valueOf(body).length()) {
      len++;
    }
    return (len + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A ustar header; a name or link longer than its field is cut there (a pax record holds it
   * whole).
   */
  static byte[] header(String name, int mode, long size, char type, String link) {
    byte[] h = new byte[BLOCK];
    put(h, 0, 100, name.getBytes(StandardCharsets.UTF_8));
    putOctal(h, 100, 8, mode);
    putOctal(h, 108, 8, 0);
    putOctal(h, 116, 8, 0);
    if (size > 077777777777L) { // 8 GiB and more: base-256, as GNU tar writes (and reads) it
      h[124] = (byte) 0x80;
      for (int i = 0; i < 8; i++) {
        h[135 - i] = (byte) (size >>> (8 * i));
      }
    } else {
      putOctal(h, 124, 12, size);
    }
    putOctal(h, 136, 12, System.currentTimeMillis() / 1000);
    h[156] = (byte) type;
    put(h, 157, 100, link.getBytes(StandardCharsets.UTF_8));
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

  private static void put(byte[] h, int off, int len, byte[] value) {
    System.arraycopy(value, 0, h, off, Math.min(len, value.length));
  }

  /**
   * Reads entries into {@code dir}, which jbolt just made: names that would leave it, and entries
   * that would be written through a symbolic link the archive made, are refused. Returns the
   * special files it skipped.
   */
  public static List<String> extract(InputStream in, Path dir) throws IOException {
    byte[] h = new byte[BLOCK];
    Path root = dir.toAbsolutePath().normalize();
    List<String> skipped = new ArrayList<>();
    Next next = new Next();
    while (readFully(in, h) && !isZero(h)) {
      String name = TarFields.field(h, 0, 100);
      String prefix = TarFields.field(h, 345, 155);
      if (!prefix.isEmpty() && "ustar".equals(TarFields.field(h, 257, 6).strip())) {
        name = prefix + "/" + name;
      }
      String link = TarFields.field(h, 157, 100);
      long size = TarFields.number(h, 124, 12);
      char type = (char) h[156];
      if (next.read(type, in, size)) {
        continue;
      }
      name = next.name != null ? next.name : name;
      link = next.link != null ? next.link : link;
      size = next.size >= 0 ? next.size : size;
      next = new Next();
      String skip = write(in, root, name, link, type, (int) TarFields.number(h, 100, 8), size);
      if (skip != null) {
        skipped.add(skip);
      }
    }
    return skipped;
  }

  /** What GNU long-name entries and pax headers say of the next entry: its name, link, size. */
  private static final class Next {
    String name;
    String link;
    long size = -1;

    /** Takes in an entry of {@code type} that describes the next one; false for any other. */
    boolean read(char type, InputStream in, long size) throws IOException {
      switch (type) {
        case 'L' -> name = strip(readData(in, size));
        case 'K' -> link = strip(readData(in, size));
        case 'x' -> {
          for (String[] kv : pax(readData(in, size))) {
            switch (kv[0]) {
              case "path" -> name = kv[1];
              case "linkpath" -> link = kv[1];
              case "size" -> this.size = TarFields.paxNumber(kv[1]);
              default -> {}
            }
          }
        }
        case 'g' -> skip(in, padded(size));
        default -> {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Writes one entry at {@code root/name} (checked by {@link #inside}): a directory, a file with
   * its data, a symbolic or hard link; gives what it skipped (a special file), or null.
   */
  private static String write(
      InputStream in, Path root, String name, String link, char type, int mode, long size)
      throws IOException {
    Path target = inside(root, name);
    switch (type) {
      case '5' -> {
        Files.createDirectories(target);
        Files.setPosixFilePermissions(target, permissions(mode | 0700));
      }
      case '0', '\0', '7' -> {
        Files.createDirectories(target.getParent());
        try (OutputStream out = Files.newOutputStream(target)) {
          copy(in, out, size);
        }
        Files.setPosixFilePermissions(target, permissions(mode));
        skip(in, padded(size) - size);
      }
      case '2' -> {
        Files.createDirectories(target.getParent());
        Files.createSymbolicLink(target, Path.of(link));
      }
      case '1' -> {
        Path existing = inside(root, link);
        Files.createDirectories(target.getParent());
        Files.copy(existing, target, LinkOption.NOFOLLOW_LINKS);
      }
      default -> {
        skip(in, padded(size));
        return name + " (" + SpecialFiles.tarType(type) + ")";
      }
    }
    return null;
  }

  /**
   * {@code root/name}, refused when it leaves {@code root} or passes through a symbolic link below
   * it (one the archive made: the directory was empty before).
   */
  private static Path inside(Path root, String name) throws IOException {
    Path target = root.resolve(name).normalize();
    if (!target.startsWith(root) || target.equals(root) && !name.matches("\\.?/?")) {
      throw new IOException("refusing tar entry outside the destination: " + name);
    }
    for (Path p = target.getParent();
        p != null && p.startsWith(root) && !p.equals(root);
        p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new IOException("refusing tar entry written through a symbolic link: " + name);
      }
    }
    if (Files.isSymbolicLink(target)) {
      throw new IOException("refusing tar entry that replaces a symbolic link: " + name);
    }
    return target;
  }

  private static long padded(long size) {
    return size + (BLOCK - size % BLOCK) % BLOCK;
  }

  private static byte[] readData(InputStream in, long size) throws IOException {
    if (size > 1024 * 1024) {
      throw new IOException("tar extended header of " + size + " bytes");
    }
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    copy(in, b, size);
    skip(in, padded(size) - size);
    return b.toByteArray();
  }

  private static String strip(byte[] b) {
    String s = new String(b, StandardCharsets.UTF_8);
    int nul = s.indexOf('\0');
    return nul >= 0 ? s.substring(0, nul) : s;
  }

  /** The records of a pax extended header: {@code "LEN key=value\n"}, LEN counting bytes. */
  private static List<String[]> pax(byte[] data) throws IOException {
    List<String[]> out = new ArrayList<>();
    int i = 0;
    while (i < data.length && data[i] != 0) {
      int sp = i;
      while (sp < data.length && data[sp] != ' ') {
        sp++;
      }
      int len;
      try {
        len = Integer.parseInt(new String(data, i, sp - i, StandardCharsets.US_ASCII));
      } catch (NumberFormatException e) {
        throw new IOException("garbled pax header");
      }
      if (len <= sp - i || i + len > data.length) {
        throw new IOException("garbled pax header");
      }
      String record = new String(data, sp + 1, i + len - sp - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        out.add(new String[] {record.substring(0, eq), record.substring(eq + 1)});
      }
      i += len;
    }
    return out;
  }

  private static void putOctal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    s = "0".repeat(Math.max(0, len - 1 - s.length())) + s;
    byte[] b = s.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, Math.min(b.length, len - 1));
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

  /** The mode of {@code p}: of the file a link points to only when {@code follow}. */
  public static int mode(Path p, boolean follow) throws IOException {
    int m = 0;
    for (PosixFilePermission x :
        follow
            ? Files.getPosixFilePermissions(p)
            : Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)) {
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
