package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.result.Json;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 1,000 targets over real SSH, one in ten failing in one of four ways: every target has exactly one
 * result, the summary adds up, the exit code is 1, and the run leaves no thread or file descriptor
 * behind in this JVM.
 */
class LoadTest {
  @TempDir Path tmp;

  private static final int TARGETS = 1000;

  @Test
  void aThousandTargetsWithOneInTenFailingInMixedWays() throws Exception {
    List<Socket> held = Collections.synchronizedList(new ArrayList<>());
    try (Sshd sshd = Sshd.builder().anyAddress().start();
        ServerSocket silent = new ServerSocket(0, 200, InetAddress.getByName("127.0.0.1"));
        ServerSocket closed = new ServerSocket(0)) {
      int refusedPort = closed.getLocalPort();
      closed.close();
      Thread.ofVirtual()
          .start(
              () -> { // accepts, never speaks: a hung sshd
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (Exception e) {
                  // closed
                }
              });
      StringBuilder inv =
          new StringBuilder(Projects.sshConfig(sshd)).append("    connect-timeout: 5\ntargets:\n");
      List<String> addresses = new ArrayList<>();
      Map<String, String> expected = new TreeMap<>();
      for (int i = 1; i <= TARGETS; i++) {
        String name = String.format("n%04d", i);
        String address = "127.0." + (2 + i / 250) + "." + (1 + i % 250);
        String uri = address;
        String kind = null;
        if (i % 10 == 0) {
          switch ((i / 10) % 4) {
            case 0 -> {
              uri = address + ":" + refusedPort;
              kind = "puppetlabs.tasks/connect-error: connection refused";
            }
            case 1 -> {
              uri = "127.0.0.1:" + silent.getLocalPort();
              kind = "puppetlabs.tasks/connect-error: connect timeout";
            }
            case 2 -> {
              uri = "nobody-here@" + address;
              kind = "puppetlabs.tasks/connect-error: authentication failed";
            }
            default -> {
              address = "127.0.9." + (i / 10);
              uri = address;
              kind = "puppetlabs.tasks/command-error";
            }
          }
        }
        addresses.add(address);
        expected.put(name, kind == null ? "success" : kind);
        inv.append("  - {name: ").append(name).append(", uri: '").append(uri).append("'}\n");
      }
      sshd.knownHosts(addresses.toArray(String[]::new));
      Projects.withInventory(tmp, inv.toString());
      String command = "case \"$SSH_CONNECTION\" in *' 127.0.9.'*) exit 3;; esac; echo ok";

      // A small run first, so that what is made once per JVM is not counted as a leak.
      assertEquals(0, Cli.run(tmp, "command", "run", command, "-t", "n0001,n0002").code());
      long threadsBefore = Thread.getAllStackTraces().size();
      long fdsBefore = fds();

      Path outDir = tmp.resolve("out");
      Cli.Outcome o =
          Cli.run(
              tmp,
              "command",
              "run",
              command,
              "-t",
              "all",
              "--connect-retries",
              "0",
              "--output-dir",
              outDir.toString());
      assertEquals(1, o.code(), () -> o.err() + o.out().lines().limit(20).toList());
      assertTrue(o.out().contains("900 succeeded, 100 failed, 1000 total in "), o.out());
      assertTrue(
          o.out().contains("connection refused")
              && o.out().contains("connect timeout")
              && o.out().contains("authentication failed")
              && o.out().contains("exit code 3"),
          o.out());

      // Exactly one result for each target, with the expected outcome.
      Map<String, String> actual = new TreeMap<>();
      try (Stream<Path> dirs = Files.list(outDir)) {
        for (Path d : dirs.toList()) {
          JsonNode r = Json.mapper().readTree(d.resolve("result.json").toFile());
          String outcome =
              r.get("status").asText().equals("success")
                  ? "success"
                  : r.at("/value/_error/kind").asText()
                      + (r.at("/value/_error/details/reason").isMissingNode()
                          ? ""
                          : ": " + r.at("/value/_error/details/reason").asText());
          assertEquals(
              null, actual.put(r.get("target").asText(), outcome), "one result per target");
        }
      }
      assertEquals(expected, actual);
      JsonNode rerun = Json.mapper().readTree(tmp.resolve(".jbolt/rerun.json").toFile());
      Map<String, String> rerunStatus = new TreeMap<>();
      rerun.forEach(r -> rerunStatus.put(r.get("target").asText(), r.get("status").asText()));
      assertEquals(TARGETS, rerun.size());
      assertEquals(900, rerunStatus.values().stream().filter("success"::equals).count());

      // Nothing left behind: threads and file descriptors return to where they were (once the
      // silent server's own ends of its connections are closed).
      silent.close();
      for (Socket s : held) {
        s.close();
      }
      long threadsAfter = 0;
      long fdsAfter = 0;
      for (int i = 0; i < 50; i++) {
        threadsAfter = Thread.getAllStackTraces().size();
        fdsAfter = fds();
        if (threadsAfter <= threadsBefore + 2 && fdsAfter <= fdsBefore + 2) {
          break;
        }
        Thread.sleep(100);
      }
      System.out.println(
          "1000 targets: threads "
              + threadsBefore
              + " -> "
              + threadsAfter
              + ", fds "
              + fdsBefore
              + " -> "
              + fdsAfter);
      assertTrue(
          threadsAfter <= threadsBefore + 2, "threads " + threadsBefore + " -> " + threadsAfter);
      assertTrue(fdsAfter <= fdsBefore + 2, "fds " + fdsBefore + " -> " + fdsAfter);
    } finally {
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private static long fds() throws Exception {
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      return s.count();
    }
  }
}
