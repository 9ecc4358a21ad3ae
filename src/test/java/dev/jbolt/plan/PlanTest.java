package dev.jbolt.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JavaScript plans over real SSH: the API's functions and objects, errors, the sandbox, one pool.
 */
class PlanTest {
  @LabSshd(anyAddress = true)
  static Sshd sshd;

  @TempDir static Path project;

  @BeforeAll
  static void start() throws Exception {
    String[] hosts = new String[50];
    for (int i = 0; i < 50; i++) {
      hosts[i] = "127.0.0." + (i + 2);
    }
    Projects.lab(
        project,
        "proj",
        sshd,
        "groups:\n  - name: web\n    targets: [127.0.0.2, 127.0.0.3]\n"
            + "    vars: {role: web}\n  - name: fifty\n    targets: ["
            + String.join(", ", hosts)
            + "]\n",
        hosts);
    Path tasks = Files.createDirectories(project.resolve("modules/fix/tasks"));
    Files.writeString(
        tasks.resolve("echo.sh"), "#!/bin/sh\necho \"{\\\"said\\\": \\\"$PT_word\\\"}\"\n");
    Files.writeString(
        tasks.resolve("echo.json"), "{\"parameters\": {\"word\": {\"type\": \"String\"}}}");
    Files.writeString(tasks.resolve("fail.sh"), "#!/bin/sh\nexit 2\n");
    Files.createDirectories(project.resolve("modules/fix/files"));
    Files.writeString(
        project.resolve("modules/fix/files/hello.sh"), "#!/bin/sh\necho \"script says $1 $2\"\n");
    Files.createDirectories(project.resolve("plans"));
  }

  private static void plan(String name, String js) throws Exception {
    Files.writeString(project.resolve("plans/" + name + ".js"), js);
  }

  private static Cli.Outcome run(String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "plan";
    full[1] = "run";
    System.arraycopy(args, 0, full, 2, args.length);
    return Cli.run(project, full);
  }

  private static JsonNode json(String... args) {
    String[] full = new String[args.length + 2];
    System.arraycopy(args, 0, full, 0, args.length);
    full[args.length] = "--format";
    full[args.length + 1] = "json";
    Cli.Outcome o = run(full);
    assertEquals(0, o.code(), o::toString);
    return o.json();
  }

  @Test
  void resultSetsResultsAndTargetsHaveBoltsMethods() throws Exception {
    plan(
        "objects",
        """
        export const params = { targets: { type: 'TargetSpec' } };
        export default function ({ targets }) {
          const rs = run_command('echo $SSH_CONNECTION | cut -d" " -f3; [ "$(echo $SSH_CONNECTION | cut -d" " -f3)" = 127.0.0.3 ] && exit 4; true',
              targets, { catch_errors: true });
          const names = [];
          for (const r of rs) names.push(r.target.name);
          const bad = rs.error_set().first();
          const t = get_target('127.0.0.2');
          return {
            ok: rs.ok(), count: rs.count(), names: rs.names(), iterated: names,
            ok_names: rs.ok_set().names(), targets: rs.targets().map(x => x.name),
            first_stdout: rs.first().value.stdout, first_ok: rs.first().ok(), first_status: rs.first().status,
            results: rs.results().length, found: rs.find('127.0.0.3').status,
            err_kind: bad.error().kind, err_msg: bad.error().msg, no_err: rs.first().error(),
            target: { name: t.name, host: t.host, port: t.port, uri: t.uri, vars: t.vars() },
            as_json: JSON.parse(JSON.stringify(rs))[0].target,
          };
        }
        """);
    JsonNode v = json("objects", "-t", "web");
    assertFalse(v.get("ok").asBoolean());
    assertEquals(2, v.get("count").asInt());
    assertEquals("[\"127.0.0.2\",\"127.0.0.3\"]", v.get("names").toString());
    assertEquals(v.get("names"), v.get("iterated"));
    assertEquals("[\"127.0.0.2\"]", v.get("ok_names").toString());
    assertEquals(v.get("names"), v.get("targets"));
    assertEquals("127.0.0.2\n", v.get("first_stdout").asText());
    assertTrue(v.get("first_ok").asBoolean());
    assertEquals("success", v.get("first_status").asText());
    assertEquals(2, v.get("results").asInt());
    assertEquals("failure", v.get("found").asText());
    assertEquals("puppetlabs.tasks/command-error", v.get("err_kind").asText());
    assertEquals("The command failed with exit code 4", v.get("err_msg").asText());
    assertTrue(v.get("no_err").isNull());
    assertEquals("127.0.0.2", v.at("/target/host").asText());
    assertEquals(sshd.port(), v.at("/target/port").asInt());
    assertEquals("web", v.at("/target/vars/role").asText());
    assertEquals("127.0.0.2", v.get("as_json").asText());
  }

