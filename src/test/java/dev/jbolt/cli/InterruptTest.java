package dev.jbolt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Jvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C (SIGINT) to a real jbolt process: running commands are killed, partial results printed,
 * exit 130.
 */
class InterruptTest {
  @TempDir Path tmp;

  /**
   * A process whose whole command line starts with this (not jbolt's JVM, whose arguments contain
   * it).
   */
  private static boolean running(String commandLine) {
    return !Cmd.run("sh", "-c", "pgrep -f '^" + commandLine + "' || true").isBlank();
  }

  @Test
  void sigintStopsTheRunKillsItsCommandsAndExits130() throws Exception {
    Files.writeString(
        tmp.resolve("inventory.yaml"), "targets: [localhost, {name: b, uri: 'local://b'}]\n");
    List<String> cmd = new ArrayList<>(Jvm.java());
    cmd.addAll(
        List.of(
            "dev.jbolt.cli.Main",
            "command",
            "run",
            "--local",
            "case %n in localhost) echo quick;; *) sleep 454545;; esac",
            "-t",
            "all",
            "--no-gather"));
    Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).start();
    p.getOutputStream().close();
    for (int i = 0; i < 100 && !running("sleep 454545"); i++) {
      Thread.sleep(100);
    }
    assertTrue(running("sleep 454545"), "the long command started");
    long t0 = System.nanoTime();
    Cmd.run("kill", "-INT", String.valueOf(p.pid()));
    assertTrue(p.waitFor(20, TimeUnit.SECONDS), "stopped promptly");
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(130, p.exitValue(), out + err);
    assertTrue((System.nanoTime() - t0) / 1e9 < 10);
    assertTrue(out.contains("== localhost: ok\nquick\n"), out);
    assertTrue(out.contains("== b: failed, cancelled"), out);
    assertTrue(err.contains("interrupted; partial results above"), err);
    for (int i = 0; i < 50 && running("sleep 454545"); i++) {
      Thread.sleep(100);
    }
    assertTrue(!running("sleep 454545"), "the command was killed");
  }
}
