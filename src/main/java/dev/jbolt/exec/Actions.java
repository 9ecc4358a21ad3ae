package dev.jbolt.exec;

import dev.jbolt.JboltException;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.ErrorInfo;
import dev.jbolt.result.Result;
import dev.jbolt.transport.Posix;
import dev.jbolt.shell.Shell;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.LocalFiles;
import dev.jbolt.transport.OutputListener;
import dev.jbolt.transport.Text;
import dev.jbolt.transport.TransportException;
import dev.jbolt.result.ErrorKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The actions of {@code command run}, {@code script run} and {@code file upload|download}. */
public final class Actions {
  private Actions() {}

  /** Gives each target's output to a listener as it arrives (for {@code --stream}). */
  public interface Streams {
    OutputListener forTarget(Target t);
  }

  private static OutputListener tee(Streams streams, Target t) {
    return streams == null ? null : streams.forTarget(t);
  }

  public static TargetAction command(String command, Map<String, String> env, long timeoutMillis, Streams streams) {
    return (t, c) -> {
      long start = System.nanoTime();
      Shell sh = new Shell(c, RunSettings.of(t).runAs());
      Exec.Output out = sh.run(command, env, null, timeoutMillis, tee(streams, t));
      return commandResult(t, "command", command, out, start);
    };
  }

  /**
   * The command run on this machine for each target, with %h, %n, %u, %p replaced by the target's
   * host, name, user and port (each shell-quoted) and %% by %.
   */
  public static TargetAction localFanout(String template, Map<String, String> env, long timeoutMillis,
      Streams streams) {
    return (t, c) -> {
      long start = System.nanoTime();
      String command = substitute(template, t);
      Exec.Output out = new Shell(c, null).run(command, env, null, timeoutMillis, tee(streams, t));
      return commandResult(t, "command", template, out, start);
    };
  }

