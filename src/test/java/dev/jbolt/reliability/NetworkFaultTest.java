package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Jvm;
import dev.jbolt.testing.Netns;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults of the network and of the server, staged for real: a blackholed address and a network that
 * vanishes mid-transfer (in a network namespace of the test's own), and an sshd that crashes while
 * a command runs. Each is one target's failure with its kind; the other target finishes.
 */
class NetworkFaultTest {
  @TempDir Path tmp;

  /**
   * Checks a run of two targets: exit 1, {@code ok} printed {@code stdout}, {@code failed} failed
   * with {@code kind} and a message containing {@code msg}; returns that error.
   */
  private static JsonNode oneOkOneFailed(
      Cli.Outcome o, String ok, String stdout, String failed, String kind, String msg) {
    assertEquals(1, o.code(), o::toString);
    Map<String, JsonNode> items = new HashMap<>();
    o.json().get("items").forEach(i -> items.put(i.get("target").asText(), i));
    assertEquals(stdout, items.get(ok).at("/value/stdout").asText(), o::toString);
    JsonNode e = items.get(failed).at("/value/_error");
    assertEquals(kind, e.get("kind").asText(), e::toString);
    assertTrue(e.get("msg").asText().contains(msg), e::toString);
    return e;
  }

  /** Waits (at most 10 s) until {@code n} commands have each left a file in {@code dir}. */
  private static void awaitStarted(Path dir, int n) throws Exception {
    for (int i = 0; i < 200 && list(dir).size() < n; i++) {
      Thread.sleep(50);
    }
    assertEquals(n, list(dir).size(), "every command started");
  }

  @Test
  void aBlackholedAddressTimesOutOnConnectTimeoutNotTheKernels() throws Exception {
    try (Netns ns = Netns.create();
        Sshd sshd = Sshd.builder().in(ns).anyAddress().start()) {
      ns.addLocal("127.0.0.2");
      ns.blackhole("127.0.0.9");
      String inv =
          Projects.sshConfig(sshd) + "    connect-timeout: 2\ntargets: [127.0.0.2, 127.0.0.9]\n";
      sshd.knownHosts("127.0.0.2", "127.0.0.9");
      Projects.withInventory(tmp, inv);
      long t0 = System.nanoTime();
      Cli.Outcome o =
          Jvm.finish(
              Jvm.start(
                  ns.prefix(),
                  tmp,
                  tmp,
                  Map.of(),
                  "command",
                  "run",
                  "echo fine",
                  "-t",
                  "all",
                  "--format",
                  "json",
                  "--connect-retries",
                  "1"),
              "blackhole run");
      double seconds = (System.nanoTime() - t0) / 1e9;
      JsonNode e =
          oneOkOneFailed(
              o,
              "127.0.0.2",
              "fine\n",
              "127.0.0.9",
              "puppetlabs.tasks/connect-error",
              "timed out after 2.0 s");
      assertEquals(2, e.at("/details/attempts").asInt(), e::toString);
      // Two attempts of 2 s and a backoff; the kernel alone would keep sending SYNs for two
      // minutes.
      assertTrue(seconds < 30, "took " + seconds + " s");
    }
  }

  @Test
  void aNetworkGoneMidTransferIsASilentConnection() throws Exception {
    try (Netns ns = Netns.create();
        Sshd sshd = Sshd.builder().in(ns).anyAddress().start()) {
      ns.addLocal("127.0.0.2");
      ns.addLocal("127.0.0.3");
      // 20 Mbit/s on the namespace's loopback, so that an 8 MB upload takes seconds, not
      // milliseconds.
      ns.run("ip", "link", "set", "lo", "mtu", "1500");
      ns.run(
          "tc", "qdisc", "add", "dev", "lo", "root", "tbf", "rate", "20mbit", "burst", "64kb",
          "latency", "400ms");
      Path a = Projects.sharedDir(tmp, "a");
      Path b = Projects.sharedDir(tmp, "b");
      Path script = tmp.resolve("big.sh");
      StringBuilder body = new StringBuilder("#!/bin/sh\necho ran\n");
      String filler = "# " + "x".repeat(1000) + "\n";
      while (body.length() < 8_000_000) {
        body.append(filler);
      }
      Files.writeString(script, body);
      String inv =
          Projects.sshConfig(sshd)
              + "    server-alive-interval: 1\n    server-alive-count-max: 4\n"
              + "targets:\n"
              + "  - {uri: 127.0.0.2, config: {ssh: {tmpdir: '"
              + a
              + "'}}}\n"
              + "  - {uri: 127.0.0.3, config: {ssh: {tmpdir: '"
              + b
              + "'}}}\n";
      sshd.knownHosts("127.0.0.2", "127.0.0.3");
      Projects.withInventory(tmp, inv);
      Process p =
          Jvm.start(
              ns.prefix(),
              tmp,
              tmp,
              Map.of(),
              "script",
              "run",
              script.toString(),
              "-t",
              "all",
              "--format",
              "json");
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (bytesUnder(b) < 1_000_000 && System.nanoTime() < deadline && p.isAlive()) {
        Thread.sleep(20);
      }
      long sent = bytesUnder(b);
      if (sent < 1_000_000 || sent >= 8_000_000) {
        throw new AssertionError(
            "the upload to 127.0.0.3 was not seen under way ("
                + sent
                + " bytes): "
                + Jvm.finish(p, "mid-transfer run"));
      }
      ns.blackhole("127.0.0.3");
      oneOkOneFailed(
          Jvm.finish(p, "mid-transfer run"),
          "127.0.0.2",
          "ran\n",
          "127.0.0.3",
          "puppetlabs.tasks/connect-error",
          "went silent (no answer to keepalives: the network or the host went away) during the upload");
    }
  }

  @Test
  void aQuietCommandOnAHealthyConnectionOutlivesTheKeepaliveWindow() throws Exception {
    try (Sshd sshd = Sshd.start()) {
      Projects.withInventory(
          tmp,
          Projects.sshConfig(sshd)
              + "    server-alive-interval: 1\n    server-alive-count-max: 1\ntargets: [127.0.0.1]\n");
      Cli.Outcome o =
          Cli.run(tmp, "command", "run", "sleep 5; echo awake", "-t", "all", "--format", "json");
      assertEquals(0, o.code(), o::toString);
      assertEquals("awake\n", o.json().at("/items/0/value/stdout").asText());
    }
  }

  @Test
  void aNetworkGoneDuringACommandIsASilentConnection() throws Exception {
    try (Netns ns = Netns.create();
        Sshd sshd = Sshd.builder().in(ns).anyAddress().start()) {
      ns.addLocal("127.0.0.2");
      ns.addLocal("127.0.0.3");
      Path started = Projects.sharedDir(tmp, "started");
      Projects.withInventory(
          tmp,
          Projects.sshConfig(sshd)
              + "    server-alive-interval: 1\n    server-alive-count-max: 2\n"
              + "targets: [127.0.0.2, 127.0.0.3]\n");
      sshd.knownHosts("127.0.0.2", "127.0.0.3");
      Process p =
          Jvm.start(
              ns.prefix(),
              tmp,
              tmp,
              Map.of(),
              "command",
              "run",
              "touch " + started + "/$$; sleep 6; echo done",
              "-t",
              "all",
              "--format",
              "json");
      awaitStarted(started, 2);
      ns.blackhole("127.0.0.3");
      oneOkOneFailed(
          Jvm.finish(p, "silent run"),
          "127.0.0.2",
          "done\n",
          "127.0.0.3",
          "puppetlabs.tasks/connect-error",
          "went silent");
    }
  }

  private static long bytesUnder(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  @Test
  void anSshdKilledDuringALongCommandIsALostConnection() throws Exception {
    try (Sshd good = Sshd.start();
        Sshd doomed = Sshd.start()) {
      Path started = Projects.sharedDir(tmp, "started");
      String inv =
          Projects.sshConfig(good)
              + "targets:\n"
              + "  - {name: good, uri: '127.0.0.1:"
              + good.port()
              + "'}\n"
              + "  - {name: doomed, uri: '127.0.0.1:"
              + doomed.port()
              + "', config: {ssh: {known-hosts-file: '"
              + doomed.knownHosts()
              + "', private-key: '"
              + doomed.key()
              + "'}}}\n";
      good.knownHosts();
      Projects.withInventory(tmp, inv);
      CompletableFuture<Cli.Outcome> run =
          CompletableFuture.supplyAsync(
              () ->
                  Cli.run(
                      tmp,
                      "command",
                      "run",
                      "touch " + started + "/$$; sleep 4; echo finished",
                      "-t",
                      "all",
                      "--format",
                      "json"));
      awaitStarted(started, 2);
      doomed.crash();
      oneOkOneFailed(
          run.get(),
          "good",
          "finished\n",
          "doomed",
          "puppetlabs.tasks/connect-error",
          "the connection was lost while the command ran");
    }
  }

  private static List<Path> list(Path dir) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }
}