  @Test
  void aFailingStepFailsThePlanUnlessItsErrorsAreCaught() throws Exception {
    plan(
        "failing",
        """
        export default function () {
          const caught = run_task('fix::fail', '127.0.0.2', { _catch_errors: true });
          out.message('caught: ' + caught.ok());
          run_command('exit 9', '127.0.0.2');
          return 'not reached';
        }
        """);
    Cli.Outcome o = run("failing");
    assertEquals(1, o.code(), o::toString);
    assertTrue(o.out().contains("caught: false"), o.out());
    assertTrue(
        o.err()
            .contains(
                "plan failing failed (bolt/run-failure): command 'exit 9' failed on 1 target"),
        o.err());
    Cli.Outcome j = run("failing", "--format", "json");
    assertEquals("bolt/run-failure", j.json().get("kind").asText(), j::toString);
    assertEquals(9, j.json().at("/details/result_set/0/value/exit_code").asInt());
  }

  @Test
  void failPlanAndJsErrorsReportKindFileAndLine() throws Exception {
    plan(
        "failer",
        "export default function () {\n  fail_plan('no luck', 'proj/custom', {why: 'test'});\n}\n");
    Cli.Outcome o = run("failer", "--format", "json");
    assertEquals(1, o.code());
    assertEquals("proj/custom", o.json().get("kind").asText());
    assertEquals("no luck", o.json().get("msg").asText());
    assertEquals("test", o.json().at("/details/why").asText());
    plan("typo", "export default function () {\n  const x = 1;\n  return x.nope.deeper;\n}\n");
    o = run("typo");
    assertEquals(1, o.code());
    assertTrue(o.err().contains("plans/typo.js:3: TypeError"), o.err());
  }

  @Test
  void tasksScriptsFilesAndNestedPlans() throws Exception {
    plan(
        "sub",
        "export const params = { n: { type: 'Integer' } };\nexport default function ({ n }) { return n * 2; }\n");
    plan("subfail", "export default function () { fail_plan('sub failed', 'proj/sub'); }\n");
    plan(
        "steps",
        """
        export default function () {
          const t = run_task('fix::echo', '127.0.0.2', { word: "it's" });
          const w = run_task_with('fix::echo', 'web', (target) => ({ word: 'for ' + target.name }));
          const s = run_script('fix/hello.sh', '127.0.0.2', { arguments: ['a b', 'c'] });
          write_file('written\\n', '/tmp/jbolt-plan-write.txt', '127.0.0.2');
          const up = upload_file('modules/fix/files/hello.sh', '/tmp/jbolt-plan-upload.sh', '127.0.0.2');
          const down = download_file('/tmp/jbolt-plan-write.txt', 'fetched', '127.0.0.2');
          run_command('rm -f /tmp/jbolt-plan-write.txt /tmp/jbolt-plan-upload.sh', '127.0.0.2');
          const env = run_command('echo "$GREETING"', '127.0.0.2', { env_vars: { GREETING: 'hello there' } });
          return {
            task: t.first().value.said, with: w.map(r => r.value.said), script: s.first().value.stdout,
            uploaded: up.ok(), downloaded: down.first().value.path, env: env.first().value.stdout,
            sub: run_plan('sub', { n: 21 }), caught: run_plan('subfail', { _catch_errors: true }).kind,
          };
        }
        """);
    JsonNode v = json("steps");
    assertEquals("it's", v.get("task").asText());
    assertEquals("[\"for 127.0.0.2\",\"for 127.0.0.3\"]", v.get("with").toString());
    assertEquals("script says a b c\n", v.get("script").asText());
    assertTrue(v.get("uploaded").asBoolean());
    assertEquals("written\n", Files.readString(Path.of(v.get("downloaded").asText())));
    assertTrue(
        v.get("downloaded")
            .asText()
            .startsWith(project.resolve("downloads/fetched/127.0.0.2").toString()));
    assertEquals("hello there\n", v.get("env").asText());
    assertEquals(42, v.get("sub").asInt());
    assertEquals("proj/sub", v.get("caught").asText());
  }

