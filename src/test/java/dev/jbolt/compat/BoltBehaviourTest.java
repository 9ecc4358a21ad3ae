package dev.jbolt.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Jvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What Bolt's docs and specs expect of plans, tasks and modules (issue 26), each written from
 * Bolt's documented behaviour with fixtures of our own, run on this machine (localhost).
 */
class BoltBehaviourTest {
  @TempDir Path p;

  @BeforeEach
  void project() throws Exception {
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: proj\n");
    Files.writeString(p.resolve("inventory.yaml"), "targets: [localhost]\n");
    Files.createDirectories(p.resolve("tasks"));
    Files.createDirectories(p.resolve("plans"));
    Files.writeString(
        p.resolve("tasks/hello.sh"), "#!/bin/sh\necho \"{\\\"said\\\": \\\"hello\\\"}\"\n");
  }

  /**
   * writing_yaml_plans.md names a step {@code run_task}; step results must shadow no plan function
   * (26.1). A step named like a parameter or an earlier step is Bolt's "Duplicate step name or
   * parameter detected".
   */
  @Test
  void yamlStepsNamedLikePlanFunctionsRun() throws Exception {
    Files.writeString(p.resolve("s.sh"), "#!/bin/sh\necho script-ran\n");
    Files.writeString(
        p.resolve("plans/child.js"), "export default function () { return 'child-ran'; }\n");
    Path up = Files.createDirectories(p.resolve("up"));
    Files.writeString(
        p.resolve("plans/steps.yaml"),
        "parameters:\n  targets: {type: TargetSpec, default: localhost}\nsteps:\n"
            + "  - {name: command, command: echo cmd-ran, targets: $targets}\n"
            + "  - {name: run_task, task: proj::hello, targets: $targets}\n"
            + "  - {name: task, task: proj::hello, targets: $targets}\n"
            + "  - {name: script, script: s.sh, targets: $targets}\n"
            + "  - {name: upload, upload: s.sh, destination: '"
            + up
            + "', targets: $targets}\n"
            + "  - {name: download, download: '"
            + up.resolve("s.sh")
            + "', destination: dl,"
            + " targets: $targets}\n"
            + "  - {name: plan, plan: proj::child}\n"
            + "  - {name: run_command, command: echo again, targets: $targets}\n"
            + "return: [$command, $run_task, $task, $script, $upload, $download, $plan]\n");
    Cli.Outcome o = Cli.run(p, "plan", "run", "proj::steps", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    String out = o.out();
    for (String s : new String[] {"cmd-ran", "hello", "script-ran", "child-ran", "Uploaded"}) {
      assertTrue(out.contains(s), s + ": " + o);
    }

    Files.writeString(
        p.resolve("plans/dup.yaml"),
        "parameters:\n  x: {type: String}\nsteps:\n  - {name: x, command: 'true', targets: localhost}\n");
    Cli.Outcome dup = Cli.run(p, "plan", "run", "proj::dup", "x=1");
    assertEquals(2, dup.code(), dup::toString);
    assertTrue(
        dup.err().contains("Duplicate step name or parameter detected: \"x\""), dup::toString);
  }

  /** Plans in subdirectories (26.2), .pp plans listed as needing Puppet, "not found" says where. */
  @Test
  void plansInSubdirectoriesAreNamedAsInBolt() throws Exception {
    Files.createDirectories(p.resolve("plans/a/deep"));
    Files.writeString(p.resolve("plans/a/b.yaml"), "steps: []\nreturn: ab\n");
    Files.writeString(p.resolve("plans/a/init.js"), "export default function () { return 'a'; }\n");
    Files.writeString(
        p.resolve("plans/a/deep/c.js"), "export default function () { return 'c'; }\n");
    Files.writeString(p.resolve("plans/old.pp"), "plan proj::old() { }\n");
    Path mod = Files.createDirectories(p.resolve("modules/m/plans/x"));
    Files.writeString(mod.resolve("y.js"), "export default function () { return 'mxy'; }\n");
    Files.writeString(mod.resolve("init.yaml"), "steps: []\nreturn: mx\n");

    for (String[] c :
        new String[][] {
          {"proj::a::b", "\"ab\""},
          {"a::b", "\"ab\""},
          {"proj::a", "\"a\""},
          {"proj::a::deep::c", "\"c\""},
          {"m::x::y", "\"mxy\""},
          {"m::x", "\"mx\""},
        }) {
      Cli.Outcome o = Cli.run(p, "plan", "run", c[0], "--format", "json");
      assertEquals(0, o.code(), o::toString);
      assertEquals(c[1], o.out().strip(), c[0]);
    }
    Cli.Outcome list = Cli.run(p, "plan", "show");
    assertEquals(0, list.code(), list::toString);
    for (String n : new String[] {"a::b", "a::deep::c", "m::x::y", "m::x"}) {
      assertTrue(list.out().contains(n), n + ": " + list);
    }
    assertTrue(list.out().matches("(?s).*old\\s+\\(needs Puppet\\).*"), list::toString);
    Cli.Outcome pp = Cli.run(p, "plan", "run", "proj::old");
    assertEquals(2, pp.code(), pp::toString);
    assertTrue(pp.err().contains("Puppet-language plan"), pp::toString);
    Cli.Outcome none = Cli.run(p, "plan", "run", "m::nope");
    assertEquals(2, none.code(), none::toString);
    assertTrue(
        none.err().contains("looked for ")
            && none.err().contains(mod.getParent().resolve("nope") + ".{js,yaml}"),
        none::toString);
  }

  /** An older plan whose parameter is {@code nodes} gets --targets (26.4). */
  @Test
  void nodesTakesTargets() throws Exception {
    Files.writeString(
        p.resolve("plans/legacy.js"),
        "export const params = {nodes: {type: 'TargetSpec'}};\n"
            + "export default function ({nodes}) { return get_targets(nodes).map((t) => t.name); }\n");
    Cli.Outcome o =
        Cli.run(p, "plan", "run", "proj::legacy", "-t", "localhost", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("localhost"), o::toString);
  }

  /**
   * Tasks as Bolt reads them: a files entry that is a directory ships its tree (26.10); several
   * files and no metadata is listed with a warning and fails when run (26.11); JSON listings say
   * null for no description; the project wins over a module of its name (26.12).
   */
  @Test
  void tasksAndModulesAsBoltReadsThem() throws Exception {
    Path lib = Files.createDirectories(p.resolve("modules/helper/lib/sub"));
    Files.writeString(lib.resolve("x.sh"), "echo from-lib\n");
    Files.writeString(lib.getParent().resolve("top.sh"), "echo top\n");
    Files.writeString(
        p.resolve("tasks/uses.sh"),
        "#!/bin/sh\nsh \"$PT__installdir/helper/lib/sub/x.sh\"; sh \"$PT__installdir/helper/lib/top.sh\"\n");
    Files.writeString(p.resolve("tasks/uses.json"), "{\"files\": [\"helper/lib/\"]}");
    Cli.Outcome o = Cli.run(p, "task", "run", "proj::uses", "-t", "localhost");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("from-lib\ntop"), o::toString);

    Files.writeString(p.resolve("tasks/list.sh"), "#!/bin/sh\necho sh\n");
    Files.writeString(p.resolve("tasks/list.ps1"), "Write-Output ps\n");
    Cli.Outcome show = Cli.run(p, "task", "show", "--format", "json");
    assertEquals(0, show.code(), show::toString);
    assertTrue(show.err().contains("task 'proj::list' has several files"), show::toString);
    assertTrue(show.out().contains("[ \"proj::list\", null ]"), show::toString);
    Cli.Outcome run = Cli.run(p, "task", "run", "proj::list", "-t", "localhost");
    assertEquals(2, run.code(), run::toString);
    assertTrue(run.err().contains("has several files"), run::toString);

    // A module named as the project: the project's content wins.
    Path same = Files.createDirectories(p.resolve("modules/proj/tasks"));
    Files.writeString(same.resolve("hello.sh"), "#!/bin/sh\necho module\n");
    Cli.Outcome shadow = Cli.run(p, "task", "run", "proj::hello", "-t", "localhost");
    assertEquals(0, shadow.code(), shadow::toString);
    assertTrue(shadow.out().contains("hello"), shadow::toString);
  }

