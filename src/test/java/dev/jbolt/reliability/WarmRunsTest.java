package dev.jbolt.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.DocsTest;
import dev.jbolt.cli.Main;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Jvm;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.testing.WarmClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Warm runs (docs/warm.md) through the real client and warm process, against real sshd: a second
 * run logs in nowhere (sshd's "Accepted" lines count), whatever chose a session changing makes a
 * new one, Ctrl-C, idle exit, a killed warm process, another user on the socket, --no-persist.
 */
class WarmRunsTest {
  static final List<String> HOSTS = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5");

  @TempDir Path tmp;
  Sshd sshd;
  WarmClient warm;
  Path project;
  String inventory;

  @BeforeEach
  void start() throws Exception {
    sshd = Sshd.builder().anyAddress().start();
    project = Files.createDirectories(tmp.resolve("project"));
    inventory = Projects.sshConfig(sshd) + "targets: [" + String.join(", ", HOSTS) + "]\n";
    Projects.withInventory(project, inventory);
    sshd.knownHosts(HOSTS.toArray(String[]::new));
    Files.writeString(project.resolve("jbolt-project.yaml"), "name: lab\n");
    warm = new WarmClient(Files.createDirectories(tmp.resolve("client")), tmp);
  }

  @AfterEach
  void stop() {
    if (warm != null) { // null: skipped in the quick loop
      warm.close();
    }
    if (sshd != null) {
      sshd.close();
    }
  }

  private Cli.Outcome run(String... args) throws Exception {
    Cli.Outcome o = warm.run(project, args);
    assertEquals(0, o.code(), () -> o + "\nwarm log:\n" + logQuietly());
    return o;
  }

  private String logQuietly() {
    try {
      return warm.log();
    } catch (Exception e) {
      return e.toString();
    }
  }

  @Test
  void aSecondRunAndAPlanLogInNowhere() throws Exception {
    Cli.Outcome first = run("command", "run", "echo $((6 * 7))", "-t", "all");
    assertTrue(first.out().contains("42"), first::toString);
    assertEquals(4, sshd.acceptedLogins());
    assertEquals(1, warm.warmProcesses().size());

    Cli.Outcome second = run("command", "run", "echo $((6 * 7))", "-t", "all");
    assertEquals(strip(first.out()), strip(second.out()));
    assertEquals(4, sshd.acceptedLogins(), "the second run reused every session");

    Files.createDirectories(project.resolve("plans"));
    Files.writeString(
        project.resolve("plans/ping.js"),
        "export default function () { return run_command('hostname -I >/dev/null; echo pong', get_targets('all')).count(); }\n");
    Cli.Outcome plan = run("plan", "run", "lab::ping");
    assertTrue(plan.out().contains("4"), plan::toString);
    assertEquals(4, sshd.acceptedLogins(), "a plan's first run_command reused them too");

    Cli.Outcome status = warm.run(project, Map.of("JBOLT_PERSIST", "0"), "", "persist", "status");
    assertTrue(status.out().contains("4 SSH sessions kept"), status::toString);
    assertTrue(status.out().contains(project.toString()), status::toString);
    // docs/warm.md shows what it prints
    String doc =
        DocsTest.marked(Files.readString(Path.of("docs/warm.md")), "persist status").get(0);
    assertEquals(
        shape(doc.replace("/home/ops/lab", "P")),
        shape(status.out().replace(project.toString(), "P")));
  }

  private static String shape(String status) {
    return status.replaceAll("kept: .*", "kept: H").replaceAll("[0-9]+", "N").strip();
  }

  private static String strip(String out) {
    return out.replaceAll("in [0-9.]+ s", "");
  }

  /**
   * A run's kept-open shells end with the run (their input closed), not with a kill each: a kill
   * takes a channel and a second per target, and the client waited for all of them (50 targets, 50
   * s).
   */
  @Test
  void aRunsKeptShellsEndWithoutAKillEach() throws Exception {
    Files.createDirectories(project.resolve("plans"));
    Files.writeString(
        project.resolve("plans/steps.js"),
        "export default function () { for (let i = 0; i < 3; i++) run_command('true', 'all'); }\n");
    long before = sessions();
    run("plan", "run", "lab::steps");
    assertEquals(
        2 * HOSTS.size(),
        sessions() - before,
        "a channel for each target's first command, then its kept shell; none to kill them");
  }

  private long sessions() {
    return sshd.log().lines().filter(l -> l.contains("Starting session:")).count();
  }

  @Test
  void whatChoseASessionChangingMakesANewOne() throws Exception {
    run("command", "run", "true", "-t", "127.0.0.2");
    assertEquals(1, sshd.acceptedLogins());

    // run-as does not choose the session
    Files.writeString(
        project.resolve("inventory.yaml"),
        inventory.replace("config:\n", "config:\n  run-as: " + sshd.user() + "\n"));
    run("command", "run", "true", "-t", "127.0.0.2");
    assertEquals(1, sshd.acceptedLogins(), "run-as does not matter");

    // known_hosts with other content
    Files.writeString(
        sshd.dir().resolve("known_hosts"), "# a comment\n", StandardOpenOption.APPEND);
    run("command", "run", "true", "-t", "127.0.0.2");
    assertEquals(2, sshd.acceptedLogins(), "a changed known_hosts makes a new session");

    // the same key, from another file named by the inventory
    Path key = tmp.resolve("other_key");
    Files.copy(sshd.key(), key);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Files.writeString(
        project.resolve("inventory.yaml"),
        inventory.replace(sshd.key().toString(), key.toString()));
    run("command", "run", "true", "-t", "127.0.0.2");
    assertEquals(3, sshd.acceptedLogins(), "another key file makes a new session");

    // the key file's bytes changed (an added newline: the same key, other content)
    Files.writeString(key, "\n", StandardOpenOption.APPEND);
    run("command", "run", "true", "-t", "127.0.0.2");
    assertEquals(4, sshd.acceptedLogins(), "a changed key file makes a new session");

    // the inventory is read again each run: a new target is there
    Files.writeString(
        project.resolve("inventory.yaml"),
        inventory
            .replace(sshd.key().toString(), key.toString())
            .replace("127.0.0.5]", "127.0.0.5, 127.0.0.6]"));
    sshd.knownHosts("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6");
    Cli.Outcome o = run("command", "run", "true", "-t", "all");
    assertTrue(o.out().contains("5 succeeded"), o::toString);
  }

  @Test
  void backToBackRunsAreServedByOneWarmProcess() throws Exception {
    // A client that got its exit code finds the warm process idle: it is marked free before the
    // code is sent (CI saw a run start right after another find it busy and start a second one).
    for (int i = 0; i < 25; i++) {
      run("command", "run", "true", "-t", "127.0.0.2");
    }
    assertEquals(1, warm.warmProcesses().size(), this::logQuietly);
    assertEquals(1, sshd.acceptedLogins(), this::logQuietly);
  }

  @Test
  void ctrlCThroughTheWarmPathKillsTheRemoteCommands() throws Exception {
    run("command", "run", "true", "-t", "all");
    Process p = warm.start(project, Map.of(), "command", "run", "sleep 585858", "-t", "all");
    for (int i = 0; i < 300 && running("sleep 585858") < 4; i++) {
      Thread.sleep(100);
    }
    assertEquals(4, running("sleep 585858"), "started everywhere");
    long t0 = System.nanoTime();
    Cmd.run("kill", "-INT", String.valueOf(p.pid()));
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    double seconds = (System.nanoTime() - t0) / 1e9;
    assertEquals(130, p.exitValue(), () -> new String(readAll(p)));
    for (int i = 0; i < 50 && running("sleep 585858") > 0; i++) {
      Thread.sleep(100);
    }
    assertEquals(0, running("sleep 585858"), "no remote process left");
    System.out.printf(
        "SIGINT through the warm client on 4 targets: exit 130 after %.2f s%n", seconds);
    run("command", "run", "true", "-t", "all");
    assertEquals(
        4,
        sshd.acceptedLogins(),
        () -> "the warm process and its sessions serve on\n" + logQuietly());
  }

  private static byte[] readAll(Process p) {
    try {
      return p.getErrorStream().readAllBytes();
    } catch (Exception e) {
      return new byte[0];
    }
  }

  private static int running(String commandLine) {
    String n = Cmd.run("sh", "-c", "pgrep -c -f '^" + commandLine + "' || true").strip();
    return n.isEmpty() ? 0 : Integer.parseInt(n);
  }

  @Test
  void aKilledWarmProcessMakesTheNextRunColdAndRight() throws Exception {
    run("command", "run", "echo one", "-t", "all");
    long pid = warm.warmProcesses().get(0);
    Cmd.run("kill", "-9", String.valueOf(pid));
    ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
    Cli.Outcome o = run("command", "run", "echo two", "-t", "all");
    assertTrue(o.out().contains("two") && o.out().contains("4 succeeded"), o::toString);
    assertEquals(8, sshd.acceptedLogins(), "logged in again");
    assertEquals(1, warm.warmProcesses().size(), "a new warm process");
  }

  @Test
  void itEndsWhenIdleAndPersistZeroOrNoPersistLeaveNothing() throws Exception {
    Files.writeString(project.resolve("jbolt-project.yaml"), "name: lab\npersist: 1\n");
    run("command", "run", "true", "-t", "all");
    for (int i = 0; i < 100 && !warm.warmProcesses().isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertEquals(
        List.of(), warm.warmProcesses(), () -> "idle exit after persist seconds\n" + logQuietly());
    assertTrue(warm.log().contains("exiting: idle for 1s"), this::logQuietly);
    assertEquals(0, sshd.awaitNoDescendants(), "its sessions closed");

    Files.writeString(project.resolve("jbolt-project.yaml"), "name: lab\npersist: 0\n");
    run("command", "run", "true", "-t", "all");
    Thread.sleep(500);
    assertEquals(List.of(), warm.warmProcesses(), "persist: 0 leaves nothing running");

    Files.writeString(project.resolve("jbolt-project.yaml"), "name: lab\n");
    Cli.Outcome o = run("command", "run", "echo cold", "-t", "all", "--no-persist");
    assertTrue(o.out().contains("cold"), o::toString);
    assertEquals(List.of(), warm.warmProcesses(), "--no-persist leaves nothing running");
    try (var left = Files.list(warm.sockets())) {
      assertEquals(List.of(), left.filter(f -> f.toString().endsWith(".sock")).toList());
    }
  }

  @Test
  void anotherUserIsRefusedOnTheSocket() throws Exception {
    run("command", "run", "true", "-t", "all");
    // Open the way to the socket, as a careless chmod would: the peer check still refuses.
    for (Path d = warm.sockets(); d.startsWith(tmp); d = d.getParent()) {
      Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Path sock;
    try (var s = Files.list(warm.sockets())) {
      sock = s.filter(f -> f.toString().endsWith(".sock")).findFirst().orElseThrow();
    }
    Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
    // The warm process may close before the probe writes: that write then fails (no SIGPIPE).
    String probe =
        "$SIG{PIPE} = 'IGNORE'; socket(my $s, 1, 1, 0) or die;"
            + " connect($s, pack('S Z108', 1, $ARGV[0])) or die \"connect: $!\";"
            + " syswrite($s, 'H' . pack('N', 12) . 'jbolt-warm 1' . 'R' . pack('N', 0))"
            + " or do { print \"closed\"; exit 0 };"
            + " my $n = sysread($s, my $b, 100); print defined $n ? \"read $n\" : \"error $!\";";
    String out =
        Cmd.run(
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "perl",
            "-e",
            probe,
            sock.toString());
    assertTrue(
        out.strip().equals("read 0")
            || out.strip().equals("error Connection reset by peer")
            || out.strip().equals("closed"),
        "nobody gets nothing but a closed connection: " + out);
    assertTrue(warm.log().contains("refused a connection from user nobody"), this::logQuietly);
  }

  @Test
  void itEndsOnPersistStopAndOnANewBuild() throws Exception {
    // The rebuild below touches the code the warm process runs: target/classes, not the jar and
    // its start-up cache that the other tests share.
    warm.close();
    warm =
        new WarmClient(
            Files.createDirectories(tmp.resolve("classes-client")), tmp, Jvm.onTestClassPath());
    run("command", "run", "true", "-t", "all");
    assertEquals(1, warm.warmProcesses().size());
    Cli.Outcome stop = warm.run(project, Map.of("JBOLT_PERSIST", "0"), "", "persist", "stop");
    assertTrue(stop.out().startsWith("stopped the warm process"), stop::toString);
    for (int i = 0; i < 50 && !warm.warmProcesses().isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertEquals(List.of(), warm.warmProcesses(), "persist stop");
    assertEquals(0, sshd.awaitNoDescendants(), "its sessions closed");

    run("command", "run", "true", "-t", "all");
    assertEquals(1, warm.warmProcesses().size());
    // A rebuild: the code the warm process runs (target/classes here) has a new time.
    Path code = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Files.setLastModifiedTime(code, FileTime.fromMillis(System.currentTimeMillis()));
    for (int i = 0; i < 50 && !warm.warmProcesses().isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertEquals(List.of(), warm.warmProcesses(), () -> "a new build ends it\n" + logQuietly());
    assertTrue(warm.log().contains("exiting: its jar changed"), this::logQuietly);
  }

  @Test
  void persistStopEndsThisProjectsUnlessAll() throws Exception {
    Path other = Files.createDirectories(tmp.resolve("other"));
    Projects.withInventory(other, inventory);
    Files.writeString(other.resolve("jbolt-project.yaml"), "name: other\n");
    run("command", "run", "true", "-t", "all");
    assertEquals(0, warm.run(other, "command", "run", "true", "-t", "all").code());
    assertEquals(2, warm.warmProcesses().size(), this::logQuietly);

    Cli.Outcome stop = warm.run(project, Map.of("JBOLT_PERSIST", "0"), "", "persist", "stop");
    assertTrue(stop.out().startsWith("stopped the warm process"), stop::toString);
    assertEquals(1, stop.out().lines().count(), stop::toString);
    for (int i = 0; i < 50 && warm.warmProcesses().size() > 1; i++) {
      Thread.sleep(100);
    }
    assertEquals(1, warm.warmProcesses().size(), "the other project's is kept");
    Cli.Outcome none = warm.run(project, Map.of("JBOLT_PERSIST", "0"), "", "persist", "stop");
    assertEquals(
        "no warm jbolt process is running for " + project + "\n", none.out(), none::toString);

    Cli.Outcome all =
        warm.run(project, Map.of("JBOLT_PERSIST", "0"), "", "persist", "stop", "--all");
    assertTrue(all.out().startsWith("stopped the warm process"), all::toString);
    for (int i = 0; i < 50 && !warm.warmProcesses().isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertEquals(List.of(), warm.warmProcesses(), "--all stops every project's");
  }
}