  @Test
  void targetDataCanBeChangedForTheRun() throws Exception {
    plan(
        "vars",
        """
        export default function () {
          const t = get_target('127.0.0.2');
          t.set_var('colour', 'blue');
          t.add_facts({ os: { family: 'debian' } });
          t.set_feature('fancy');
          const again = get_targets('127.0.0.2')[0];
          return { vars: again.vars(), facts: again.facts(), features: again.features(), same: again === t };
        }
        """);
    JsonNode v = json("vars");
    assertEquals("blue", v.at("/vars/colour").asText());
    assertEquals("web", v.at("/vars/role").asText());
    assertEquals("debian", v.at("/facts/os/family").asText());
    assertTrue(v.get("features").toString().contains("fancy"));
    assertTrue(v.get("same").asBoolean());
  }

  @Test
  void asyncPlansRunParallelizeBranchesConcurrentlyWithABound() throws Exception {
    plan(
        "par",
        """
        export const params = { limit: { type: 'Integer', default: 0 } };
        export default async function ({ limit }) {
          const runs = await parallelize(get_targets('web'), async (t) => {
            const r = await run_command('date +%s%N; sleep 1; date +%s%N; echo ' + t.name, t);
            await ctrl.sleep(0.1);
            return r.first().value.stdout.trim().split('\\n');
          }, { concurrency: limit });
          const bg = background(async () => (await run_command('echo bg', '127.0.0.2')).first().value.stdout);
          const [fromBg] = await wait([bg]);
          return { names: runs.map((r) => r[2]), spans: runs.map((r) => [r[0], r[1]]), bg: fromBg };
        }
        """);
    // Whether the two commands overlapped, from the targets' clocks: a busy machine made a
    // bound on the plan's time (1.9 s for two 1 s commands side by side) fail.
    JsonNode v = json("par");
    assertEquals("[\"127.0.0.2\",\"127.0.0.3\"]", v.get("names").toString());
    assertTrue(overlapped(v.get("spans")), "both branches slept at once: " + v.get("spans"));
    assertEquals("bg\n", v.get("bg").asText());
    JsonNode one = json("par", "limit=1");
    assertFalse(overlapped(one.get("spans")), "one at a time: " + one.get("spans"));
  }

  /** Whether every command started before the first one ended. */
  private static boolean overlapped(JsonNode spans) {
    long lastStart = Long.MIN_VALUE;
    long firstEnd = Long.MAX_VALUE;
    for (JsonNode s : spans) {
      lastStart = Math.max(lastStart, Long.parseLong(s.get(0).asText()));
      firstEnd = Math.min(firstEnd, Long.parseLong(s.get(1).asText()));
    }
    return lastStart < firstEnd;
  }

  @Test
  void parallelizeFailuresAreCollected() throws Exception {
    plan(
        "parfail",
        """
        export default function () {
          return parallelize(['a', 'b', 'c'], (x) => { if (x === 'b') fail_plan('b broke'); return x; });
        }
        """);
    Cli.Outcome o = run("parfail", "--format", "json");
    assertEquals(1, o.code());
    assertEquals("bolt/parallel-failure", o.json().get("kind").asText());
    assertEquals("[1]", o.json().at("/details/failed_indices").toString());
  }

  @Test
  void twentyStepsOnFiftyTargetsCostFiftyHandshakes() throws Exception {
    plan(
        "twenty",
        """
        export default function () {
          let n = 0;
          for (let i = 0; i < 20; i++) n += run_command('true', 'fifty').count();
          return n;
        }
        """);
    long before = sshd.acceptedLogins();
    JsonNode v = json("twenty");
    assertEquals(1000, v.asInt());
    assertEquals(50, sshd.acceptedLogins() - before, "one session per target for the whole plan");
  }

