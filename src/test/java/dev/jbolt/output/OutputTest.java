package dev.jbolt.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.DocsTest;
import dev.jbolt.RunScope;
import dev.jbolt.cli.Main;
import dev.jbolt.result.Json;
import dev.jbolt.session.Console;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output at scale: gathering, colour, progress, streaming, rerun, per-target files, timeouts,
 * --local.
 */
class OutputTest {
  @TempDir Path tmp;

  private static Cli.Outcome tty(
      Path cwd, Map<String, String> env, boolean stdoutTty, boolean stderrTty, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Console ctx =
        new Console(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(new byte[0]),
            cwd,
            env,
            null,
            stdoutTty,
            stderrTty,
            null,
            RunScope.fresh());
    int code = Main.run(ctx, args);
    return new Cli.Outcome(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The doc's command lines quote an argument with single quotes. */
  private static String[] words(String commandLine) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(commandLine);
    while (m.find()) {
      out.add(m.group(1) != null ? m.group(1) : m.group(2));
    }
    return out.toArray(String[]::new);
  }

  @Test
  void twoHundredTargetsWithThreeOutcomesReadInAFewLines() throws Exception {
    String block = DocsTest.marked(Files.readString(Path.of("docs/output.md")), "snapshot").get(0);
    String command = block.lines().findFirst().orElseThrow().substring("$ jbolt ".length());
    String expected = block.substring(block.indexOf('\n') + 1);
    Cli.Outcome o = Cli.run(tmp, words(command));
    assertEquals(1, o.code(), o::toString);
    String masked = o.out().replaceAll("in \\d+\\.\\d\\d s\n", "in 0.29 s\n");
    assertEquals(expected, masked);
    assertTrue(masked.lines().count() < 15);
  }

  @Test
  void streamPrintsPrefixedLinesThenTheSummary() throws Exception {
    String doc = Files.readString(Path.of("docs/output.md"));
    String command = DocsTest.marked(doc, "stream").get(0).strip().substring("$ jbolt ".length());
    Cli.Outcome o = Cli.run(tmp, words(command));
    assertEquals(0, o.code(), o::toString);
    List<String> lines = o.out().lines().toList();
    assertEquals(5, lines.size(), o.out());
    assertTrue(
        lines.containsAll(
            List.of(
                "localhost     | hello",
                "localhost     ! oops",
                "local://other | hello",
                "local://other ! oops")),
        o.out());
    assertTrue(lines.get(4).startsWith("2 succeeded, 0 failed, 2 total"), o.out());
  }

  @Test
  void colourOnlyOnATerminalAndNeverWithNoColorOrJson() {
    String[] args = {"command", "run", "echo x; echo e >&2", "-t", "localhost"};
    assertTrue(
        tty(tmp, Map.of(), true, false, args).out().contains("\033[33m== localhost: ok"),
        "yellow: stderr");
    assertTrue(
        tty(tmp, Map.of(), true, false, "command", "run", "true", "-t", "localhost")
            .out()
            .contains("\033[32m== localhost: ok"),
        "green");
    assertTrue(
        tty(tmp, Map.of(), true, false, "command", "run", "false", "-t", "localhost")
            .out()
            .contains("\033[31m== localhost: failed"),
        "red");
    assertFalse(
        tty(tmp, Map.of("NO_COLOR", "1"), true, false, args).out().contains("\033["), "NO_COLOR");
    assertFalse(tty(tmp, Map.of(), false, false, args).out().contains("\033["), "piped");
    assertTrue(
        tty(
                tmp,
                Map.of(),
                false,
                false,
                "command",
                "run",
                "true",
                "-t",
                "localhost",
                "--color",
                "always")
            .out()
            .contains("\033["),
        "always");
    assertFalse(
        tty(
                tmp,
                Map.of(),
                true,
                false,
                "command",
                "run",
                "true",
                "-t",
                "localhost",
                "--color",
                "never")
            .out()
            .contains("\033["),
        "never");
    assertFalse(
        tty(
                tmp,
                Map.of(),
                true,
                true,
                "command",
                "run",
                "true",
                "-t",
                "localhost",
                "--format",
                "json",
                "--color",
                "always")
            .out()
            .contains("\033["),
        "json");
  }

  @Test
  void progressLineOnATerminalForLongRunsOnly() {
    Cli.Outcome slow =
        tty(tmp, Map.of(), false, true, "command", "run", "sleep 1.6", "-t", "localhost,local://b");
    assertEquals(0, slow.code(), slow::toString);
    assertTrue(slow.err().contains("\r[0/2 done | 0 ok | 0 failed | 2 running | "), slow.err());
    assertTrue(slow.err().endsWith("\r\033[K"), "cleared at the end");
    assertEquals(
        "",
        tty(tmp, Map.of(), false, true, "command", "run", "true", "-t", "localhost").err(),
        "short run");
    assertEquals(
        "",
        tty(tmp, Map.of(), false, false, "command", "run", "sleep 1.3", "-t", "localhost").err(),
        "not a tty");
    assertEquals(
        "",
        tty(
                tmp,
                Map.of(),
                false,
                true,
                "command",
                "run",
                "sleep 1.3",
                "-t",
                "localhost",
                "--format",
                "json")
            .err(),
        "json");
  }

  @Test
  void rerunTargetsTheFailuresOfTheLastRun() throws Exception {
    Projects.withInventory(tmp, "targets: [localhost]\n");
    Cli.Outcome first =
        Cli.run(
            tmp, "command", "run", "--local", "case %n in *2|*4) exit 1;; esac", "-t", "n[1-5]");
    assertEquals(1, first.code());
    JsonNode rerun = Json.mapper().readTree(tmp.resolve(".jbolt/rerun.json").toFile());
    assertEquals(5, rerun.size());
    assertEquals("failure", rerun.get(1).get("status").asText());
    Cli.Outcome again =
        Cli.run(tmp, "command", "run", "--local", "echo %n", "--rerun", "failure", "--no-gather");
    assertEquals(0, again.code(), again::toString);
    assertTrue(again.out().startsWith("== n2: ok\nn2\n== n4: ok\nn4\n"), again.out());
    // That run succeeded everywhere: now there is no failure to rerun.
    Cli.Outcome none = Cli.run(tmp, "command", "run", "true", "--rerun", "failure");
    assertEquals(2, none.code());
    assertTrue(none.err().contains("the last run had no failure targets"), none.err());
    assertEquals(2, Cli.run(tmp, "command", "run", "true", "--rerun", "failure", "-t", "x").code());
    assertTrue(
        Cli.run(tmp.resolve(".jbolt"), "command", "run", "true", "--rerun", "all")
            .err()
            .contains("--rerun needs a project"));
  }

  @Test
  void outputDirGetsEachTargetsFiles() throws Exception {
    Cli.Outcome o =
        Cli.run(
            tmp,
            "command",
            "run",
            "--local",
            "echo out-%n; echo err >&2",
            "-t",
            "a,b",
            "--output-dir",
            "out");
    assertEquals(0, o.code(), o::toString);
    assertEquals("out-a\n", Files.readString(tmp.resolve("out/a/stdout")));
    assertEquals("err\n", Files.readString(tmp.resolve("out/b/stderr")));
    JsonNode r = Json.mapper().readTree(tmp.resolve("out/b/result.json").toFile());
    assertEquals("success", r.get("status").asText());
    assertEquals(1, r.get("attempts").asInt());
  }

  @Test
  void aHungTargetTimesOutWhileTheOthersFinishOnTime() {
    long t0 = System.nanoTime();
    Cli.Outcome o =
        Cli.run(
            tmp,
            "command",
            "run",
            "--local",
            "case %n in slow) sleep 30;; esac; echo done",
            "-t",
            "fast1,slow,fast2",
            "--timeout",
            "1");
    double secs = (System.nanoTime() - t0) / 1e9;
    assertEquals(1, o.code(), o::toString);
    assertTrue(o.out().contains("== fast[1-2] (2): ok\ndone\n"), o.out());
    assertTrue(o.out().contains("== slow: failed, timed out"), o.out());
    assertTrue(secs < 8, "took " + secs);
  }

  @Test
  void localFanOutSubstitutesQuotedFields() throws Exception {
    Projects.withInventory(
        tmp,
        "targets:\n  - {name: ilo01, uri: \"admin@10.0.0.1:623\"}\n  - {name: \"it's\", uri: 10.0.0.2}\n");
    Cli.Outcome o =
        Cli.run(
            tmp,
            "command",
            "run",
            "--local",
            "printf '%s|' %h %n %u %p; echo 100%%",
            "-t",
            "all",
            "--no-gather");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("== ilo01: ok\n10.0.0.1|ilo01|admin|623|100%\n"), o.out());
    assertTrue(o.out().contains("10.0.0.2|it's||22|100%"), o.out());
  }

  @Test
  void connectionRetriesAreCounted() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Cli.Outcome o =
        Cli.run(
            tmp,
            "command",
            "run",
            "true",
            "-t",
            "ssh://127.0.0.1:" + port,
            "--no-host-key-check",
            "--connect-retries",
            "2",
            "--format",
            "json",
            "--output-dir",
            "out");
    assertEquals(3, o.json().at("/items/0/value/_error/details/attempts").asInt(), o::toString);
    Path rj = Files.list(tmp.resolve("out")).findFirst().orElseThrow().resolve("result.json");
    assertEquals(3, Json.mapper().readTree(rj.toFile()).get("attempts").asInt());
  }
}
