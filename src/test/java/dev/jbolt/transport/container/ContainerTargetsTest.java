package dev.jbolt.transport.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.DocsTest;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.InventoryParser;
import dev.jbolt.inventory.Target;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Jvm;
import dev.jbolt.testing.Podman;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.OutputBudget;
import dev.jbolt.transport.TransportException;
import dev.jbolt.transports.Transports;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Everything that runs on a target runs in a container (issue 30): commands, scripts, tasks (each
 * input method, files from another module under _installdir), transfers, plans and service graphs;
 * a timeout stops the command's whole process group inside; each way of failing says why; the
 * docker transport's command lines, run by podman's docker-compatible CLI.
 */
class ContainerTargetsTest {
  @TempDir static Path dir;
  static Podman podman;
  static Path project;
  static String box;
  static String bash;
  static String sudo;

  @BeforeAll
  static void setUp() throws Exception {
    podman = Podman.start();
    box = podman.container("jbolt-busybox");
    bash = podman.container("jbolt-bash");
    sudo = podman.container("jbolt-sudo");
    project = Files.createDirectories(dir.resolve("project"));
    Files.writeString(project.resolve("jbolt-project.yaml"), "name: lab\n");
    Files.writeString(
        project.resolve("inventory.yaml"),
        "targets:\n  - {name: box, uri: 'podman://"
            + box
            + "'}\n  - name: bashbox\n    uri: "
            + bash
            + "\n    config: {transport: podman}\n  - {name: sudobox, uri: 'podman://"
            + sudo
            + "'}\n");
    Path tasks = Files.createDirectories(project.resolve("modules/app/tasks"));
    Files.writeString(
        tasks.resolve("hello.sh"),
        "#!/bin/bash\n. \"$PT__installdir/lib/files/greet.sh\"\n"
            + "[[ -n $BASH_VERSION ]] && greet \"$PT_name\" \"${BASH_VERSINFO[0]}\"\n");
    Files.writeString(
        tasks.resolve("hello.json"),
        "{\"parameters\": {\"name\": {\"type\": \"String\"}}, \"files\": [\"lib/files/greet.sh\"]}");
    Files.writeString(tasks.resolve("echo.sh"), "#!/bin/sh\necho \"env=$PT_x stdin=$(cat)\"\n");
    Files.writeString(
        tasks.resolve("echo.json"),
        "{\"input_method\": \"both\", \"parameters\": {\"x\": {\"type\": \"String\"}}}");
    for (String method : new String[] {"environment", "stdin"}) {
      Files.writeString(
          tasks.resolve(method + ".sh"), "#!/bin/sh\necho \"env=${PT_x-unset} stdin=$(cat)\"\n");
      Files.writeString(
          tasks.resolve(method + ".json"),
          "{\"input_method\": \""
              + method
              + "\", \"parameters\": {\"x\": {\"type\": \"String\"}}}");
    }
    Files.writeString(
        tasks.resolve("json.sh"),
        "#!/bin/sh\nprintf '{\"got\": \"%s\", \"home\": \"%s\"}' \"$PT_x\" \"$HOME\"\n");
    Path lib = Files.createDirectories(project.resolve("modules/lib/files"));
    Files.writeString(lib.resolve("greet.sh"), "greet() { echo \"hello $1 from bash $2\"; }\n");
    Files.writeString(project.resolve("s.sh"), "#!/bin/sh\necho \"args: $1|$2 in $(pwd)\"\n");
    Files.createDirectories(project.resolve("plans"));
    Files.writeString(
        project.resolve("plans/where.js"),
        "export default function () {\n"
            + "  const r = run_command('cat /etc/hostname >/dev/null; echo in-box', 'box');\n"
            + "  return r.first().value.stdout.trim();\n}\n");
    Files.createDirectories(project.resolve("services"));
    Files.writeString(
        project.resolve("services/all.yaml"),
        "services:\n  app:\n    target: box\n    actions:\n      start:\n"
            + "        cmd: touch /tmp/app-started\n      status:\n"
            + "        cmd: test -e /tmp/app-started\n");
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (podman != null) {
      podman.close();
    }
  }

  private static Cli.Outcome jbolt(String... args) {
    return Cli.run(project, args);
  }

