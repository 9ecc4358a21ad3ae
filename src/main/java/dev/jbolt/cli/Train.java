package dev.jbolt.cli;

import dev.jbolt.files.LocalFiles;
import dev.jbolt.session.Console;
import dev.jbolt.transports.Transports;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The training run of the JDK's AOT cache (see ./jbolt): a command and a script over SSH to an
 * in-process server on loopback, and a plan, so that the classes of the common paths are cached.
 * Not a user command; it touches nothing but a temp dir and a loopback port.
 */
public final class Train {
  private Train() {}

  public static void main(String[] args) throws Exception {
    train();
  }

  /**
   * Runs the training's commands; gives their exit codes (all 0 when it trained what it should).
   */
  static List<Integer> train() throws Exception {
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
      return List.of(
          Main.run(ctx, "command", "run", "echo trained", "-t", "127.0.0.1"),
          Main.run(ctx, "script", "run", "s.sh", "x", "-t", "127.0.0.1", "--format", "json"),
          Main.run(ctx, "plan", "run", "t"),
          Main.run(ctx, "--version"));
    } finally {
      LocalFiles.deleteTree(dir);
    }
  }
}
