package dev.jbolt.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Chromium;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --report FILE.html}: on every kind of run, and a 200-target run over real SSH looked at in
 * a real browser (headless Chromium): no console error, nothing fetched, a bar per target, and the
 * screenshot shows the timeline drawn in the outcome colours.
 */
class HtmlReportTest {
  @TempDir Path tmp;

  @Test
  void aTwoHundredTargetRunDrawsItsTimelineInABrowser() throws Exception {
    int targets = 200;
    try (Sshd sshd = Sshd.builder().anyAddress().start();
        ServerSocket closed = new ServerSocket(0)) {
      int refused = closed.getLocalPort();
      closed.close();
      StringBuilder inv = new StringBuilder(Projects.sshConfig(sshd)).append("targets:\n");
      List<String> addresses = new ArrayList<>();
      for (int i = 1; i <= targets; i++) {
        String address = "127.0." + (2 + i / 250) + "." + (1 + i % 250);
        addresses.add(address);
        String uri = i % 20 == 0 ? address + ":" + refused : address;
        inv.append("  - name: ").append(String.format("node%03d", i));
        inv.append("\n    uri: ").append(uri).append('\n');
      }
      sshd.knownHosts(addresses.toArray(String[]::new));
      Projects.withInventory(tmp, inv.toString());
      // some targets slower, one in nine failing by its exit code
      String cmd = "sleep 0.$(( $$ % 6 )); test $(( $$ % 9 )) -ne 0";
      Cli.Outcome o = Cli.run(tmp, "command", "run", cmd, "-t", "all", "--report", "out/r.html");
      assertEquals(1, o.code(), o::toString);
      Path page = tmp.resolve("out/r.html");
      assertTrue(Files.isRegularFile(page), o::toString);

      try (Chromium browser = new Chromium()) {
        Chromium.Load load = browser.load(page);
        assertEquals(List.of(), load.errors(), "console errors");
        assertEquals(List.of(page.toUri().toString()), load.requests(), "nothing else fetched");
        assertEquals(
            targets,
            browser.evaluate("document.querySelectorAll('svg.timeline g').length").asInt());
        String summary = browser.evaluate("document.querySelector('p.summary').innerText").asText();
        assertTrue(summary.contains(targets + " total"), summary);
        int failedRows = browser.evaluate("document.querySelectorAll('tr.failed').length").asInt();
        assertTrue(failedRows >= targets / 20, "failed rows: " + failedRows);
        byte[] png = browser.screenshot();
        Files.write(Path.of("target/report-200.png"), png);
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        Set<Integer> ok = new HashSet<>();
        Set<Integer> failed = new HashSet<>();
        Set<Integer> connecting = new HashSet<>();
        for (int y = 0; y < img.getHeight(); y++) {
          for (int x = 0; x < img.getWidth(); x++) {
            int rgb = img.getRGB(x, y) & 0xffffff;
            if (rgb == 0x2e9d4f) {
              ok.add(y);
            } else if (rgb == 0xd0453a) {
              failed.add(y);
            } else if (rgb == 0x9db4d0) {
              connecting.add(y);
            }
          }
        }
        // 200 rows of 4 px: most lines of the timeline are green, the failed ones red
        assertTrue(ok.size() > 400, "lines with a green bar: " + ok.size());
        assertTrue(failed.size() >= 40, "lines with a red bar: " + failed.size());
        assertTrue(connecting.size() > 100, "lines with a connecting part: " + connecting.size());
      }
    }
  }

  @Test
  void everyKindOfRunWritesItsPageWithTheOutputEscaped() throws Exception {
    Projects.exampleProject(tmp);
    Files.writeString(tmp.resolve("up.txt"), "x\n");
    Files.createDirectories(tmp.resolve("services"));
    Files.writeString(
        tmp.resolve("services/all.yaml"),
        "services:\n  app:\n    target: localhost\n    actions:\n      start:\n"
            + "        cmd: echo started\n");
    Files.writeString(
        tmp.resolve("plans/two.js"),
        "export default function () {\n  run_command('echo one', 'localhost');\n"
            + "  run_command('echo two', 'localhost');\n}\n");
    List<String[]> runs =
        List.of(
            new String[] {"command", "run", "echo '<script>alert(1)</script>'", "-t", "localhost"},
            new String[] {"task", "run", "examples::greet", "name=x", "-t", "localhost"},
            new String[] {
              "file", "upload", "up.txt", "/tmp/jbolt-report-up.txt", "-t", "localhost"
            },
            new String[] {"plan", "run", "two"},
            new String[] {"service", "app", "start"});
    String[] labels = {"command: echo", "task: examples::greet", "upload", "echo two", "service"};
    for (int i = 0; i < runs.size(); i++) {
      List<String> args = new ArrayList<>(List.of(runs.get(i)));
      args.addAll(List.of("--report", "r" + i + ".html"));
      Cli.Outcome o = Cli.run(tmp, args.toArray(String[]::new));
      assertEquals(0, o.code(), o::toString);
      String page = Files.readString(tmp.resolve("r" + i + ".html"));
      assertTrue(page.contains(labels[i]), args + ": " + page);
      assertTrue(page.contains("1 succeeded, 0 failed, 1 total"), page);
      assertFalse(page.contains("<script"), "no script in the page: " + page);
    }
    Files.deleteIfExists(Path.of("/tmp/jbolt-report-up.txt"));
    assertTrue(Files.readString(tmp.resolve("r0.html")).contains("&lt;script&gt;alert(1)"));
    assertTrue(Files.readString(tmp.resolve("r3.html")).contains("2 steps"));
  }

  @Test
  void aSecretOfTheRunNeverReachesThePage() throws Exception {
    Projects.withInventory(tmp, "targets: [localhost]\n");
    Cli.Outcome o =
        Cli.run(
            tmp,
            "command",
            "run",
            "echo pw-$JBOLT_TEST_SECRET_X",
            "-t",
            "localhost",
            "--sudo-password",
            "Sekr3t-value-99",
            "--env-var",
            "JBOLT_TEST_SECRET_X=Sekr3t-value-99",
            "--report",
            "r.html");
    assertEquals(0, o.code(), o::toString);
    String page = Files.readString(tmp.resolve("r.html"));
    assertFalse(page.contains("Sekr3t-value-99"), page);
    assertTrue(page.contains("pw-[redacted]"), page);
  }
}