  static String substitute(String template, Target t) {
    Map<String, Object> cfg = t.transportConfig();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char ch = template.charAt(i);
      if (ch != '%' || i + 1 >= template.length()) {
        sb.append(ch);
        continue;
      }
      char k = template.charAt(++i);
      switch (k) {
        case 'h' -> sb.append(Posix.quote(t.host()));
        case 'n' -> sb.append(Posix.quote(t.safeName()));
        case 'u' -> sb.append(Posix.quote(cfg.get("user") == null ? "" : String.valueOf(cfg.get("user"))));
        case 'p' -> sb.append(Posix.quote(cfg.get("port") == null ? "22" : String.valueOf(cfg.get("port"))));
        case '%' -> sb.append('%');
        default -> sb.append('%').append(k);
      }
    }
    return sb.toString();
  }

  public static TargetAction script(Path script, List<String> args, Map<String, String> env, long timeoutMillis,
      Streams streams) {
    String name = script.getFileName().toString();
    return (t, c) -> {
      long start = System.nanoTime();
      RunSettings rs = RunSettings.of(t);
      Shell sh = new Shell(c, rs.runAs());
      String dir = sh.mktemp(rs.tmpdir());
      try {
        String remote = dir + "/" + name;
        c.upload(script, remote, timeoutMillis);
        sh.makeExecutable(remote);
        sh.handOver(dir);
        String cmd = Posix.quote(remote) + (args.isEmpty() ? "" : " " + Posix.join(args));
        Exec.Output out = sh.run(cmd, env, null, timeoutMillis, tee(streams, t));
        return commandResult(t, "script", script.toString(), out, start);
      } finally {
        sh.removeQuietly(dir);
      }
    };
  }

  /**
   * Bolt's command result: stdout, stderr, merged_output, exit_code; a non-zero exit fails. A
   * stream that is not valid UTF-8 (binary output) is also given exactly, as {@code stdout_base64}
   * or {@code stderr_base64}: its text has U+FFFD where the bytes were.
   */
  static Result commandResult(Target t, String action, String object, Exec.Output out, long startNanos) {
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("stdout", out.stdoutText());
    value.put("stderr", out.stderrText());
    value.put("merged_output", out.mergedText());
    value.put("exit_code", out.exitCode() == null ? "unknown" : out.exitCode());
    if (!Text.isUtf8(out.stdout())) {
      value.put("stdout_base64", Base64.getEncoder().encodeToString(out.stdout()));
    }
    if (!Text.isUtf8(out.stderr())) {
      value.put("stderr_base64", Base64.getEncoder().encodeToString(out.stderr()));
    }
    truncation(value, out);
    ErrorInfo error = null;
    if (out.exitCode() == null) {
      error = ErrorKind.COMMAND_ERROR.error("The " + action + " ended without an exit code");
    } else if (out.exitCode() != 0) {
      error = ErrorKind.COMMAND_ERROR.error("The " + action + " failed with exit code " + out.exitCode(),
          Map.of("exit_code", out.exitCode()));
    }
    return new Result(t.safeName(), action, object, value, error, (System.nanoTime() - startNanos) / 1_000_000, 1);
  }

  /** Uploads {@code source}; results name it {@code shownAs}, as the user typed it. */
  /** Marks output that was not all kept: {@code _truncated: {stdout: N, stderr: M}}, bytes dropped. */
  public static void truncation(Map<String, Object> value, Exec.Output out) {
    if (out.droppedStdout() > 0 || out.droppedStderr() > 0) {
      Map<String, Object> t = new LinkedHashMap<>();
      t.put("stdout", out.droppedStdout());
      t.put("stderr", out.droppedStderr());
      t.put("kept_per_stream", Exec.MAX_KEPT);
      value.put("_truncated", t);
    }
  }

  public static TargetAction upload(Path source, String shownAs, String destination, long timeoutMillis) {
    return (t, c) -> {
      long start = System.nanoTime();
      RunSettings rs = RunSettings.of(t);
      Shell sh = new Shell(c, rs.runAs());
      List<String> skipped;
      if (rs.runAs() == null) {
        skipped = c.upload(source, destination, timeoutMillis);
      } else {
        // As Bolt does: upload as the login user into a temp dir, then move it into place as run-as.
        String dir = sh.mktemp(rs.tmpdir());
        try {
          String staged = dir + "/" + source.getFileName();
          skipped = c.upload(source, staged, timeoutMillis);
          sh.handOver(dir);
          String dest = Posix.quote(destination);
          Exec.Output mv = sh.run("if [ -d " + dest + " ]; then mv -f " + Posix.quote(staged) + " " + dest
              + "/; else mv -f " + Posix.quote(staged) + " " + dest + "; fi", Map.of(), null, 0, null);
          if (!Integer.valueOf(0).equals(mv.exitCode())) {
            throw new TransportException(ErrorKind.FILE_ERROR, "MV_ERROR", "could not move the upload to " + destination
                + ": " + mv.stderrText().strip(), null);
          }
        } finally {
          sh.removeQuietly(dir);
        }
      }
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("_output", "Uploaded '" + shownAs + "' to '" + t.host() + ":" + destination + "'" + skippedNote(skipped));
      if (!skipped.isEmpty()) {
        value.put("skipped", skipped);
      }
      return new Result(t.safeName(), "upload", shownAs, value, null, millis(start), 1);
    };
  }

  /**
   * Downloads into {@code destDir/<target file name>/<base name of source>}, so many targets never
   * collide: first into a fresh staging dir there, then merged into place (files replaced, nothing
   * deleted, no symlink written through: see {@link LocalFiles}).
   */
  public static TargetAction download(String source, Path destDir, long timeoutMillis) {
    String base = downloadName(source);
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
        if (rs.runAs() == null) {
          skipped = c.download(source, staging.resolve(base), timeoutMillis);
        } else {
          skipped = downloadAs(rs, c, source, base, staging.resolve(base), timeoutMillis);
        }
        LocalFiles.merge(staging.resolve(base), local);
      } catch (IOException e) {
        throw localError(e);
      } finally {
        LocalFiles.deleteTree(staging);
      }
      Map<String, Object> value = new LinkedHashMap<>();
      value.put("path", local.toString());
      value.put("_output", "Downloaded '" + t.host() + ":" + source + "' to '" + local + "'" + skippedNote(skipped));
      if (!skipped.isEmpty()) {
        value.put("skipped", skipped);
      }
      return new Result(t.safeName(), "download", source, value, null, millis(start), 1);
    };
  }

  /** As the run-as user: copied into a temp dir as that user, handed back, downloaded from there. */
  private static List<String> downloadAs(RunSettings rs, Connection c, String source, String base, Path to,
      long timeoutMillis) throws TransportException {
    Shell sh = new Shell(c, rs.runAs());
    String dir = sh.mktemp(rs.tmpdir());
    try {
      sh.handOver(dir); // the run-as user copies into it
      String staged = dir + "/" + base;
      Exec.Output cp = sh.run("cp -R " + Posix.quote(source) + " " + Posix.quote(staged) + " && chmod -R u+rwX,go+rX "
          + Posix.quote(staged), Map.of(), null, 0, null);
      if (!Integer.valueOf(0).equals(cp.exitCode())) {
        throw new TransportException(ErrorKind.FILE_ERROR, "READ_ERROR", "could not read " + source + " as "
            + rs.runAs().user() + ": " + cp.stderrText().strip(), null);
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
  public static String downloadName(String source) {
    String trimmed = source.replaceAll("/+$", "");
    if (trimmed.isEmpty()) {
      return source.isEmpty() ? bad(source) : "root";
    }
    String base = trimmed.substring(trimmed.lastIndexOf('/') + 1);
    return base.equals(".") || base.equals("..") || base.indexOf('\0') >= 0 ? bad(source) : base;
  }

  private static String bad(String source) {
    throw new JboltException("download source '" + source + "' must end in a file or directory name, not '.' or '..'"
        + " (give the directory by its name)");
  }

  /** "; skipped 2 special files: ..." for the message of a transfer that skipped some. */
  private static String skippedNote(List<String> skipped) {
    if (skipped.isEmpty()) {
      return "";
    }
    return "; skipped " + skipped.size() + " special file" + (skipped.size() == 1 ? "" : "s") + " (not copied): "
        + String.join(", ", skipped.subList(0, Math.min(5, skipped.size()))) + (skipped.size() > 5 ? ", ..." : "");
  }

  private static TransportException localError(IOException e) {
    return new TransportException(ErrorKind.FILE_ERROR, "WRITE_ERROR", e instanceof LocalFiles.UnsafePath ? e.getMessage()
        : "cannot write the download: " + e.getMessage(), e);
  }

  private static long millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

}
