package dev.jbolt.transport.container;

import dev.jbolt.files.LocalFiles;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.Bounded;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.Posix;
import dev.jbolt.transport.Staging;
import dev.jbolt.transport.Tar;
import dev.jbolt.transport.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Files to and from a container: tar streams through the engine's {@code cp} (so the image needs no
 * tar), staged in a fresh directory beside the destination and moved into place with the rules of
 * {@link dev.jbolt.transport.Connection#upload}; every transfer bounded (a timeout or Ctrl-C stops
 * the engine's process, and the staging directory goes).
 */
final class ContainerFiles {
  private final ContainerConnection c;

  ContainerFiles(ContainerConnection c) {
    this.c = c;
  }

  /**
   * A path in the container as its user means it: {@code ~} is the home, relative is to the cwd.
   */
  private static String absolute(ContainerConnection.Opened o, String path) {
    if (path.equals("~")) {
      return o.home();
    }
    if (path.startsWith("~/")) {
      return o.home() + path.substring(1);
    }
    return path.startsWith("/") ? path : (o.cwd().equals("/") ? "" : o.cwd()) + "/" + path;
  }

  List<String> upload(Path source, String destination, long timeoutMillis)
      throws TransportException {
    if (!Files.exists(source)) {
      throw new TransportException(
          ErrorKind.FILE_ERROR, "WRITE_ERROR", source + ": no such file or directory", null);
    }
    ContainerConnection.Opened o = c.open();
    String dest = absolute(o, destination);
    AtomicReference<Process> current = new AtomicReference<>();
    return Bounded.run(
        timeoutMillis,
        "upload to " + destination,
        () -> uploadStaged(o, source, dest, current),
        () -> destroy(current));
  }

  private static void destroy(AtomicReference<Process> current) {
    Process p = current.get();
    if (p != null) {
      p.destroyForcibly();
    }
  }

  /** The tree goes as a tar stream into a fresh directory beside {@code dest}, then into place. */
  private List<String> uploadStaged(
      ContainerConnection.Opened o, Path source, String dest, AtomicReference<Process> current)
      throws TransportException {
    Exec.Output made =
        Exec.run(
            c,
            "mktemp -d \"$(dirname " + Posix.quote(dest) + ")/.jbolt.XXXXXXXXXX\"",
            null,
            0,
            null);
    if (!Integer.valueOf(0).equals(made.exitCode())) {
      throw writeError(dest, made.stderrText());
    }
    String staging = made.stdoutText().strip();
    boolean placed = false;
    try {
      Engine.Proc cp =
          Engine.spawn(c.engineCommand(List.of("cp", "-", o.id() + ":" + staging)), c.env());
      current.set(cp.process());
      List<String> skipped = List.of();
      try (OutputStream in = cp.process().getOutputStream()) {
        skipped = Tar.write(source, in);
      } catch (IOException e) {
        // the engine stopped reading; what it printed says why
      }
      Engine.Result r = cp.finish();
      if (r.code() != 0) {
        throw writeError(dest, r.err());
      }
      Exec.Output moved =
          Exec.run(
              c,
              "d=" + Posix.quote(staging) + "; " + Staging.placeScript(source, dest),
              null,
              0,
              null);
      placed = true;
      if (!Integer.valueOf(0).equals(moved.exitCode())) {
        throw writeError(dest, moved.stderrText());
      }
      return skipped;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled", e);
    } finally {
      if (!placed) {
        cleanUp(staging);
      }
    }
  }

  /** Removes a staging directory after a failed or stopped transfer, even when interrupted. */
  private void cleanUp(String staging) {
    boolean interrupted = Thread.interrupted();
    try {
      Exec.run(c, "rm -rf " + Posix.quote(staging), null, 10_000, null);
    } catch (TransportException e) {
      // left behind: a dot directory beside the destination
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private TransportException writeError(String dest, String said) {
    return new TransportException(
        ErrorKind.FILE_ERROR,
        "WRITE_ERROR",
        "upload to " + dest + " in " + c.where() + " failed: " + said.strip(),
        null);
  }

  List<String> download(String source, Path destination, long timeoutMillis)
      throws TransportException {
    ContainerConnection.Opened o = c.open();
    String src = absolute(o, source);
    AtomicReference<Process> current = new AtomicReference<>();
    return Bounded.run(
        timeoutMillis,
        "download of " + source,
        () -> downloadStaged(o, src, destination, current),
        () -> destroy(current));
  }

  /** {@code ENGINE cp ID:SRC -} gives a tar stream, unpacked beside the destination, then moved. */
  private List<String> downloadStaged(
      ContainerConnection.Opened o, String src, Path destination, AtomicReference<Process> current)
      throws TransportException {
    Path staging = null;
    try {
      staging = Files.createTempDirectory(destination.toAbsolutePath().getParent(), ".jbolt");
      Engine.Proc cp =
          Engine.spawn(c.engineCommand(List.of("cp", o.id() + ":" + src, "-")), c.env());
      current.set(cp.process());
      cp.process().getOutputStream().close();
      List<String> skipped;
      IOException broken = null;
      try (InputStream in = cp.process().getInputStream()) {
        skipped = Tar.extract(in, staging);
        in.transferTo(OutputStream.nullOutputStream());
      } catch (IOException e) {
        cp.process().destroyForcibly();
        skipped = List.of();
        broken = e;
      }
      Engine.Result r = cp.finish();
      if (r.code() != 0 || broken != null) {
        throw readError(src, r.code() != 0 ? r.err() : broken.getMessage());
      }
      Files.move(Staging.extracted(src, c.where(), staging, skipped), destination);
      return skipped;
    } catch (IOException e) {
      throw readError(src, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw TransportException.cancelled("cancelled", e);
    } finally {
      if (staging != null) {
        LocalFiles.deleteTree(staging);
      }
    }
  }

  private TransportException readError(String src, String said) {
    return new TransportException(
        ErrorKind.FILE_ERROR,
        "READ_ERROR",
        "download of " + src + " from " + c.where() + " failed: " + String.valueOf(said).strip(),
        null);
  }
}