  /** A failed task's human output shows Bolt's message with the task's stderr (26.8). */
  @Test
  void aFailedTaskSaysWhatBoltSays() throws Exception {
    Files.writeString(
        p.resolve("tasks/broken.sh"), "#!/bin/sh\necho 'no-such-tool: not found' >&2\nexit 127\n");
    Cli.Outcome o =
        Cli.run(p, "task", "run", "proj::broken", "-t", "localhost", "--color", "never");
    assertEquals(1, o.code(), o::toString);
    assertTrue(
        o.out()
            .contains(
                "The task failed with exit code 127 and no stdout, but stderr contained:\n"
                    + "    no-such-tool: not found"),
        o::toString);
  }

  /**
   * With --format json, an error that is no target's result is Bolt's error object on stdout
   * (26.5), and parameter errors name everything wrong at once (26.7).
   */
  @Test
  void errorsAreBoltsErrorObjectsInJson() throws Exception {
    Cli.Outcome task =
        Cli.run(p, "task", "run", "proj::nope", "-t", "localhost", "--format", "json");
    assertEquals(2, task.code(), task::toString);
    assertEquals("bolt/unknown-task", task.json().get("kind").asText(), task::toString);
    assertEquals("proj::nope", task.json().at("/details/task_name").asText());

    Files.writeString(p.resolve("plans/bad.yaml"), "steps:\n  - {bogus: 1}\n");
    Cli.Outcome yaml = Cli.run(p, "plan", "run", "proj::bad", "--format=json");
    assertEquals(2, yaml.code(), yaml::toString);
    assertEquals("bolt/invalid-plan", yaml.json().get("kind").asText(), yaml::toString);

    Files.writeString(p.resolve("plans/syntax.js"), "export default function ( {\n");
    Cli.Outcome js = Cli.run(p, "plan", "run", "proj::syntax", "--format", "json");
    assertEquals(2, js.code(), js::toString);
    assertEquals("bolt/pal-error", js.json().get("kind").asText(), js::toString);

    Files.writeString(
        p.resolve("plans/oops.js"),
        "export default function () {\n  const x = null;\n  return x.field;\n}\n");
    Cli.Outcome eval = Cli.run(p, "plan", "run", "proj::oops", "--format", "json");
    assertEquals(1, eval.code(), eval::toString);
    assertEquals("bolt/evaluation-error", eval.json().get("kind").asText(), eval::toString);
    assertEquals(3, eval.json().at("/details/line").asInt(), eval::toString);
    assertTrue(eval.json().at("/details/file").asText().endsWith("oops.js"), eval::toString);

    Files.writeString(
        p.resolve("plans/fails.js"),
        "export default function () { return run_command('exit 3', 'localhost'); }\n");
    Cli.Outcome run = Cli.run(p, "plan", "run", "proj::fails", "--format", "json");
    assertEquals(1, run.code(), run::toString);
    assertEquals("bolt/run-failure", run.json().get("kind").asText(), run::toString);
    assertEquals(1, run.json().at("/details/result_set").size(), run::toString);

    Files.writeString(
        p.resolve("tasks/typed.json"),
        "{\"parameters\": {\"a\": {\"type\": \"Integer\"}, \"b\": {\"type\": \"String\"},"
            + " \"c\": {\"type\": \"Boolean\"}}}");
    Files.writeString(p.resolve("tasks/typed.sh"), "#!/bin/sh\necho ok\n");
    Cli.Outcome params =
        Cli.run(
            p,
            "task",
            "run",
            "proj::typed",
            "a=x",
            "c=maybe",
            "d=1",
            "e=2",
            "-t",
            "localhost",
            "--format",
            "json");
    assertEquals(2, params.code(), params::toString);
    assertEquals("bolt/pal-error", params.json().get("kind").asText(), params::toString);
    String msg = params.json().get("msg").asText();
    for (String s :
        new String[] {"'d', 'e'", "'a' expects Integer", "'c' expects Boolean", "b (String)"}) {
      assertTrue(msg.contains(s), s + " in: " + msg);
    }
    // Bolt's metaparameters are accepted though undeclared.
    Cli.Outcome meta =
        Cli.run(
            p,
            "task",
            "run",
            "proj::typed",
            "a=1",
            "b=x",
            "c=true",
            "_catch_errors=true",
            "-t",
            "localhost");
    assertEquals(0, meta.code(), meta::toString);
  }

