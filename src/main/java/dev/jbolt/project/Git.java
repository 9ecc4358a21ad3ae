package dev.jbolt.project;

import dev.jbolt.Cancelled;
import dev.jbolt.JboltException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The system {@code git}, run without prompts: ssh in batch mode (so an unknown host key or a key
 * needing a passphrase fails instead of waiting), no terminal prompts for https credentials. It
 * reads the same ~/.ssh/config, keys, agent and known_hosts as jbolt's SSH transport. Callers put
 * {@code --} (or {@code --end-of-options}) before every value that came from the user.
 */
final class Git {
  private static final long TIMEOUT_SECONDS = 300;

  private Git() {}

  record Out(int code, String stdout, String stderr) {
    /**
     * What went wrong, in one sentence: git's first {@code fatal:} or {@code error:} line without
     * its prefix (the lines after it are advice such as "Please make sure you have the correct
     * access rights"), else its last line.
     */
    String firstErrorLine() {
      List<String> lines = stderr.lines().filter(l -> !l.isBlank()).map(String::strip).toList();
      for (String l : lines) {
        if (l.startsWith("fatal: ") || l.startsWith("error: ")) {
          return l.substring(l.indexOf(':') + 2);
        }
      }
      return lines.isEmpty() ? "exit code " + code : lines.get(lines.size() - 1);
    }
  }

  static Out run(Path dir, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    Map<String, String> env = pb.environment();
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    env.put("LC_ALL", "C");
    // Only these transports, whatever the user's git config allows (never ext:: or fd::).
    env.put("GIT_ALLOW_PROTOCOL", "https:ssh:file");
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      byte[][] errBytes = new byte[1][];
      Thread err =
          Thread.ofVirtual()
              .start(
                  () -> { // both pipes at once: a full one would block git
                    try {
                      errBytes[0] = p.getErrorStream().readAllBytes();
                    } catch (IOException e) {
                      errBytes[0] = new byte[0];
                    }
                  });
      byte[] outBytes = p.getInputStream().readAllBytes();
      err.join();
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new JboltException(
            "git " + String.join(" ", args) + " took more than " + TIMEOUT_SECONDS + " s");
      }
      return new Out(
          p.exitValue(),
          new String(outBytes, StandardCharsets.UTF_8),
          new String(errBytes[0], StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new JboltException(
          "cannot run git (is it installed? apt-get install git): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Cancelled("interrupted while running git");
    }
  }

  /** Runs git and fails with {@code what} and git's last error line when it fails. */
  static String check(Path dir, String what, String... args) {
    Out o = run(dir, args);
    if (o.code() != 0) {
      throw new JboltException(what + ": " + o.firstErrorLine());
    }
    return o.stdout();
  }
}
