package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.WarmClient;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warm run is the same cold run (issue 25.8): every command kind, from a subdirectory of the
 * project under umask 027, while the warm process was started from the project itself, prints what
 * the cold run prints and makes files with the same modes; a descriptor of the client ({@code
 * <(...)}) gives the same answer both ways.
 */
class WarmVsColdTest {
  @TempDir Path tmp;
  Path project;
  Path sub;
  WarmClient warm;

  @BeforeEach
  void setUp() throws Exception {
    project = Files.createDirectories(tmp.resolve("project"));
    sub = Files.createDirectories(project.resolve("sub"));
    Files.writeString(project.resolve("jbolt-project.yaml"), "name: lab\n");
    Files.writeString(project.resolve("inventory.yaml"), "targets: [localhost]\n");
    Files.createDirectories(project.resolve("services"));
    Files.writeString(
        project.resolve("services/all.yaml"),
        "services:\n  here:\n    actions:\n      start:\n        cmd: echo dir=%(pwd) mask=%(umask)\n");
    Files.createDirectories(project.resolve("tasks"));
    Files.writeString(project.resolve("tasks/where.sh"), "#!/bin/sh\numask; echo $PT_x\n");
    Files.writeString(
        project.resolve("tasks/where.json"), "{\"parameters\": {\"x\": {\"type\": \"String\"}}}");
    Files.createDirectories(project.resolve("plans"));
    Files.writeString(
        project.resolve("plans/where.js"),
        "export default function () { return run_command('umask; pwd', 'localhost').first().value; }\n");
    Files.writeString(sub.resolve("s.sh"), "#!/bin/sh\numask; pwd; echo \"$@\"\n");
    warm = new WarmClient(Files.createDirectories(tmp.resolve("client")), tmp).umask("027");
  }

  @AfterEach
  void tearDown() {
    if (warm != null) { // null: skipped in the quick loop
      warm.close();
    }
  }

  private static String stable(String out) {
    return out.replaceAll("in [0-9.]+ s", "in T s")
        .replaceAll("\"duration\": ?[0-9.]+", "\"duration\":T")
        .replaceAll("(warm|cold)-", "X-")
        // the test's launcher starts a plain JVM, which warns about GraalVM's native access
        .replaceAll("(?m)^WARNING: .*\\n|^\\n", "");
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(
        Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
  }

  @Test
  void everyCommandKindRunsWarmAsItRunsCold() throws Exception {
    // The warm process starts in the project, not in sub/.
    assertEquals(0, warm.run(project, "command", "run", "true", "-t", "all").code());
    assertEquals(1, warm.warmProcesses().size());

    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"command", "run", "umask; pwd", "-t", "localhost"});
    lines.add(new String[] {"command", "run", "umask; pwd; echo %h", "--local", "-t", "localhost"});
    lines.add(new String[] {"script", "run", "s.sh", "a b", "-t", "localhost"});
    lines.add(new String[] {"task", "run", "lab::where", "x=hi", "-t", "localhost"});
    lines.add(new String[] {"plan", "run", "lab::where"});
    lines.add(new String[] {"service", "start"});
    lines.add(new String[] {"inventory", "show", "-t", "all"});
    lines.add(new String[] {"file", "upload", "/dev/fd/0", "/tmp/x", "-t", "localhost"});
    for (String[] line : lines) {
      Cli.Outcome w = warm.run(sub, line);
      List<String> coldLine = new ArrayList<>(List.of(line));
      coldLine.add("--no-persist");
      Cli.Outcome c = warm.run(sub, coldLine.toArray(String[]::new));
      String what = String.join(" ", line) + "\nwarm: " + w + "\ncold: " + c;
      assertEquals(c.code(), w.code(), what);
      assertEquals(stable(c.out()), stable(w.out()), what);
      assertEquals(stable(c.err()), stable(w.err()), what);
    }
    assertEquals(1, warm.warmProcesses().size(), "all served by the one warm process");
    Cli.Outcome shown = warm.run(sub, "command", "run", "umask; pwd", "-t", "localhost");
    assertTrue(shown.out().contains("0027\n" + sub + "\n"), shown::toString);

    // Files a run makes: downloads, a report, keys.
    for (String kind : new String[] {"warm", "cold"}) {
      List<String> extra = kind.equals("cold") ? List.of("--no-persist") : List.of();
      List<String> dl =
          new ArrayList<>(
              List.of(
                  "file",
                  "download",
                  project.resolve("inventory.yaml").toString(),
                  kind + "-dl",
                  "-t",
                  "localhost",
                  "--report",
                  kind + "-report.html"));
      dl.addAll(extra);
      assertEquals(0, warm.run(sub, dl.toArray(String[]::new)).code());
      Path keys = Files.createDirectories(tmp.resolve(kind + "-keys"));
      Files.writeString(keys.resolve("jbolt-project.yaml"), "name: k\n");
      List<String> ck = new ArrayList<>(List.of("secret", "createkeys"));
      ck.addAll(extra);
      Cli.Outcome made = warm.run(keys, ck.toArray(String[]::new));
      assertEquals(0, made.code(), made::toString);
    }
    for (String p :
        new String[] {"X-dl", "X-dl/localhost", "X-dl/localhost/inventory.yaml", "X-report.html"}) {
      assertEquals(
          mode(sub.resolve(p.replace("X-", "cold-"))),
          mode(sub.resolve(p.replace("X-", "warm-"))),
          p);
    }
    assertEquals("rw-r-----", mode(sub.resolve("warm-report.html")), "the client's umask");
    for (String k :
        new String[] {"keys", "keys/public_key.pkcs7.pem", "keys/private_key.pkcs7.pem"}) {
      assertEquals(
          mode(tmp.resolve("cold-keys").resolve(k)), mode(tmp.resolve("warm-keys").resolve(k)), k);
    }

    // A client with another umask is served by a warm process of its own, with that umask.
    int before = warm.warmProcesses().size();
    warm.umask("022");
    Cli.Outcome other = warm.run(sub, "command", "run", "umask", "-t", "localhost");
    assertTrue(other.out().contains("0022"), other::toString);
    assertEquals(before + 1, warm.warmProcesses().size());
  }
}