  @Test
  void commandsScriptsAndTransfersRunInTheContainer() throws Exception {
    Cli.Outcome o = jbolt("command", "run", "echo $HOME; id -u", "-t", "box");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("/root\n0\n"), o::toString);
    o = jbolt("script", "run", "s.sh", "a b", "c", "-t", "box");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("args: a b|c in /"), o::toString);
    Path f = project.resolve("payload");
    Files.writeString(f, "payload\n");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-x---"));
    o = jbolt("file", "upload", "payload", "/tmp/up", "-t", "box");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        "750\npayload\n",
        Podman.run("podman", "exec", box, "sh", "-c", "stat -c %a /tmp/up; cat /tmp/up"));
    o = jbolt("file", "download", "/tmp/up", "dl", "-t", "box");
    assertEquals(0, o.code(), o::toString);
    assertEquals("payload\n", Files.readString(project.resolve("dl/box/up")));
  }

  @Test
  void tasksTakeEveryInputMethodAndFilesFromAnotherModule() {
    Cli.Outcome o = jbolt("task", "run", "app::hello", "name=world", "-t", "bashbox");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("hello world from bash 5"), o::toString);
    o = jbolt("task", "run", "app::echo", "x=hi", "-t", "box");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("env=hi stdin={\"x\":\"hi\""), o::toString);
    o = jbolt("task", "run", "app::environment", "x=hi", "-t", "box");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("env=hi stdin=\n"), o::toString);
    o = jbolt("task", "run", "app::stdin", "x=hi", "-t", "box");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("env=unset stdin={\"x\":\"hi\""), o::toString);
    o = jbolt("task", "run", "app::json", "x=v", "-t", "box", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("v", o.json().at("/items/0/value/got").asText(), o::toString);
    assertEquals("/root", o.json().at("/items/0/value/home").asText(), o::toString);
    // Without bash in the image the task's interpreter is missing: a failed task, not a hang.
    o = jbolt("task", "run", "app::hello", "name=world", "-t", "box");
    assertEquals(1, o.code(), o::toString);
  }

  @Test
  void runAsIsSudoInsideTheContainer() throws Exception {
    Cli.Outcome o =
        jbolt("command", "run", "id -un; echo $HOME", "--run-as", "app", "-t", "sudobox");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("app\n/home/app\n"), o::toString);
    o = jbolt("script", "run", "s.sh", "x", "y", "--run-as", "app", "-t", "sudobox");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("args: x|y"), o::toString);
    o =
        jbolt(
            "task",
            "run",
            "app::json",
            "x=v",
            "--run-as",
            "app",
            "-t",
            "sudobox",
            "--format",
            "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("/home/app", o.json().at("/items/0/value/home").asText(), o::toString);
    Files.writeString(project.resolve("mine"), "mine\n");
    o = jbolt("file", "upload", "mine", "/home/app/mine", "--run-as", "app", "-t", "sudobox");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        "app mine\n",
        Podman.run(
                "podman", "exec", sudo, "sh", "-c", "stat -c %U /home/app/mine; cat /home/app/mine")
            .replace("\n", " ")
            .replaceFirst(" $", "\n"));
  }

  @Test
  void plansAndServiceGraphsRunInTheContainer() throws Exception {
    Cli.Outcome o = jbolt("plan", "run", "lab::where");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("in-box"), o::toString);
    o = jbolt("service", "start");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        "yes\n",
        Podman.run("podman", "exec", box, "sh", "-c", "test -e /tmp/app-started && echo yes"));
  }

  @Test
  void aTimeoutStopsTheCommandsWholeProcessGroupInside() throws Exception {
    ContainerTransport t = new ContainerTransport("podman", OutputBudget.UNLIMITED);
    Connection c = t.connection(PodmanConnectionTest.target("podman://" + box));
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> Exec.run(c, "sleep 3131 & sleep 3232; echo never", null, 1000, null));
    assertEquals("jbolt/timeout", e.kind().id());
    String ps = "";
    for (int i = 0; i < 50; i++) {
      ps = Podman.run("podman", "exec", box, "ps", "-o", "args");
      if (!ps.contains("sleep 3131") && !ps.contains("sleep 3232")) {
        break;
      }
      Thread.sleep(100);
    }
    assertTrue(!ps.contains("sleep 3131") && !ps.contains("sleep 3232"), ps);
  }

  /**
   * docs/containers.md: the image recipe makes an image a target runs in; the inventory example
   * gives the transports and settings it says; the settings table names every setting jbolt knows.
   */
  @Test
  void theDocsExamplesAreTrue() throws Exception {
    String doc = Files.readString(Path.of("docs/containers.md"));
    String tag = "jbolt-doc-" + ProcessHandle.current().pid();
    String recipe =
        DocsTest.marked(doc, "busybox image").get(0).replace("localbb", tag).replace("web1", tag);
    Path work = Files.createDirectories(dir.resolve("recipe"));
    try {
      Podman.run("bash", "-euc", "cd '" + work + "'\n" + recipe);
      Path p = Files.createDirectories(dir.resolve("doc"));
      Files.writeString(p.resolve("jbolt-project.yaml"), "name: doc\n");
      Cli.Outcome o = Cli.run(p, "command", "run", "echo $HOME", "-t", "podman://" + tag);
      assertEquals(0, o.code(), o::toString);
      assertTrue(o.out().contains("\n/root\n"), o::toString);
    } finally {
      Cmd.run("podman", "rm", "-f", "-t", "0", tag);
      Cmd.run("podman", "rmi", "-f", tag);
      Cmd.run("rm", "-rf", work.toString());
    }
    Inventory inv =
        InventoryParser.parse(
            DocsTest.marked(doc, "inventory").get(0),
            "inventory.yaml",
            new PrintStream(PrintStream.nullOutputStream()));
    Target web1 = inv.target("podman://web1").orElseThrow();
    Target web2 = inv.target("web2").orElseThrow();
    Target db1 = inv.target("docker://db1").orElseThrow();
    assertEquals(
        List.of("podman", "podman", "docker"),
        List.of(web1.transport(), web2.transport(), db1.transport()));
    assertEquals(
        List.of("web1", "web2-container", "db1"), List.of(web1.host(), web2.host(), db1.host()));
    assertEquals("/var/tmp", web2.transportConfig().get("tmpdir"));
    assertEquals("unix:///run/docker.sock", db1.transportConfig().get("service-url"));
    for (Target t : List.of(web1, web2, db1)) {
      assertEquals(Map.of(), Transports.settingWarnings(t), t.name());
    }
    String table = DocsTest.marked(doc, "container-settings").get(0);
    Set<String> named = new TreeSet<>();
    Matcher m = Pattern.compile("`([a-z-]+)`").matcher(table);
    while (m.find()) {
      named.add(m.group(1));
    }
    named.retainAll(ContainerTransport.keys("docker"));
    assertEquals(new TreeSet<>(ContainerTransport.keys("docker")), named);
  }

  /** Bolt's settings for the container transports: shell-command, tmpdir, cleanup, interpreters. */
  @Test
  void boltsSettingsAreHonoured() throws Exception {
    Path p = Files.createDirectories(dir.resolve("settings"));
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: settings\n");
    Files.writeString(
        p.resolve("inventory.yaml"),
        "targets:\n  - name: b\n    uri: podman://"
            + bash
            + "\n    config:\n      podman:\n        shell-command: bash -c\n"
            + "        tmpdir: /root\n        cleanup: false\n"
            + "        interpreters: {'.py': /bin/bash}\n");
    Files.writeString(p.resolve("where.py"), "echo \"bash=${BASH_VERSINFO[0]} dir=${0%/*}\"\n");
    Cli.Outcome o = Cli.run(p, "command", "run", "echo ${BASH_VERSINFO[0]}", "-t", "b");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("\n5\n"), o::toString);
    o = Cli.run(p, "script", "run", "where.py", "-t", "b");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().matches("(?s).*bash=5 dir=/root/[^\n]+\n.*"), o::toString);
    String kept = o.out().replaceFirst("(?s).*dir=(/root/[^\n]+)\n.*", "$1");
    assertEquals(
        "where.py\n", Podman.run("podman", "exec", bash, "ls", kept), "cleanup: false keeps it");
  }

  private static String ps(String container) throws Exception {
    return Podman.run("podman", "exec", container, "ps", "-o", "args");
  }

  /** Ctrl-C: the script and its child die inside the container, and its temp dir goes. */
  @Test
  void sigintStopsTheScriptInsideAndCleansUp() throws Exception {
    Path hold = project.resolve("hold.sh");
    Files.writeString(hold, "#!/bin/sh\nsleep 454561 &\nsleep 454562\n");
    Process p =
        Jvm.start(
            List.of(),
            project,
            dir,
            Map.of(),
            "script",
            "run",
            "hold.sh",
            "-t",
            "box",
            "--no-persist");
    for (int i = 0; i < 300 && !ps(box).contains("sleep 454562"); i++) {
      Thread.sleep(100);
    }
    assertTrue(ps(box).contains("sleep 454562"), "the script started");
    String tmpBefore = Podman.run("podman", "exec", box, "ls", "-a", "/tmp");
    Cmd.run("kill", "-INT", String.valueOf(p.pid()));
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "stopped promptly");
    Cli.Outcome o = Jvm.finish(p, "interrupted run");
    assertEquals(130, o.code(), o::toString);
    String left = ps(box);
    for (int i = 0; i < 50 && left.contains("sleep 45456"); i++) {
      Thread.sleep(100);
      left = ps(box);
    }
    assertFalse(left.contains("sleep 45456"), left);
    String tmpAfter = Podman.run("podman", "exec", box, "ls", "-a", "/tmp");
    assertTrue(tmpBefore.lines().count() > tmpAfter.lines().count(), tmpBefore + " / " + tmpAfter);
  }

  @Test
  void eachWayOfFailingSaysWhyAndTheOthersRun() throws Exception {
    String stopped = podman.stopped("jbolt-busybox");
    String noShell = podman.container("jbolt-noshell");
    Path p = Files.createDirectories(dir.resolve("failing"));
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: failing\n");
    Files.writeString(
        p.resolve("inventory.yaml"),
        "targets:\n  - podman://"
            + box
            + "\n  - podman://jbolt-no-such-container\n  - podman://"
            + stopped
            + "\n  - podman://"
            + noShell
            + "\n  - name: dock\n    uri: docker://"
            + box
            + "\n    config: {docker: {service-url: 'unix:///nonexistent/docker.sock'}}\n");
    Cli.Outcome o = Cli.run(p, "command", "run", "echo fine", "-t", "all", "--format", "json");
    assertEquals(1, o.code(), o::toString);
    String all = o.out() + o.err();
    assertTrue(all.contains("fine"), all);
    assertTrue(all.contains("\"succeeded\":1") || all.contains("\"success\""), all);
    assertTrue(all.contains("no container has the name or ID 'jbolt-no-such-container'"), all);
    assertTrue(all.contains("'" + stopped + "': the container is not running"), all);
    assertTrue(all.contains("jbolt needs a POSIX shell in the image"), all);
    boolean dockerCli =
        Files.isExecutable(Path.of("/usr/bin/docker"))
            || Files.isExecutable(Path.of("/usr/local/bin/docker"));
    assertTrue(
        dockerCli
            ? all.contains("the docker daemon is not reachable")
            : all.contains("docker is not installed here"),
        all);
    // Without the engine on PATH at all.
    Cli.Outcome none =
        Jvm.run(
            project,
            dir,
            Map.of("PATH", "/nonexistent"),
            "command",
            "run",
            "true",
            "-t",
            "box",
            "--no-persist");
    assertEquals(1, none.code(), none::toString);
    assertTrue(none.out().contains("podman is not installed here"), none::toString);
  }

  @Test
  void aNameThatWouldBeAnOptionIsBadInputAndUnknownSettingsWarn() throws Exception {
    Path p = Files.createDirectories(dir.resolve("bad"));
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: bad\n");
    Files.writeString(p.resolve("inventory.yaml"), "targets: ['podman://-rm']\n");
    Cli.Outcome o = Cli.run(p, "command", "run", "true", "-t", "all");
    assertEquals(2, o.code(), o::toString);
    assertTrue(o.err().contains("'-rm' is not a container's name or ID"), o::toString);
    // A target made where no run checks it first (a plan's): refused before the engine runs.
    Connection made =
        new ContainerTransport("podman", OutputBudget.UNLIMITED)
            .connection(PodmanConnectionTest.target("podman://-rm"));
    TransportException refused = assertThrows(TransportException.class, made::connect);
    assertTrue(
        refused.getMessage().contains("'-rm' is not a container's name or ID"),
        refused::getMessage);
    Files.writeString(
        p.resolve("inventory.yaml"),
        "targets: ['podman://" + box + "']\nconfig:\n  podman: {tty: true, colour: blue}\n");
    o = Cli.run(p, "command", "run", "true", "-t", "all");
    assertEquals(0, o.code(), o::toString);
    assertTrue(
        o.err().contains("podman setting 'tty' is ignored: jbolt runs commands without a terminal"),
        o::toString);
    assertTrue(o.err().contains("podman setting 'colour' is ignored"), o::toString);
  }

  @Test
  void theDockerTransportsCommandLinesRunOnPodmansDockerCli() throws Exception {
    Path shim = Files.createDirectories(dir.resolve("shim"));
    Path log = dir.resolve("docker-argv.log");
    Files.writeString(
        shim.resolve("docker"), "#!/bin/sh\necho \"$*\" >> '" + log + "'\nexec podman \"$@\"\n");
    Files.setPosixFilePermissions(
        shim.resolve("docker"), PosixFilePermissions.fromString("rwxr-xr-x"));
    Path p = Files.createDirectories(dir.resolve("docker"));
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: dock\n");
    Files.writeString(p.resolve("inventory.yaml"), "targets: ['docker://" + box + "']\n");
    Files.writeString(p.resolve("f"), "via docker\n");
    Map<String, String> env = Map.of("PATH", shim + ":/usr/bin:/bin");
    Cli.Outcome o =
        Jvm.run(p, dir, env, "file", "upload", "f", "/tmp/docker-f", "-t", "all", "--no-persist");
    assertEquals(0, o.code(), o::toString);
    o = Jvm.run(p, dir, env, "command", "run", "cat /tmp/docker-f", "-t", "all", "--no-persist");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("via docker"), o::toString);
    String argv = Files.readString(log);
    assertTrue(argv.contains("exec -i " + box + " sh -c u=$(id -un"), argv);
    assertTrue(argv.contains("cp - " + box + ":/tmp/.jbolt."), argv);
    assertTrue(argv.matches("(?s).*\\bexec -i " + box + " sh -c echo jbolt-pid-.*"), argv);
  }
}
