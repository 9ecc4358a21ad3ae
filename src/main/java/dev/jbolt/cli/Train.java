package dev.jbolt.cli;

import dev.jbolt.files.LocalFiles;
import dev.jbolt.session.Console;
import dev.jbolt.transports.Transports;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The training run of the JDK's AOT cache (see ./jbolt): a command and a script over SSH to an
 * in-process server on loopback, so that the classes of the common paths are cached; with {@code
 * plan}, a plan as well. ./jbolt keeps two caches: one without GraalJS's classes for commands,
 * which the JVM would otherwise map at every start (about 50 ms of a one-target run), and one with
 * them for plans, the warm process and completion. Not a user command; it touches nothing but a
 * temp dir and a loopback port.
 */
public final class Train {
  private Train() {}

  public static void main(String[] args) throws Exception {
    train(args.length > 0 && args[0].equals("plan"));
  }

  /** The training's command lines: with {@code plans}, a plan's too. */
  static List<String[]> steps(boolean plans) {
    List<String[]> steps = new ArrayList<>();
    steps.add(new String[] {"command", "run", "echo trained", "-t", "127.0.0.1"});
    steps.add(new String[] {"script", "run", "s.sh", "x", "-t", "127.0.0.1", "--format", "json"});
    if (plans) {
      steps.add(new String[] {"plan", "run", "t"});
    }
    steps.add(new String[] {"--version"});
    return steps;
  }

  /**
   * Runs the training's commands; gives their exit codes (all 0 when it trained what it should).
   */
  static List<Integer> train(boolean plans) throws Exception {
    Path dir = Files.createTempDirectory("jbolt-train");
    Path keyFile = dir.resolve("id_ed25519");
    try (var server = Transports.trainingServer(keyFile)) {
      Files.writeString(
          dir.resolve("inventory.yaml"),
          "config:\n  ssh:\n    port: "
              + server.port()
              + "\n    private-key: "
              + keyFile
              + "\n    host-key-check: false\n    user: train\n"
              + "targets: [127.0.0.1, localhost]\n");
      Files.createDirectories(dir.resolve("plans"));
      Files.writeString(
          dir.resolve("plans/t.js"),
          "export default function () { return run_command('true', 'localhost').count(); }\n");
      Files.writeString(dir.resolve("s.sh"), "#!/bin/sh\necho \"$1\"\n");
      PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
      Console ctx = new Console(quiet, quiet, new ByteArrayInputStream(new byte[0]), dir, Map.of());
      List<Integer> codes = new ArrayList<>();
      for (String[] step : steps(plans)) {
        codes.add(Main.run(ctx, step));
      }
      return codes;
    } finally {
      LocalFiles.deleteTree(dir);
    }
  }
}
