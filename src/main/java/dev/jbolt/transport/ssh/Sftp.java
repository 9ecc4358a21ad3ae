package dev.jbolt.transport.ssh;

import dev.jbolt.files.LocalFiles;
import dev.jbolt.transport.SpecialFiles;
import dev.jbolt.transport.Tar;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Recursive copies over SFTP, modes kept. The source itself is followed when it is a link; links
 * inside a tree are copied as links; special files (FIFOs, devices, sockets) are skipped, never
 * opened: opening a FIFO would wait for a writer forever.
 */
final class Sftp {
  private Sftp() {}

  /** Returns the special files skipped. */
  static List<String> put(SftpClient sftp, Path source, String dest) throws IOException {
    List<String> skipped = new ArrayList<>();
    put(sftp, source, dest, true, skipped);
    return skipped;
  }

  private static void put(
      SftpClient sftp, Path source, String dest, boolean top, List<String> skipped)
      throws IOException {
    if (!top && Files.isSymbolicLink(source)) {
      String to = Files.readSymbolicLink(source).toString();
      // Several targets may share this file system (NFS homes): another may make the same link
      // meanwhile. The same link there is success; anything else is replaced once more.
      for (int attempt = 0; ; attempt++) {
        SftpClient.Attributes old = lstat(sftp, dest);
        if (old != null && old.isSymbolicLink() && to.equals(readLink(sftp, dest))) {
          return;
        }
        try {
          if (old != null && !old.isDirectory()) {
            sftp.remove(dest);
          }
          sftp.symLink(dest, to);
          return;
        } catch (SftpException e) {
          if (attempt >= 2) {
            throw e;
          }
        }
      }
    }
    if (Files.isDirectory(source)) {
      mkdir(sftp, dest);
      List<Path> children;
      try (Stream<Path> s = Files.list(source)) {
        children = s.sorted().toList();
      }
      for (Path child : children) {
        put(sftp, child, SshFiles.join(dest, child.getFileName().toString()), false, skipped);
      }
    } else if (Files.isRegularFile(source)) {
      try (OutputStream out = explained(sftp, "write", dest, () -> sftp.write(dest));
          InputStream in = Files.newInputStream(source)) {
        in.transferTo(out);
      }
    } else {
      skipped.add(source + " (" + SpecialFiles.describe(source) + ")");
      return;
    }
    sftp.setStat(dest, new SftpClient.Attributes().perms(Tar.mode(source, true)));
  }

  private static SftpClient.Attributes lstat(SftpClient sftp, String path) throws IOException {
    try {
      return sftp.lstat(path);
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        return null;
      }
      throw e;
    }
  }

  private static String readLink(SftpClient sftp, String path) {
    try {
      return sftp.readLink(path);
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Makes {@code dir} unless it is one. A directory that appears meanwhile (another target on the
   * same shared file system made it) is success, not "a directory is in the way".
   */
  private static void mkdir(SftpClient sftp, String dir) throws IOException {
    SftpClient.Attributes at = lstat(sftp, dir);
    if (at != null && at.isDirectory()) {
      return;
    }
    explained(
        sftp,
        "make the directory",
        dir,
        () -> {
          try {
            sftp.mkdir(dir);
          } catch (SftpException e) {
            SftpClient.Attributes now = lstat(sftp, dir);
            if (now == null || !now.isDirectory()) {
              throw e;
            }
          }
          return null;
        });
  }

  private interface Op<T> {
    T run() throws IOException;
  }

  /**
   * Runs an SFTP operation on {@code path}; a refusal says what failed and why. SFTP's own answer
   * is often only "Failure", so the path is looked at to say more.
   */
  private static <T> T explained(SftpClient sftp, String what, String path, Op<T> op)
      throws IOException {
    try {
      return op.run();
    } catch (SftpException e) {
      // not chained: the transfer error shows the root cause, which is only "Failure"
      throw new IOException("cannot " + what + " " + path + ": " + why(sftp, path, e));
    }
  }

  private static String why(SftpClient sftp, String path, SftpException e) {
    int slash = path.lastIndexOf('/');
    String parent = slash > 0 ? path.substring(0, slash) : slash == 0 ? "/" : ".";
    SftpClient.Attributes at;
    SftpClient.Attributes up;
    try {
      at = lstat(sftp, path);
      up = lstat(sftp, parent);
    } catch (IOException probe) {
      return e.getMessage();
    }
    if (up == null) {
      return "its directory does not exist";
    }
    if (!up.isDirectory()) {
      return parent + " is not a directory";
    }
    return switch (e.getStatus()) {
      case SftpConstants.SSH_FX_PERMISSION_DENIED -> "permission denied";
      case SftpConstants.SSH_FX_NO_SUCH_FILE -> "no such file or directory";
      default ->
          at != null && !at.isDirectory() && !at.isRegularFile()
              ? "something other than a file is there"
              : at != null && at.isDirectory()
                  ? "a directory is in the way"
                  : at != null
                      ? "a file is in the way"
                      : "the server refused ("
                          + e.getMessage()
                          + "): a full disk or a read-only"
                          + " file system?";
    };
  }

  /** Returns the special files skipped; a source that is itself one is an error. */
  static List<String> get(SftpClient sftp, String source, Path dest) throws IOException {
    SftpClient.Attributes at = sftp.stat(source);
    if (!at.isDirectory() && !at.isRegularFile()) {
      throw new IOException(
          source
              + " is "
              + SpecialFiles.kind(at.getPermissions() & 0170000)
              + ", not a file or directory: nothing to download");
    }
    List<String> skipped = new ArrayList<>();
    get(sftp, source, at, dest, skipped);
    return skipped;
  }

  private static void get(
      SftpClient sftp, String source, SftpClient.Attributes at, Path dest, List<String> skipped)
      throws IOException {
    if (at.isSymbolicLink()) {
      Files.createSymbolicLink(dest, Path.of(sftp.readLink(source)));
      return;
    }
    if (at.isDirectory()) {
      Files.createDirectories(dest);
      for (SftpClient.DirEntry e : sftp.readDir(source)) {
        String name = e.getFilename();
        if (name.equals(".") || name.equals("..")) {
          continue;
        }
        get(
            sftp,
            SshFiles.join(source, name),
            e.getAttributes(),
            dest.resolve(LocalFiles.checkName(name)),
            skipped);
      }
    } else if (at.isRegularFile()) {
      try (InputStream in = sftp.read(source);
          OutputStream out = Files.newOutputStream(dest)) {
        in.transferTo(out);
      }
    } else {
      skipped.add(source + " (" + SpecialFiles.kind(at.getPermissions() & 0170000) + ")");
      return;
    }
    Files.setPosixFilePermissions(
        dest, Tar.permissions(at.getPermissions() & 0777 | (at.isDirectory() ? 0700 : 0)));
  }
}
