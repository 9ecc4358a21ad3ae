package dev.jbolt.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes under a directory the user chose (a download's DEST, an --output-dir) that can never land
 * outside it: every directory on the way is checked not to be a symbolic link, files are replaced
 * by a rename (a symlink in their place is replaced, never followed), and nothing that is already
 * there is deleted. The one recursive delete of the code base lives here too; it never follows a
 * link.
 */
public final class LocalFiles {
  private LocalFiles() {}

  /** A path jbolt refuses to write: what it is and why, for the action's error. */
  public static final class UnsafePath extends IOException {
    public UnsafePath(String message) {
      super(message);
    }
  }

  /**
   * {@code root/names[0]/names[1]/...}, made where missing; each name must be one plain file name
   * and no directory below {@code root} a symbolic link. The root itself may be a link the user
   * made.
   */
  public static Path dir(Path root, String... names) throws IOException {
    Files.createDirectories(root);
    Path real = root.toRealPath();
    Path d = root;
    for (String name : names) {
      checkName(name);
      d = d.resolve(name);
      if (Files.isSymbolicLink(d)) {
        throw new UnsafePath(
            d + " is a symbolic link; jbolt does not write through links (remove it)");
      }
      try {
        Files.createDirectory(d);
      } catch (FileAlreadyExistsException e) {
        if (!Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
          throw new UnsafePath(d + " exists and is not a directory");
        }
      }
    }
    if (!d.toRealPath().startsWith(real)) {
      throw new UnsafePath(d + " resolves outside " + root);
    }
    return d;
  }

  /** A name that is one path component: not empty, not . or .., no slash or NUL. */
  public static String checkName(String name) throws UnsafePath {
    if (name.isEmpty()
        || name.equals(".")
        || name.equals("..")
        || name.indexOf('/') >= 0
        || name.indexOf('\0') >= 0) {
      throw new UnsafePath(
          "refusing the file name '" + name.replace("\0", "\\0") + "': not a plain name");
    }
    return name;
  }

  /**
   * Writes {@code bytes} to {@code file} through a temp file and a rename: a link at {@code file}
   * is replaced.
   */
  public static void write(Path file, byte[] bytes) throws IOException {
    write(file, out -> out.write(bytes));
  }

  /** What a file is written with, streamed. */
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code content} to {@code file} as {@link #write(Path, byte[])} does, streamed. */
  public static void write(Path file, Content content) throws IOException {
    Path tmp = Files.createTempFile(file.getParent(), ".jbolt-", ".tmp");
    try {
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 64 * 1024)) {
        content.writeTo(out);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Moves a tree that jbolt just made ({@code staged}) to {@code dest}, keeping what is there:
   * files and links are replaced by a rename, directories are merged, and a file never replaces a
   * directory nor the other way round. Nothing under {@code dest} is deleted.
   */
  public static void merge(Path staged, Path dest) throws IOException {
    boolean stagedDir = Files.isDirectory(staged, LinkOption.NOFOLLOW_LINKS);
    if (!Files.exists(dest, LinkOption.NOFOLLOW_LINKS)) {
      Files.move(staged, dest, StandardCopyOption.ATOMIC_MOVE);
      return;
    }
    boolean destDir = Files.isDirectory(dest, LinkOption.NOFOLLOW_LINKS);
    if (stagedDir != destDir) {
      throw new UnsafePath(
          dest
              + " exists and is "
              + (destDir
                  ? "a directory"
                  : Files.isSymbolicLink(dest) ? "a symbolic link" : "a file")
              + "; jbolt does not replace it with "
              + (stagedDir ? "a directory" : "a file")
              + " (remove it first)");
    }
    if (!stagedDir) {
      try {
        Files.move(
            staged, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (DirectoryNotEmptyException e) {
        throw new UnsafePath(dest + " exists and is a directory");
      }
      return;
    }
    List<Path> children;
    try (Stream<Path> s = Files.list(staged)) {
      children = s.toList();
    }
    for (Path child : children) {
      merge(child, dest.resolve(child.getFileName().toString()));
    }
    Files.setPosixFilePermissions(
        dest, Files.getPosixFilePermissions(staged, LinkOption.NOFOLLOW_LINKS));
  }

  /**
   * Deletes a tree jbolt made; links are removed, never followed. Best effort: errors are ignored.
   */
  public static void deleteTree(Path p) {
    if (p == null || !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(p)) {
      for (Path x : walk.sorted(Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(x);
        } catch (NoSuchFileException | DirectoryNotEmptyException e) {
          // gone already, or something new appeared in it: left alone
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // a temp dir: best effort
    }
  }
}
