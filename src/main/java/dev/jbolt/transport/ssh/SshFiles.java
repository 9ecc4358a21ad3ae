package dev.jbolt.transport.ssh;

import dev.jbolt.files.LocalFiles;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.Bounded;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.OutputListener;
import dev.jbolt.transport.Posix;
import dev.jbolt.transport.RemoteProcess;
import dev.jbolt.transport.Staging;
import dev.jbolt.transport.Tar;
import dev.jbolt.transport.TransportException;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Files to and from one target: over SFTP on a channel of the target's session, or through {@code
 * tar} on an exec channel when the server has no SFTP subsystem. Every transfer is bounded (a
 * timeout or Ctrl-C closes its channel, see {@link Bounded}), and special files are skipped.
 */
final class SshFiles {
  private final SshConnection connection;
  private volatile boolean noSftp;

  SshFiles(SshConnection connection) {
    this.connection = connection;
  }

  /**
   * A remote path as the login user means it: {@code ~} and {@code ~/...} are in the login user's
   * home, which is where SFTP and an exec channel start (so the path becomes relative, {@code
   * ./...}).
   */
  static String remotePath(String path) {
    if (path.equals("~")) {
      return ".";
    }
    // "./": a name starting with '-' stays a path for the tools of the tar fallback, not an option
    return path.startsWith("~/") ? "./" + path.substring(2) : path;
  }

  List<String> upload(Path source, String remoteDestination, long timeoutMillis)
      throws TransportException {
    String destination = remotePath(remoteDestination);
    if (!Files.exists(source)) {
      throw new TransportException(
          ErrorKind.FILE_ERROR, "WRITE_ERROR", source + ": no such file or directory", null);
    }
    AtomicReference<Runnable> abort = new AtomicReference<>(() -> {});
    return Bounded.run(
        timeoutMillis,
        "upload to " + destination,
        () -> {
          Open open = sftp();
          if (open == null) {
            return uploadWithTar(source, destination, abort);
          }
          SftpClient sftp = open.client();
          abort.set(() -> close(sftp));
          try {
            String dest = destination;
            SftpClient.Attributes at = stat(sftp, dest);
            // A file goes into a directory under its own name; a directory is the destination
            // itself, so that uploading it again gives the same tree, not one nested in it.
            if (at != null && at.isDirectory() && !Files.isDirectory(source)) {
              dest = join(dest, source.getFileName().toString());
            }
            return Sftp.put(sftp, source, dest);
          } catch (IOException e) {
            throw fileError("upload to " + destination, e);
          } finally {
            close(sftp);
            open.slot().release().run();
          }
        },
        () -> abort.get().run());
  }

  List<String> download(String remoteSource, Path destination, long timeoutMillis)
      throws TransportException {
    String source = remotePath(remoteSource);
    AtomicReference<Runnable> abort = new AtomicReference<>(() -> {});
    return Bounded.run(
        timeoutMillis,
        "download of " + source,
        () -> {
          Open open = sftp();
          if (open == null) {
            return downloadWithTar(source, destination, abort);
          }
          SftpClient sftp = open.client();
          abort.set(() -> close(sftp));
          try {
            if (stat(sftp, source) == null) {
              throw new TransportException(
                  ErrorKind.FILE_ERROR, "READ_ERROR", source + ": no such file or directory", null);
            }
            return Sftp.get(sftp, source, destination);
          } catch (IOException e) {
            throw fileError("download of " + source, e);
          } finally {
            close(sftp);
            open.slot().release().run();
          }
        },
        () -> abort.get().run());
  }

  /** An SFTP client and the channel slot it holds until closed. */
  private record Open(SftpClient client, SshConnection.Slot slot) {}

  /** An SFTP client on its own channel, or null when the server has no SFTP subsystem. */
  private Open sftp() throws TransportException {
    if (noSftp) {
      return null;
    }
    SshConnection.Slot slot = connection.slot();
    try {
      return new Open(SftpClientFactory.instance().createSftpClient(slot.session()), slot);
    } catch (IOException e) {
      slot.release().run();
      noSftp = true;
      return null;
    } catch (RuntimeException e) {
      slot.release().run();
      throw e;
    }
  }

  private static void close(SftpClient sftp) {
    try {
      sftp.close();
    } catch (IOException e) {
      // the channel is gone either way
    }
  }

