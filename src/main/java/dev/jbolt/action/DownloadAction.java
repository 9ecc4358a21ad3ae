package dev.jbolt.action;

import dev.jbolt.JboltException;
import dev.jbolt.exec.TargetAction;
import dev.jbolt.files.LocalFiles;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.Posix;
import dev.jbolt.transport.TransportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code file download}: a remote file or tree into {@code DEST/<target file name>/<base name>}, so
 * many targets never collide: first into a fresh staging dir there, then merged into place (files
 * replaced, nothing deleted, no symlink written through: see {@link LocalFiles}).
 */
public final class DownloadAction {
  private DownloadAction() {}

  public static TargetAction of(String source, Path destDir, long timeoutMillis) {
    String base = name(source);
    return (t, c) -> {
      long start = System.nanoTime();
      Path targetDir;
      Path staging;
      try {
        targetDir = LocalFiles.dir(destDir, t.fileName());
        staging = Files.createTempDirectory(targetDir, ".jbolt-download-");
      } catch (IOException e) {
        throw localError(e);
      }
      Path local = targetDir.resolve(base);
      List<String> skipped;
      try {
        RunSettings rs = RunSettings.of(t);
        skipped =
            rs.runAs() == null
                ? c.download(source, staging.resolve(base), timeoutMillis)
                : downloadAs(rs, c, source, base, staging.resolve(base), timeoutMillis);
        LocalFiles.merge(staging.resolve(base), local);
      } catch (IOException e) {
        throw localError(e);
      } finally {
        LocalFiles.deleteTree(staging);
      }
      return Outputs.transfer(
          t,
          "download",
          source,
          "Downloaded '" + t.host() + ":" + source + "' to '" + local + "'",
          skipped,
          Map.of("path", local.toString()),
          start);
    };
  }

  /**
   * As the run-as user: copied into a temp dir as that user, handed back, downloaded from there.
   */
  private static List<String> downloadAs(
      RunSettings rs, Connection c, String source, String base, Path to, long timeoutMillis)
      throws TransportException {
    Shell sh = new Shell(c, rs);
    String dir = sh.mktemp();
    try {
      sh.handOver(dir); // the run-as user copies into it
      String staged = dir + "/" + base;
      Exec.Output cp =
          sh.run(
              "cp -R "
                  + Posix.quote(UploadAction.loginHome(c, source))
                  + " "
                  + Posix.quote(staged)
                  + " && chmod -R u+rwX,go+rX "
                  + Posix.quote(staged),
              Map.of(),
              null,
              0,
              null);
      if (!Integer.valueOf(0).equals(cp.exitCode())) {
        throw new TransportException(
            ErrorKind.FILE_ERROR,
            "READ_ERROR",
            "could not read "
                + source
                + " as "
                + rs.runAs().user()
                + ": "
                + cp.stderrText().strip(),
            null);
      }
      sh.handBack(dir);
      return c.download(staged, to, timeoutMillis);
    } finally {
      sh.removeQuietly(dir);
    }
  }

  /**
   * The local name of a download: the last name of {@code source}, "root" for {@code /}. A source
   * ending in {@code .} or {@code ..} names no file of its own: bad input.
   */
  public static String name(String source) {
    String trimmed = source.replaceAll("/+$", "");
    if (trimmed.isEmpty() && !source.isEmpty()) {
      return "root";
    }
    String base = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    if (base.isEmpty() || base.equals(".") || base.equals("..") || base.indexOf('\0') >= 0) {
      throw new JboltException(
          "download source '"
              + source
              + "' must end in a file or directory name, not '.' or"
              + " '..' (give the directory by its name)");
    }
    return base;
  }

  private static TransportException localError(IOException e) {
    return new TransportException(
        ErrorKind.FILE_ERROR,
        "WRITE_ERROR",
        e instanceof LocalFiles.UnsafePath
            ? e.getMessage()
            : "cannot write the download: " + e.getMessage(),
        e);
  }
}
