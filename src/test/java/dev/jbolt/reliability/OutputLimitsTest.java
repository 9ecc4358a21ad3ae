package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Jvm;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.transport.Exec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Huge, binary and odd output over real SSH: bounded memory, nothing lost without saying so. */
class OutputLimitsTest {
  @TempDir Path tmp;

  @Test
  void twoHundredMegabytesOfOutputRunInABoundedHeap() throws Exception {
    try (Sshd sshd = Sshd.start()) {
      Projects.withInventory(tmp, Projects.sshConfig(sshd) + "targets: [127.0.0.1]\n");
      // 128 MB of heap for 200 MB of output: keeping it all would be an OutOfMemoryError.
      Process p =
          Jvm.start(
              List.of(),
              List.of("-Xmx128m"),
              tmp,
              tmp,
              Map.of(),
              "command",
              "run",
              "head -c 200000000 /dev/zero | tr '\\0' a",
              "-t",
              "all",
              "--format",
              "json");
      AtomicLong peakKb = new AtomicLong();
      Thread watcher =
          Thread.ofVirtual()
              .start(
                  () -> {
                    Path status = Path.of("/proc", String.valueOf(p.pid()), "status");
                    while (p.isAlive()) {
                      try {
                        Files.readAllLines(status).stream()
                            .filter(l -> l.startsWith("VmHWM:"))
                            .findFirst()
                            .ifPresent(
                                l ->
                                    peakKb.accumulateAndGet(
                                        Long.parseLong(l.replaceAll("\\D", "")), Math::max));
                        Thread.sleep(20);
                      } catch (Exception e) {
                        return;
                      }
                    }
                  });
      Cli.Outcome o = Jvm.finish(p, "200 MB run");
      watcher.join();
      assertEquals(0, o.code(), () -> o.err());
      JsonNode v = o.json().at("/items/0/value");
      assertEquals(Exec.MAX_KEPT, v.get("stdout").asText().length());
      assertEquals(200_000_000L - Exec.MAX_KEPT, v.at("/_truncated/stdout").asLong());
      assertEquals(0, v.get("exit_code").asInt());
      System.out.println("200 MB of output, -Xmx128m: peak RSS " + peakKb.get() / 1024 + " MB");
      assertTrue(peakKb.get() > 0, "RSS was read");
    }
  }

  @Test
  void binaryAndInvalidUtf8SurviveExactlyAndTextStaysText() throws Exception {
    try (Sshd sshd = Sshd.start()) {
      Projects.withInventory(tmp, Projects.sshConfig(sshd) + "targets: [127.0.0.1]\n");
      Cli.Outcome o =
          Cli.run(
              tmp,
              "command",
              "run",
              "printf '\\377\\376\\000bin\\n'; printf 'caf\\303\\251 \\360\\237\\232\\200' 1>&2",
              "-t",
              "all",
              "--format",
              "json",
              "--output-dir",
              tmp.resolve("out").toString());
      assertEquals(0, o.code(), o::toString);
      JsonNode v = o.json().at("/items/0/value");
      byte[] expected = {(byte) 0xff, (byte) 0xfe, 0, 'b', 'i', 'n', '\n'};
      assertArrayEquals(expected, Base64.getDecoder().decode(v.get("stdout_base64").asText()));
      assertEquals("\uFFFD\uFFFD\u0000bin\n", v.get("stdout").asText());
      // Valid UTF-8, even without a trailing newline, is text only, exactly.
      assertEquals("café \uD83D\uDE80", v.get("stderr").asText());
      assertFalse(v.has("stderr_base64"));
      assertArrayEquals(expected, Files.readAllBytes(tmp.resolve("out/127.0.0.1/stdout")));
    }
  }

  @Test
  void aTenMegabyteLineIsKeptToTheCapAndStreamedWhole() throws Exception {
    try (Sshd sshd = Sshd.start()) {
      Projects.withInventory(tmp, Projects.sshConfig(sshd) + "targets: [127.0.0.1]\n");
      String cmd = "head -c 10000000 /dev/zero | tr '\\0' b; printf '\\nlast line, no newline'";
      Cli.Outcome json = Cli.run(tmp, "command", "run", cmd, "-t", "all", "--format", "json");
      JsonNode v = json.json().at("/items/0/value");
      assertEquals(Exec.MAX_KEPT, v.get("stdout").asText().length());
      assertEquals(10_000_000L + 22 - Exec.MAX_KEPT, v.at("/_truncated/stdout").asLong());

      Cli.Outcome streamed = Cli.run(tmp, "command", "run", cmd, "-t", "all", "--stream");
      assertEquals(0, streamed.code(), () -> streamed.err());
      long bs = streamed.out().chars().filter(c -> c == 'b').count();
      assertEquals(10_000_000L, bs, "every byte of the long line was printed");
      assertTrue(
          streamed.out().contains("127.0.0.1 | last line, no newline\n"),
          () -> streamed.out().substring(0, 200));
    }
  }
}
