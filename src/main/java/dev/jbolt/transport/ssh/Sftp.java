package dev.jbolt.transport.ssh;

import dev.jbolt.transport.LocalFiles;
import dev.jbolt.transport.Tar;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/** Recursive copies over SFTP, modes kept. */
final class Sftp {
  private Sftp() {}

  static void put(SftpClient sftp, Path source, String dest) throws IOException {
    if (Files.isDirectory(source)) {
      mkdir(sftp, dest);
      List<Path> children;
      try (Stream<Path> s = Files.list(source)) {
        children = s.sorted().toList();
      }
      for (Path child : children) {
        put(sftp, child, SshConnection.join(dest, child.getFileName().toString()));
      }
    } else {
      try (OutputStream out = sftp.write(dest); InputStream in = Files.newInputStream(source)) {
        in.transferTo(out);
      }
    }
    sftp.setStat(dest, new SftpClient.Attributes().perms(Tar.mode(source)));
  }

  private static void mkdir(SftpClient sftp, String dir) throws IOException {
    try {
      if (sftp.stat(dir).isDirectory()) {
        return;
      }
    } catch (SftpException e) {
      if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
        throw e;
      }
    }
    sftp.mkdir(dir);
  }

  static void get(SftpClient sftp, String source, Path dest) throws IOException {
    SftpClient.Attributes at = sftp.stat(source);
    if (at.isDirectory()) {
      Files.createDirectories(dest);
      for (SftpClient.DirEntry e : sftp.readDir(source)) {
        String name = e.getFilename();
        if (name.equals(".") || name.equals("..")) {
          continue;
        }
        get(sftp, SshConnection.join(source, name), dest.resolve(LocalFiles.checkName(name)));
      }
    } else {
      Files.createDirectories(dest.toAbsolutePath().getParent());
      try (InputStream in = sftp.read(source); OutputStream out = Files.newOutputStream(dest)) {
        in.transferTo(out);
      }
    }
    Files.setPosixFilePermissions(dest, Tar.permissions(at.getPermissions() & 0777 | (at.isDirectory() ? 0700 : 0)));
  }
}
