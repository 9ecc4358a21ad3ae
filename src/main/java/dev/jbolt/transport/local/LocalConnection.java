package dev.jbolt.transport.local;

import dev.jbolt.transport.Connection;
import dev.jbolt.transport.OutputListener;
import dev.jbolt.transport.RemoteProcess;
import dev.jbolt.transport.TransportException;
import dev.jbolt.transport.TransportException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

final class LocalConnection implements Connection {
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
      p = new ProcessBuilder("/bin/sh", "-c", command).start();
    } catch (IOException e) {
      throw new TransportException(Kind.EXCEPTION, "EXCEPTION", "cannot start /bin/sh: " + e.getMessage(), false, e);
    }
    Thread out = pump(p.getInputStream(), listener, OutputListener.Stream.STDOUT);
    Thread err = pump(p.getErrorStream(), listener, OutputListener.Stream.STDERR);
    return new LocalProcess(p, out, err);
  }

  private static Thread pump(InputStream in, OutputListener listener, OutputListener.Stream stream) {
    return Thread.ofVirtual().start(() -> {
      byte[] buf = new byte[32 * 1024];
      try (in) {
        int n;
        while ((n = in.read(buf)) > 0) {
          listener.output(stream, buf, 0, n);
        }
      } catch (IOException e) {
        // the process was killed
      }
    });
  }

  private record LocalProcess(Process p, Thread out, Thread err) implements RemoteProcess {
    @Override
    public OutputStream stdin() {
      return p.getOutputStream();
    }

    @Override
    public boolean waitFor(long millis) throws InterruptedException {
      if (!p.waitFor(millis, TimeUnit.MILLISECONDS)) {
        return false;
      }
      // Output may still be in flight from a child that outlived the shell: wait briefly for it.
      out.join(java.time.Duration.ofSeconds(5));
      err.join(java.time.Duration.ofSeconds(5));
      return true;
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
  public void upload(Path source, String destination) throws TransportException {
    Path dest = Path.of(destination);
    if (Files.isDirectory(dest)) {
      dest = dest.resolve(source.getFileName().toString());
    }
    copyTree(source, dest);
  }

  @Override
  public void download(String source, Path destination) throws TransportException {
    copyTree(Path.of(source), destination);
  }

  private static void copyTree(Path source, Path dest) throws TransportException {
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new TransportException(Kind.FILE_ERROR, "WRITE_ERROR", source + ": no such file or directory", false, null);
    }
    try (Stream<Path> walk = Files.walk(source)) {
      walk.forEach(p -> {
        Path to = dest.resolve(source.relativize(p).toString());
        try {
          if (Files.isDirectory(p)) {
            if (!Files.isDirectory(to)) {
              Files.createDirectories(to);
            }
            Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(p));
          } else {
            Files.copy(p, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
          }
        } catch (FileAlreadyExistsException e) {
          throw new UncheckedIOException(new IOException(to + " exists and is not a directory"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException | UncheckedIOException e) {
      IOException io = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
      throw new TransportException(Kind.FILE_ERROR, "WRITE_ERROR", "copy failed: " + io.getMessage(), false, io);
    }
  }
}