  /** Target methods and common functions in YAML plan expressions, as Bolt has them (26.3). */
  @Test
  void targetMethodsInYamlExpressions() throws Exception {
    Files.writeString(
        p.resolve("inventory.yaml"),
        "targets:\n  - name: localhost\n    vars: {role: web}\n    facts: {os: linux}\n");
    Files.writeString(
        p.resolve("plans/t.yaml"),
        "parameters:\n  nums: {type: 'Array[Integer]', default: [4, 2, 8]}\nsteps:\n"
            + "  - name: t\n    eval: |\n      get_target('localhost')\n"
            + "return:\n"
            + "  name: $t.name\n  host: $t.host\n  protocol: $t.protocol\n"
            + "  role: $t.vars['role']\n  os: $t.facts['os']\n"
            + "  big: |\n    max(3, 9, 4)\n  small: $nums.min\n  far: $nums.max\n"
            + "  abs: |\n    abs(-5)\n");
    Cli.Outcome o = Cli.run(p, "plan", "run", "proj::t", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    var v = o.json();
    assertEquals("localhost", v.get("name").asText(), o::toString);
    assertEquals("localhost", v.get("host").asText(), o::toString);
    assertEquals("local", v.get("protocol").asText(), o::toString);
    assertEquals("web", v.get("role").asText(), o::toString);
    assertEquals("linux", v.get("os").asText(), o::toString);
    assertEquals(9, v.get("big").asInt(), o::toString);
    assertEquals(2, v.get("small").asInt(), o::toString);
    assertEquals(8, v.get("far").asInt(), o::toString);
    assertEquals(5, v.get("abs").asInt(), o::toString);

    Files.writeString(
        p.resolve("plans/lambda.yaml"),
        "parameters:\n  nums: {type: 'Array[Integer]', default: [1]}\nsteps: []\n"
            + "return: |\n  $nums.map |$n| { $n * 2 }\n");
    Cli.Outcome l = Cli.run(p, "plan", "run", "proj::lambda");
    assertEquals(2, l.code(), l::toString);
    assertTrue(l.err().contains("map with a lambda"), l::toString);
  }

  /** Bolt's command-line options and project allow-lists that jbolt lacked (26.13). */
  @Test
  void boltsOptionsAreTaken() throws Exception {
    Files.writeString(p.resolve("tasks/other.sh"), "#!/bin/sh\necho other\n");
    Files.writeString(p.resolve("plans/alpha.js"), "export default function () { return 1; }\n");
    Files.writeString(p.resolve("plans/beta.js"), "export default function () { return 2; }\n");

    Cli.Outcome tasks = Cli.run(p, "task", "show", "--filter", "oth");
    assertEquals(0, tasks.code(), tasks::toString);
    assertTrue(
        tasks.out().contains("proj::other") && !tasks.out().contains("proj::hello"),
        tasks::toString);
    Cli.Outcome plans = Cli.run(p, "plan", "show", "--filter", "alp");
    assertTrue(plans.out().contains("alpha") && !plans.out().contains("beta"), plans::toString);

    // bolt-project.yaml's allow-lists (names and globs) limit what show lists.
    Files.writeString(
        p.resolve("jbolt-project.yaml"),
        "name: proj\ntasks: ['proj::hel*']\nplans: [proj::beta]\n");
    Cli.Outcome allowed = Cli.run(p, "task", "show");
    assertTrue(
        allowed.out().contains("proj::hello") && !allowed.out().contains("proj::other"),
        allowed::toString);
    Cli.Outcome allowedPlans = Cli.run(p, "plan", "show");
    assertTrue(
        allowedPlans.out().contains("beta") && !allowedPlans.out().contains("alpha"),
        allowedPlans::toString);
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: proj\n");

    // --password-prompt asks (a process of its own: picocli reads the real stdin); --no-color.
    Cli.Outcome prompt =
        Jvm.runWithInput(
            p,
            p,
            Map.of(),
            "pw-from-prompt\n",
            "command",
            "run",
            "true",
            "-t",
            "localhost",
            "--password-prompt",
            "--no-color",
            "--no-save-rerun");
    assertEquals(0, prompt.code(), prompt::toString);
    assertTrue(
        prompt.out().contains("1 succeeded") && !prompt.out().contains("\033["), prompt::toString);
    assertTrue((prompt.out() + prompt.err()).contains("SSH password: "), prompt::toString);
    assertTrue(!Files.exists(p.resolve(".jbolt/rerun.json")), "--no-save-rerun wrote none");
    assertEquals(0, Cli.run(p, "command", "run", "true", "-t", "localhost", "--save-rerun").code());
    assertTrue(Files.exists(p.resolve(".jbolt/rerun.json")));
    Files.delete(p.resolve(".jbolt/rerun.json"));
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: proj\nsave-rerun: false\n");
    assertEquals(0, Cli.run(p, "command", "run", "true", "-t", "localhost").code());
    assertTrue(!Files.exists(p.resolve(".jbolt/rerun.json")), "save-rerun: false");
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: proj\n");

    // --tty and --native-ssh are taken, with a warning that jbolt does not do them.
    Files.writeString(p.resolve("inventory.yaml"), "targets: [localhost, 'ssh://127.0.0.1:1']\n");
    Cli.Outcome tty =
        Cli.run(
            p,
            "command",
            "run",
            "true",
            "-t",
            "localhost",
            "--tty",
            "--native-ssh",
            "--no-cleanup",
            "--connect-retries",
            "0");
    assertEquals(0, tty.code(), tty::toString);
    Cli.Outcome both =
        Cli.run(p, "command", "run", "true", "-t", "localhost", "--no-color", "--color", "always");
    assertEquals(2, both.code(), both::toString);
  }
}