  @Test
  void parametersAreCheckedBeforeThePlanStarts() throws Exception {
    plan(
        "typed",
        """
        export const description = 'Typed parameters';
        export const params = {
          targets: { type: 'TargetSpec', description: 'where' },
          count: { type: 'Integer[1, 5]', default: 1 },
          token: { type: 'String', default: 'default-secret-123', sensitive: true },
        };
        export default function ({ targets, count }) { out.message('started'); return [targets, count]; }
        """);
    assertEquals("[\"web\",3]", json("typed", "-t", "web", "count=3").toString());
    Cli.Outcome shown = Cli.run(project, "plan", "show", "typed");
    assertTrue(shown.out().contains("token: String (default: sensitive) [sensitive]"), shown.out());
    assertFalse(
        shown.out().contains("default-secret-123")
            || Cli.run(project, "plan", "show", "typed", "--format", "json")
                .out()
                .contains("default-secret-123"));
    Cli.Outcome bad = run("typed", "-t", "web", "count=9");
    assertEquals(2, bad.code(), bad::toString);
    assertTrue(
        bad.err().contains("plan typed: parameter 'count' expects Integer[1, 5], got 9"),
        bad.err());
    assertFalse(bad.out().contains("started"));
    assertEquals(2, run("typed").code(), "targets missing");
    assertEquals(2, run("typed", "-t", "web", "bogus=1").code());
    assertEquals(2, run("nosuchplan").code());
    Cli.Outcome show = Cli.run(project, "plan", "show", "typed");
    assertTrue(
        show.out().contains("jbolt plan run typed targets=<value> [count=<value>] [token=<value>]"),
        show.out());
    assertTrue(Cli.run(project, "plan", "show").out().contains("typed    Typed parameters"));
  }

  @Test
  void thePlanReachesTheWorldOnlyThroughTheApi() throws Exception {
    String[] escapes = {
      "Java.type('java.lang.Runtime').getRuntime().exec('touch /tmp/jbolt-escaped')",
      "Polyglot.eval('js', '1')",
      "require('fs')",
      "load('/etc/passwd')",
      "new Function('return this')().__jbolt.run('command', '{}')",
    };
    for (String escape : escapes) {
      plan("escape", "export default function () {\n  return " + escape + ";\n}\n");
      Cli.Outcome o = run("escape");
      assertEquals(1, o.code(), escape + ": " + o);
    }
    assertFalse(Files.exists(Path.of("/tmp/jbolt-escaped")));
  }

  @Test
  void humanOutputShowsStepsAndTheResult() throws Exception {
    plan("human", "export default function () { return run_command('echo hi', 'web'); }\n");
    Cli.Outcome o = run("human");
    assertEquals(0, o.code(), o::toString);
    assertTrue(
        o.out()
            .startsWith(
                "Starting: plan human\nStarting: command 'echo hi' on 127.0.0.2, 127.0.0.3\n"
                    + "Finished: command 'echo hi' with 0 failures in "),
        o.out());
    assertTrue(o.out().contains("== 127.0.0.[2-3] (2): ok\nhi\n"), o.out());
    plan("nothing", "export default function () { }\n");
    assertTrue(run("nothing").out().contains("Plan completed successfully with no result"));
  }

  @Test
  void messagesDescriptionsConfigAndTaskOutput() throws Exception {
    Files.writeString(
        project.resolve("modules/fix/tasks/text.sh"), "#!/bin/sh\necho plain words\n");
    plan(
        "misc",
        """
        export default function () {
          out.verbose('only with --verbose');
          log.warn('careful');
          const r = run_command('true', '127.0.0.2', 'checking the first web', { concurrency: 1 });
          const text = run_task('fix::text', '127.0.0.2').first().message();
          const t = get_target('127.0.0.2');
          t.set_config(['ssh', 'connect-timeout'], 7);
          const after = run_command('echo still', t).first().value.stdout;
          return { ok: r.ok(), text, after };
        }
        """);
    Cli.Outcome o = run("misc", "--verbose");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("only with --verbose"), o.out());
    assertTrue(o.err().contains("warn: careful"), o.err());
    assertTrue(o.out().contains("Starting: checking the first web on 127.0.0.2"), o.out());
    assertTrue(o.out().contains("\"text\" : \"plain words\\n\""), o.out());
    assertTrue(o.out().contains("\"after\" : \"still\\n\""), o.out());
    assertFalse(run("misc").out().contains("only with --verbose"));
  }
}
