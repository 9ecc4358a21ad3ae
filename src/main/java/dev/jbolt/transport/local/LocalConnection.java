package dev.jbolt.transport.local;

import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.Bounded;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.OutputBudget;
import dev.jbolt.transport.OutputListener;
import dev.jbolt.transport.Pump;
import dev.jbolt.transport.RemoteProcess;
import dev.jbolt.transport.SpecialFiles;
import dev.jbolt.transport.TransportException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

final class LocalConnection implements Connection {
  private final OutputBudget budget;
  private final Path cwd;

  LocalConnection(OutputBudget budget, Path cwd) {
    this.budget = budget;
    this.cwd = cwd;
  }

  @Override
  public OutputBudget outputBudget() {
    return budget;
  }

  @Override
  public void connect() {}

  @Override
  public String loginUser() {
    return System.getProperty("user.name");
  }

  @Override
  public RemoteProcess start(String command, OutputListener listener) throws TransportException {
    Process p;
    try {
      ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command);
      if (cwd != null) {
        pb.directory(cwd.toFile());
      }
      p = pb.start();
    } catch (IOException e) {
      throw new TransportException(
          ErrorKind.EXCEPTION, "cannot start /bin/sh: " + e.getMessage(), e);
    }
    Thread out = Pump.start(p.getInputStream(), listener, OutputListener.Stream.STDOUT);
    Thread err = Pump.start(p.getErrorStream(), listener, OutputListener.Stream.STDERR);
    return new LocalProcess(p, out, err);
  }

  private record LocalProcess(Process p, Thread out, Thread err) implements RemoteProcess {
    @Override
    public OutputStream stdin() {
      return p.getOutputStream();
    }

    @Override
    public boolean waitFor(long millis) throws InterruptedException {
      return Pump.awaitExit(p, millis, out, err);
    }

    @Override
    public Integer exitCode() {
      return p.isAlive() ? null : p.exitValue();
    }

    @Override
    public void kill() {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  @Override
  public List<String> upload(Path source, String destination, long timeoutMillis)
      throws TransportException {
    Path dest = home(destination);
    // As over SSH: a file goes into a directory, a directory is the destination itself.
    Path to =
        Files.isDirectory(dest) && !Files.isDirectory(source)
            ? dest.resolve(source.getFileName().toString())
            : dest;
    return Bounded.run(
        timeoutMillis, "copy to " + destination, () -> copyTree(source, to), () -> {});
  }

  @Override
  public List<String> download(String source, Path destination, long timeoutMillis)
      throws TransportException {
    return Bounded.run(
        timeoutMillis, "copy of " + source, () -> copyTree(home(source), destination), () -> {});
  }

  /** {@code ~} and {@code ~/...}: in this user's home, as over SSH. */
  private static Path home(String path) {
    String h = System.getProperty("user.home");
    return path.equals("~")
        ? Path.of(h)
        : path.startsWith("~/") ? Path.of(h, path.substring(2)) : Path.of(path);
  }

  /**
   * Copies a file or tree: {@code source} itself followed when a link, links below it copied as
   * links, special files skipped. Interruptible: file contents go through channels.
   */
  private static List<String> copyTree(Path source, Path dest) throws TransportException {
    if (!Files.exists(source)) {
      throw new TransportException(
          ErrorKind.FILE_ERROR, "WRITE_ERROR", source + ": no such file or directory", null);
    }
    if (!Files.isDirectory(source) && !Files.isRegularFile(source)) {
      throw new TransportException(
          ErrorKind.FILE_ERROR,
          "READ_ERROR",
          source
              + " is "
              + SpecialFiles.describe(source)
              + ", not a file or directory: nothing to copy",
          null);
    }
    List<String> skipped = new ArrayList<>();
    try {
      copy(source, dest, true, skipped);
    } catch (IOException e) {
      if (Thread.currentThread().isInterrupted() || e instanceof ClosedByInterruptException) {
        throw TransportException.cancelled("copy stopped", e);
      }
      throw new TransportException(
          ErrorKind.FILE_ERROR, "WRITE_ERROR", "copy failed: " + e.getMessage(), e);
    }
    return skipped;
  }

  private static void copy(Path from, Path to, boolean top, List<String> skipped)
      throws IOException {
    if (!top && Files.isSymbolicLink(from)) {
      if (Files.isSymbolicLink(to) || Files.isRegularFile(to, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(to);
      }
      Files.createSymbolicLink(to, Files.readSymbolicLink(from));
    } else if (Files.isDirectory(from)) {
      if (!Files.isDirectory(to, LinkOption.NOFOLLOW_LINKS)) {
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
          throw new IOException(to + " exists and is not a directory");
        }
        Files.createDirectory(to);
      }
      List<Path> children;
      try (Stream<Path> s = Files.list(from)) {
        children = s.sorted().toList();
      }
      for (Path child : children) {
        copy(child, to.resolve(child.getFileName().toString()), false, skipped);
      }
      Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
    } else if (Files.isRegularFile(from)) {
      try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
          FileChannel out =
              FileChannel.open(
                  to,
                  StandardOpenOption.WRITE,
                  StandardOpenOption.CREATE,
                  StandardOpenOption.TRUNCATE_EXISTING)) {
        long size = in.size();
        for (long done = 0; done < size; ) {
          done += in.transferTo(done, Math.min(size - done, 64L << 20), out);
        }
      }
      Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
    } else {
      skipped.add(from + " (" + SpecialFiles.describe(from) + ")");
    }
  }
}