  private static SftpClient.Attributes stat(SftpClient sftp, String path) throws IOException {
    try {
      return sftp.stat(path);
    } catch (SftpException e) {
      if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
        return null;
      }
      throw e;
    }
  }

  private static void closeQuietly(Closeable c) {
    try {
      c.close();
    } catch (IOException e) {
      // closing is all that was wanted
    }
  }

  static String join(String dir, String name) {
    return dir.endsWith("/") ? dir + name : dir + "/" + name;
  }

  private TransportException fileError(String what, Exception e) {
    if (connection.lost()) {
      return connection.silent()
          ? new TransportException(
              ErrorKind.CONNECTION_SILENT,
              "the connection to "
                  + connection.where()
                  + " went silent (no answer to keepalives: the network or the host went away) during the "
                  + what
                  + "; the file may be incomplete",
              e)
          : new TransportException(
              ErrorKind.CONNECTION_LOST,
              "the connection to "
                  + connection.where()
                  + " was lost during the "
                  + what
                  + "; the file may be incomplete",
              e);
    }
    return new TransportException(
        ErrorKind.FILE_ERROR,
        "WRITE_ERROR",
        what + " on " + connection.where() + " failed: " + SshErrors.rootMessage(e),
        e);
  }

  /** Without SFTP: unpack a tar stream beside the destination, then move it into place. */
  private List<String> uploadWithTar(
      Path source, String destination, AtomicReference<Runnable> abort) throws TransportException {
    String script =
        "d=$(mktemp -d \"$(dirname "
            + Posix.quote(destination)
            + ")/.jbolt.XXXXXXXXXX\") || exit 1; "
            + "tar -x -p -f - -C \"$d\" || { rm -rf \"$d\"; exit 1; }; "
            + Staging.placeScript(source, destination);
    Exec.Collector collector = new Exec.Collector(null);
    RemoteProcess p = connection.start(script, collector);
    abort.set(p::kill);
    try {
      List<String> skipped = List.of();
      try (OutputStream in = p.stdin()) {
        skipped = Tar.write(source, in);
      } catch (IOException e) {
        // the remote side failed; its stderr says why
      }
      p.waitFor(Long.MAX_VALUE);
      Exec.checkEnd(p);
      Exec.Output out = collector.result(p.exitCode());
      if (!Integer.valueOf(0).equals(out.exitCode())) {
        throw new TransportException(
            ErrorKind.FILE_ERROR,
            "WRITE_ERROR",
            "upload to "
                + destination
                + " on "
                + connection.where()
                + " failed: "
                + out.stderrText().strip(),
            null);
      }
      return skipped;
    } catch (InterruptedException e) {
      p.kill();
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled", e);
    }
  }

  /**
   * Without SFTP: the remote {@code tar -c} of {@code source} is extracted into a staging directory
   * beside {@code destination} ({@link Tar#extract}: nothing written outside it), then moved into
   * place; gives what tar had that is neither file nor directory, skipped.
   */
  private List<String> downloadWithTar(
      String source, Path destination, AtomicReference<Runnable> abort) throws TransportException {
    Path staging;
    try {
      staging = Files.createTempDirectory(destination.toAbsolutePath().getParent(), ".jbolt");
    } catch (IOException e) {
      throw fileError("download of " + source, e);
    }
    try {
      List<String> skipped = extractRemoteTar(source, staging, abort);
      Files.move(Staging.extracted(source, connection.where(), staging, skipped), destination);
      return skipped;
    } catch (IOException e) {
      throw fileError("download of " + source, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled", e);
    } finally {
      LocalFiles.deleteTree(staging);
    }
  }

  /** Runs tar on the target and extracts its output into {@code staging} as it comes. */
  private List<String> extractRemoteTar(
      String source, Path staging, AtomicReference<Runnable> abort)
      throws IOException, InterruptedException, TransportException {
    String script =
        "cd \"$(dirname "
            + Posix.quote(source)
            + ")\" && tar -c -f - \"$(basename "
            + Posix.quote(source)
            + ")\"";
    Exec.Collector errors = new Exec.Collector(null);
    try (PipedInputStream pipeIn = new PipedInputStream(256 * 1024);
        PipedOutputStream pipeOut = new PipedOutputStream(pipeIn)) {
      RemoteProcess p =
          connection.start(
              script,
              (stream, buf, off, len) -> {
                if (stream == OutputListener.Stream.STDOUT) {
                  try {
                    pipeOut.write(buf, off, len);
                  } catch (IOException e) {
                    // extraction failed; reported below
                  }
                } else {
                  errors.output(stream, buf, off, len);
                }
              });
      // Close the pipe before killing: a MINA I/O thread blocked on a full pipe could not carry the
      // kill.
      abort.set(
          () -> {
            closeQuietly(pipeIn);
            p.kill();
          });
      p.stdin().close();
      Thread closer = Thread.ofVirtual().start(() -> closeWhenDone(p, pipeOut));
      IOException extractError = null;
      List<String> skipped = List.of();
      try {
        skipped = Tar.extract(pipeIn, staging);
        pipeIn.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        extractError = e;
        closeQuietly(pipeIn);
        p.kill();
      }
      closer.join();
      checkTar(source, p, extractError, errors);
      return skipped;
    }
  }

  /** A tar that failed, or whose output could not be extracted, fails the download. */
  private void checkTar(
      String source, RemoteProcess p, IOException extractError, Exec.Collector errors)
      throws TransportException {
    Exec.checkEnd(p);
    if (!Integer.valueOf(0).equals(p.exitCode()) || extractError != null) {
      String why =
          extractError != null
              ? extractError.getMessage()
              : errors.result(null).stderrText().strip();
      throw new TransportException(
          ErrorKind.FILE_ERROR,
          "READ_ERROR",
          "download of " + source + " from " + connection.where() + " failed: " + why,
          null);
    }
  }

  /** Closes the pipe tar writes into once tar has ended: the extraction then sees its end. */
  private static void closeWhenDone(RemoteProcess p, Closeable pipe) {
    try {
      p.waitFor(Long.MAX_VALUE);
    } catch (InterruptedException e) {
      p.kill();
    }
    closeQuietly(pipe);
  }
}
