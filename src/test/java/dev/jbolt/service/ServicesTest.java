package dev.jbolt.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jbolt service}: MilkCheck's configuration run over real sshd targets (127.0.0.2-5 on one
 * sshd, so a command tells its node by the address it reached, the third field of SSH_CONNECTION).
 * Each test writes its own services/ and reads the JSON or human output.
 */
class ServicesTest {
  @LabSshd(anyAddress = true)
  static Sshd sshd;

  @TempDir static Path tmp;
  static Path shared;

  /** Fails on the nodes whose last address byte is in {@code bad} (a shell case pattern). */
  static String failOn(String bad) {
    return "case $(echo $SSH_CONNECTION | cut -d' ' -f3) in 127.0.0." + bad + ") exit 1;; esac";
  }

  @BeforeAll
  static void start() throws Exception {
    shared = Projects.sharedDir(tmp, "shared");
    Projects.lab(
        tmp,
        "lab",
        sshd,
        "groups:\n  - name: front\n    targets: [127.0.0.2, 127.0.0.3]\n"
            + "targets: ['127.0.0.[2-5]']\n",
        "127.0.0.2",
        "127.0.0.3",
        "127.0.0.4",
        "127.0.0.5");
  }

  @BeforeEach
  void clean() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("services"));
    try (var s = Files.list(dir)) {
      for (Path f : s.toList()) {
        Files.delete(f);
      }
    }
    Files.deleteIfExists(shared.resolve("log"));
  }

  private static void services(String yaml) throws Exception {
    Files.writeString(tmp.resolve("services/all.yaml"), yaml);
  }

  private static Cli.Outcome run(String... args) {
    List<String> a = new ArrayList<>(List.of("service"));
    a.addAll(List.of(args));
    return Cli.run(tmp, a.toArray(String[]::new));
  }

  /** service name to the JSON of its outcome, from {@code --format json}. */
  private static Map<String, JsonNode> json(Cli.Outcome o) {
    Map<String, JsonNode> out = new TreeMap<>();
    if (o.code() == 2 || !o.out().startsWith("{")) {
      throw new AssertionError(o.toString());
    }
    o.json().get("services").forEach(s -> out.put(s.get("service").asText(), s));
    return out;
  }

  private static String targets(JsonNode s) {
    List<String> t = new ArrayList<>();
    s.get("targets").forEach(x -> t.add(x.asText()));
    return String.join(",", t);
  }

  @Test
  void requireFilterAndWeakDependenciesPropagateAFailureAsMilkCheckDoes() throws Exception {
    services(
        "services:\n"
            + "  db:\n    target: '127.0.0.[2-5]'\n    actions:\n      start:\n        cmd: |\n          "
            + failOn("3")
            + "\n"
            + "  req:\n    require: [db]\n    target: '127.0.0.[2-5]'\n    actions: {start: {cmd: 'true'}}\n"
            + "  filt:\n    filter: [db]\n    target: '127.0.0.[2-5]'\n    actions: {start: {cmd: 'true'}}\n"
            + "  weak:\n    require_weak: [db]\n    target: '127.0.0.[2-5]'\n    actions: {start: {cmd: 'true'}}\n"
            + "  after_req:\n    require: [req]\n    actions: {start: {cmd: 'true'}}\n");
    Cli.Outcome o = run("start", "--format", "json");
    assertEquals(1, o.code(), o::toString);
    Map<String, JsonNode> s = json(o);
    assertEquals("ERROR", s.get("db").get("status").asText(), o::toString);
    assertEquals("127.0.0.3", s.get("db").get("failed").get(0).asText());
    assertEquals("DEP_ERROR", s.get("req").get("status").asText());
    assertFalse(s.get("req").has("items"), "a DEP_ERROR service runs nothing");
    assertEquals("DEP_ERROR", s.get("after_req").get("status").asText());
    assertEquals("OK", s.get("filt").get("status").asText());
    assertEquals(
        "127.0.0.2,127.0.0.4,127.0.0.5", targets(s.get("filt")), "the failed node is left out");
    assertEquals("OK", s.get("weak").get("status").asText());
    assertEquals("127.0.0.2,127.0.0.3,127.0.0.4,127.0.0.5", targets(s.get("weak")));

    // Human output: the failed node's exit under the failed service, one line per service.
    Cli.Outcome h = run("start", "-s");
    assertTrue(h.out().contains(" > 127.0.0.3 exited with 1"), h.out());
    assertTrue(
        h.out().lines().anyMatch(l -> l.startsWith("req ") && l.endsWith("[DEP_ERROR]")), h.out());
    assertTrue(h.out().contains(" SUMMARY - 3 actions (1 failed)\n + db.start"), h.out());
  }

  @Test
  void stopFollowsTheDependenciesBackwards() throws Exception {
    String log = shared.resolve("log").toString();
    services(
        "services:\n"
            + "  base:\n    target: 127.0.0.2\n    actions:\n      start,stop:\n        cmd: echo %SERVICE-%ACTION >> "
            + log
            + "\n  mid:\n    require: [base]\n    target: 127.0.0.2\n    actions:\n      start,stop:\n        cmd: echo %SERVICE-%ACTION >> "
            + log
            + "\n  top:\n    require: [mid]\n    target: 127.0.0.2\n    actions:\n      start,stop:\n        cmd: echo %SERVICE-%ACTION >> "
            + log
            + "\n");
    assertEquals(0, run("start").code());
    assertEquals(0, run("stop").code());
    assertEquals(
        List.of("base-start", "mid-start", "top-start", "top-stop", "mid-stop", "base-stop"),
        Files.readAllLines(shared.resolve("log")));
    // Stopping one service stops what depends on it first, and nothing it depends on.
    Files.delete(shared.resolve("log"));
    assertEquals(0, run("mid", "stop").code());
    assertEquals(List.of("top-stop", "mid-stop"), Files.readAllLines(shared.resolve("log")));
  }

  @Test
  void errorsAndWarningsAreHowManyFailedNodesAnActionTolerates() throws Exception {
    String fail2 = failOn("[23]");
    services(
        "services:\n"
            + "  strict:\n    target: '127.0.0.[2-5]'\n    actions:\n      start:\n        cmd: \""
            + fail2
            + "\"\n  warn:\n    target: '127.0.0.[2-5]'\n    errors: 2\n    warnings: 1\n    actions:\n      start:\n        cmd: \""
            + fail2
            + "\"\n  fine:\n    target: '127.0.0.[2-5]'\n    errors: 2\n    warnings: 2\n    actions:\n      start:\n        cmd: \""
            + fail2
            + "\"\n");
    Map<String, JsonNode> s = json(run("start", "--format", "json"));
    assertEquals("ERROR", s.get("strict").get("status").asText());
    assertEquals("WARNING", s.get("warn").get("status").asText());
    assertEquals("OK", s.get("fine").get("status").asText());
    assertEquals(3, run("warn", "fine", "start").code(), "warnings only: exit 3, as MilkCheck");
    assertEquals(0, run("fine", "start").code());
  }

  @Test
  void aTimeoutKillsTheRemoteProcessesAndRetriesWaitTheirDelay() throws Exception {
    String count = shared.resolve("count").toString();
    services(
        "services:\n"
            + "  slow:\n    target: '127.0.0.[2-3]'\n    timeout: 1\n    actions:\n      start:\n        cmd: sleep 4646\n"
            + "  flaky:\n    target: 127.0.0.2\n    retry: 2\n    delay: 0.3\n    actions:\n      start:\n"
            + "        cmd: echo x >> "
            + count
            + "; test $(wc -l < "
            + count
            + ") -ge 3\n");
    Files.deleteIfExists(shared.resolve("count"));
    Cli.Outcome o = run("start", "--format", "json");
    Map<String, JsonNode> s = json(o);
    assertTrue(s.containsKey("flaky"), o::toString);
    assertEquals("TIMEOUT", s.get("slow").get("status").asText(), o::toString);
    String left = Cmd.run("sh", "-c", "pgrep -c -f '^sleep 4646' || true").strip();
    assertEquals("0", left, "the timed-out commands were killed");
    assertEquals("OK", s.get("flaky").get("status").asText(), o::toString);
    assertEquals(3, s.get("flaky").get("tries").asInt());
    assertTrue(s.get("flaky").get("elapsed_ms").asLong() >= 900, "three delays of 0.3 s");
  }

  @Test
  void oneConnectionPerTargetWhateverTheNumberOfServices() throws Exception {
    StringBuilder y = new StringBuilder("services:\n");
    for (int i = 0; i < 12; i++) {
      y.append("  s").append(i).append(":\n    target: '127.0.0.[2-5]'\n");
      if (i > 0) {
        y.append("    require: [s").append(i - 1).append("]\n");
      }
      y.append("    actions: {start: {cmd: 'true'}, stop: {cmd: 'true'}}\n");
    }
    services(y.toString());
    long before = sshd.acceptedLogins();
    assertEquals(0, run("start").code());
    assertEquals(4, sshd.acceptedLogins() - before, "12 services on 4 targets: 4 SSH logins");
  }

  @Test
  void namesModesVariablesAndSelections() throws Exception {
    services(
        "variables:\n  who: world\n"
            + "services:\n"
            + "  'web[1-2],api':\n    target: '@front'\n    tags: [frontend]\n    variables: {port: 80}\n"
            + "    actions:\n      'start,run':\n        cmd: echo %SERVICE %ACTION %who %port %{TARGET} %(echo computed)\n"
            + "  deleg:\n    mode: delegate\n    target: '127.0.0.[2-5]'\n    actions:\n      start:\n        cmd: echo nodes=%TARGET sel=%SELECTED_NODES\n"
            + "  ex:\n    mode: exec\n    target: '127.0.0.[2-3]'\n    actions:\n      start:\n        cmd: echo host %%h\n"
            + "  other:\n    tags: [backend]\n    actions:\n      start:\n        cmd: echo %greeting\n");
    Cli.Outcome o = run("start", "--format", "json", "-D", "greeting=hi");
    assertEquals(0, o.code(), o::toString);
    Map<String, JsonNode> s = json(o);
    assertEquals(List.of("api", "deleg", "ex", "other", "web1", "web2"), List.copyOf(s.keySet()));
    assertEquals(
        "web2 start world 80 127.0.0.[2-3] computed\n",
        s.get("web2").at("/items/0/value/stdout").asText());
    assertEquals("127.0.0.2,127.0.0.3", targets(s.get("web1")));
    assertEquals(1, s.get("deleg").get("items").size(), "delegate: once, here");
    assertEquals("nodes=127.0.0.[2-5] sel=\n", s.get("deleg").at("/items/0/value/stdout").asText());
    assertEquals("host 127.0.0.3\n", s.get("ex").at("/items/1/value/stdout").asText());
    assertEquals("hi\n", s.get("other").at("/items/0/value/stdout").asText());

    // -n, -x, -X and --tags
    o =
        run(
            "start",
            "--format",
            "json",
            "-D",
            "greeting=hi",
            "-n",
            "127.0.0.[2-4]",
            "-x",
            "127.0.0.2",
            "-X",
            "api",
            "-X",
            "other");
    s = json(o);
    assertEquals("127.0.0.3", targets(s.get("web1")), o::toString);
    assertFalse(s.containsKey("api") || s.containsKey("other"), "excluded services do not run");
    assertEquals(
        "nodes=127.0.0.[3-4] sel=127.0.0.[2-4]\n",
        s.get("deleg").at("/items/0/value/stdout").asText());
    // With --tags, services without one of them are SKIPPED, as in MilkCheck.
    s = json(run("start", "--format", "json", "-D", "greeting=hi", "--tags", "frontend"));
    assertEquals("OK", s.get("web1").get("status").asText());
    assertEquals("SKIPPED", s.get("other").get("status").asText());
    assertEquals("SKIPPED", s.get("deleg").get("status").asText());
    // An alias runs the same action.
    assertEquals(
        "web1 run world 80 127.0.0.[2-3] computed\n",
        json(run("web1", "run", "--format", "json", "-D", "greeting=hi"))
            .get("web1")
            .at("/items/0/value/stdout")
            .asText());
  }

  @Test
  void checkRunsTheDependencysStatusAndGroupsActAsOne() throws Exception {
    services(
        "services:\n"
            + "  fs:\n    target: 127.0.0.2\n    actions:\n      status: {cmd: 'false'}\n      start: {cmd: 'true'}\n"
            + "  app:\n    check: [fs]\n    target: 127.0.0.2\n    actions: {start: {cmd: 'true'}}\n"
            + "  grp:\n    require: [app]\n    services:\n      a:\n        actions: {start: {cmd: 'true'}}\n"
            + "      b:\n        require: [a]\n        actions: {start: {cmd: 'true'}}\n"
            + "  last:\n    require_weak: [grp]\n    actions: {start: {cmd: 'true'}}\n");
    Map<String, JsonNode> s = json(run("app", "start", "--format", "json"));
    assertEquals("status", s.get("fs").get("action").asText(), "check runs status");
    assertEquals("ERROR", s.get("fs").get("status").asText());
    assertEquals("DEP_ERROR", s.get("app").get("status").asText());
    assertFalse(s.containsKey("grp"), "app start pulls in what app needs only");
    s = json(run("grp", "start", "--format", "json", "-X", "app"));
    assertEquals("OK", s.get("grp.b").get("status").asText());
    assertEquals("OK", s.get("grp").get("status").asText());
    // --nodeps: the group and its members, none of what it depends on.
    s = json(run("grp", "start", "--format", "json", "--nodeps"));
    assertEquals(List.of("grp", "grp.a", "grp.b"), List.copyOf(s.keySet()));
  }

  @Test
  void aDependencyNamedByADefinedVariable() throws Exception {
    services(
        "services:\n  a:\n    actions: {start: {cmd: echo a}}\n"
            + "  b:\n    actions: {start: {cmd: 'false'}}\n"
            + "  c:\n    require: ['%dep']\n    actions: {start: {cmd: echo c}}\n");
    Map<String, JsonNode> s = json(run("c", "start", "--format", "json", "-D", "dep=b"));
    assertEquals("DEP_ERROR", s.get("c").get("status").asText(), "c needs b, named by -D");
  }

  @Test
  void graphAndDryRun() throws Exception {
    services(
        "services:\n  a:\n    actions: {start: {cmd: echo a}}\n"
            + "  b:\n    after: [a]\n    actions: {start: {cmd: echo b}}\n"
            + "  g:\n    require: [b]\n    services:\n      x:\n        actions: {start: {cmd: echo x}}\n");
    Cli.Outcome g = run("-g");
    assertEquals(0, g.code(), g::toString);
    assertTrue(g.out().startsWith("digraph dependency {\ncompound=true;\n"), g.out());
    assertTrue(g.out().contains("\"b\" -> \"a\" [style=dashed];"), g.out());
    assertTrue(g.out().contains("\"g.__hook\" -> \"b\" [ltail=\"cluster_g\"];"), g.out());
    Cli.Outcome d = run("--dry-run", "start");
    assertEquals(0, d.code(), d::toString);
    assertTrue(
        d.out().indexOf("start a on localhost\n > echo a") < d.out().indexOf("start b on"),
        d.out());
    assertTrue(d.out().indexOf("start b on") < d.out().indexOf("start g.x on"), d.out());
  }

  @Test
  void mistakesAreBadInputNamingFileAndLine() throws Exception {
    String[][] cases = {
      {
        "services:\n  a:\n    require: [b]\n    actions: {start: {cmd: x}}\n  b:\n    require: [a]\n    actions: {start: {cmd: x}}\n",
        "the dependencies make a cycle: "
      },
      {
        "services:\n  a:\n    require: [nope]\n    actions: {start: {cmd: x}}\n",
        "unknown dependency 'nope' of service a"
      },
      {
        "services:\n  a:\n    fanout: many\n    actions: {start: {cmd: x}}\n",
        "all.yaml:3: 'fanout' of service a must be"
      },
      {
        "services:\n  a:\n    actions: {start: {timeout: 3}}\n",
        "all.yaml:3: action 'start' of a has no 'cmd'"
      },
      {
        "services:\n  a:\n    actions: {start: {cmd: echo %undefined}}\n",
        "undefined variable 'undefined'"
      },
      {
        "services:\n  a:\n    actions:\n      start: {cmd: x, check: [stop]}\n"
            + "      stop: {cmd: x, check: [start]}\n",
        "the checks of service a make a cycle: start -> stop -> start"
      },
    };
    for (String[] c : cases) {
      services(c[0]);
      Cli.Outcome o = run("start");
      assertEquals(2, o.code(), o::toString);
      assertTrue(o.err().contains(c[1]), o.err());
    }
  }

  @Test
  void aPlanRunsTheSameGraphOnItsSession() throws Exception {
    services(
        "services:\n  db:\n    target: '127.0.0.[2-3]'\n    actions:\n      start:\n        cmd: |\n          "
            + failOn("3")
            + "\n  app:\n    filter: [db]\n    target: '127.0.0.[2-3]'\n    actions: {start: {cmd: 'true'}}\n");
    Files.createDirectories(tmp.resolve("plans"));
    Files.writeString(
        tmp.resolve("plans/up.js"),
        "export default function () {\n"
            + "  const r = run_services('start', {_catch_errors: true});\n"
            + "  const app = r.services.find((s) => s.service === 'app');\n"
            + "  return {status: r.status, each: r.services.map((s) => s.service + ':' + s.status),\n"
            + "    app_on: app.results.targets().map((t) => t.name)};\n"
            + "}\n");
    Cli.Outcome o = Cli.run(tmp, "plan", "run", "lab::up", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("ERROR", o.json().get("status").asText(), o::toString);
    assertEquals("[\"db:ERROR\",\"app:OK\"]", o.json().get("each").toString());
    assertEquals("[\"127.0.0.2\"]", o.json().get("app_on").toString());
    Files.writeString(
        tmp.resolve("plans/strict.js"), "export default function () { run_services('start'); }\n");
    o = Cli.run(tmp, "plan", "run", "lab::strict", "--format", "json");
    assertEquals(1, o.code(), o::toString);
    assertTrue(o.out().contains("jbolt/service-failed"), o::toString);
  }

  @Test
  void fanoutLimitsOnlyItsOwnServiceAndEveryAutomaticVariableIsSet() throws Exception {
    String one = shared.resolve("one").toString();
    String two = shared.resolve("two").toString();
    services(
        "services:\n"
            + "  one:\n    target: '127.0.0.[2-5]'\n    fanout: 1\n    actions:\n      start:\n"
            + "        cmd: echo s >> "
            + one
            + "; sleep 0.2; echo e >> "
            + one
            + "\n"
            // side by side: each waits (5 s at most) until all three have started; one at a time,
            // the first would end alone (a fixed sleep failed on a busy machine)
            + "  two:\n    target: '127.0.0.[2-5]'\n    actions:\n      start:\n"
            + "        cmd: echo s >> "
            + two
            + "; i=0; while [ $(grep -c s "
            + two
            + ") -lt 3 ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done; echo e >> "
            + two
            + "\n"
            + "  vars:\n    desc: The vars\n    target: '127.0.0.[2-5]'\n    fanout: 7\n    timeout: 9\n"
            + "    tags: [a, b]\n    actions:\n      start:\n"
            + "        cmd: echo %NAME %SERVICE %ACTION %FANOUT %TIMEOUT %DESC %TAGS x=%EXCLUDED_NODES n=%SELECTED_NODES t=%TARGET\n");
    Files.deleteIfExists(shared.resolve("one"));
    Files.deleteIfExists(shared.resolve("two"));
    Cli.Outcome o = run("start", "--format", "json", "-x", "127.0.0.5");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        "s e s e s e",
        String.join(" ", Files.readAllLines(shared.resolve("one"))),
        "fanout 1: one node at a time");
    assertEquals(
        List.of("s", "s", "s"),
        Files.readAllLines(shared.resolve("two")).subList(0, 3),
        "no fanout: side by side");
    assertEquals(
        "start vars start 7 9 The vars a,b x=127.0.0.5 n= t=127.0.0.[2-4]\n",
        json(o).get("vars").at("/items/0/value/stdout").asText());
  }
}
