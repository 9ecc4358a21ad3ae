package dev.jbolt.action;

import dev.jbolt.exec.TargetAction;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.Posix;
import dev.jbolt.transport.SpecialFiles;
import dev.jbolt.transport.TransportException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** {@code file upload}: a local file or tree to a path on each target. */
public final class UploadAction {
  private UploadAction() {}

  /**
   * Null when {@code source} (a link followed) is a regular file or a directory, else why it cannot
   * be uploaded: a FIFO, {@code <(...)} or a device is read once, not once per target, and would
   * leave nothing to send (a tree's special files are skipped and named; the source itself is not).
   */
  public static String unreadable(Path source, String shownAs) {
    if (Files.isRegularFile(source) || Files.isDirectory(source)) {
      return null;
    }
    if (!Files.exists(source)) {
      return "upload source " + shownAs + ": no such file or directory";
    }
    String what;
    try {
      int mode = (Integer) Files.getAttribute(source, "unix:mode");
      what = SpecialFiles.kind(mode & 0170000);
    } catch (IOException | UnsupportedOperationException e) {
      what = "not a regular file or directory";
    }
    return "upload source "
        + shownAs
        + " is "
        + what
        + (what.equals("a FIFO") ? " (a pipe, or <(...))" : "")
        + ": only a regular file or a directory can be uploaded; save it to a file first";
  }

  /** Uploads {@code source}; results name it {@code shownAs}, as the user typed it. */
  public static TargetAction of(
      Path source, String shownAs, String destination, long timeoutMillis) {
    return (t, c) -> {
      long start = System.nanoTime();
      String why = unreadable(source, shownAs);
      if (why != null) {
        throw new TransportException(ErrorKind.FILE_ERROR, why, null);
      }
      RunSettings rs = RunSettings.of(t);
      List<String> skipped;
      if (rs.runAs() == null) {
        skipped = c.upload(source, destination, timeoutMillis);
      } else {
        skipped = uploadAs(c, rs, source, destination, timeoutMillis);
      }
      return Outputs.transfer(
          t,
          "upload",
          shownAs,
          "Uploaded '" + shownAs + "' to '" + t.host() + ":" + destination + "'",
          skipped,
          Map.of(),
          start);
    };
  }

  /**
   * As Bolt does with run-as: uploads as the login user into a temp dir, then moves it into place
   * as the run-as user (a file into a directory, a directory merged into one).
   */
  private static List<String> uploadAs(
      Connection c, RunSettings rs, Path source, String destination, long timeoutMillis)
      throws TransportException {
    Shell sh = new Shell(c, rs);
    String dir = sh.mktemp();
    try {
      String staged = dir + "/" + source.getFileName();
      List<String> skipped = c.upload(source, staged, timeoutMillis);
      sh.handOver(dir);
      String dest = Posix.quote(loginHome(c, destination));
      // As without run-as: a file goes into a directory, a directory is merged into it.
      String into =
          Files.isDirectory(source)
              ? "cp -pPR " + Posix.quote(staged) + "/. " + dest + "/"
              : "mv -f " + Posix.quote(staged) + " " + dest + "/";
      Exec.Output mv =
          sh.run(
              "if [ -d "
                  + dest
                  + " ]; then "
                  + into
                  + "; else mv -f "
                  + Posix.quote(staged)
                  + " "
                  + dest
                  + "; fi",
              Map.of(),
              null,
              0,
              null);
      if (!Integer.valueOf(0).equals(mv.exitCode())) {
        throw new TransportException(
            ErrorKind.FILE_ERROR,
            "MV_ERROR",
            "could not move the upload to " + destination + ": " + mv.stderrText().strip(),
            null);
      }
      return skipped;
    } finally {
      sh.removeQuietly(dir);
    }
  }

  /** {@code ~/...} in the login user's home (the run-as user's shell would read it as its own). */
  static String loginHome(Connection c, String path) throws TransportException {
    if (!path.equals("~") && !path.startsWith("~/")) {
      return path;
    }
    Exec.Output home = Exec.run(c, "printf %s \"$HOME\"", null, 30_000, null);
    return home.stdoutText() + path.substring(1);
  }
}
