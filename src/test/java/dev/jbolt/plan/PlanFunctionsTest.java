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
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bolt's plan functions that plans ported from Bolt call, over real SSH: targets' vars, facts and
 * features, files and directories here, the environment, prompts, errors as values, and what needs
 * Puppet refused clearly. Each in a JavaScript plan and, where Bolt's YAML plans can call it, in a
 * YAML plan.
 */
class PlanFunctionsTest {
  @LabSshd(anyAddress = true)
  static Sshd sshd;

  @TempDir static Path project;

  @BeforeAll
  static void start() throws Exception {
    Projects.lab(
        project,
        "proj",
        sshd,
        "groups:\n  - name: web\n    targets: [127.0.0.2, 127.0.0.3]\n    vars: {role: web}\n",
        "127.0.0.2",
        "127.0.0.3");
    Path tasks = Files.createDirectories(project.resolve("modules/fix/tasks"));
    Files.writeString(tasks.resolve("which_shell.sh"), "#!/bin/sh\necho plain\n");
    Files.writeString(tasks.resolve("which_fancy.sh"), "#!/bin/sh\necho fancy\n");
    Files.writeString(
        tasks.resolve("which.json"),
        "{\"implementations\": [{\"name\": \"which_fancy.sh\", \"requirements\": [\"fancy\"]},"
            + " {\"name\": \"which_shell.sh\", \"requirements\": [\"shell\"]}]}");
    Files.createDirectories(project.resolve("modules/fix/files/conf"));
    Files.writeString(project.resolve("modules/fix/files/conf/a.conf"), "alpha\n");
    Files.writeString(project.resolve("modules/fix/files/conf/b.conf"), "beta\n");
    Files.createDirectories(project.resolve("plans"));
  }

  private static Cli.Outcome plan(String name, String js, String... args) throws Exception {
    Files.writeString(project.resolve("plans/" + name + ".js"), js);
    String[] full = new String[args.length + 5];
    full[0] = "plan";
    full[1] = "run";
    full[2] = name;
    System.arraycopy(args, 0, full, 3, args.length);
    full[full.length - 2] = "--format";
    full[full.length - 1] = "json";
    return Cli.run(project, full);
  }

  @Test
  void targetsVarsFactsAndFeaturesChangeForTheRestOfTheRun() throws Exception {
    Cli.Outcome o =
        plan(
            "targets",
            """
            export default function () {
              const t = get_target('127.0.0.2');
              set_var(t, 'color', 'blue');
              add_facts(t, {os: {family: 'Debian'}});
              add_facts('127.0.0.2', {os: {release: '12'}});
              const before = run_task('fix::which', t).first().value._output;
              set_feature(t, 'fancy');
              const after = run_task('fix::which', '127.0.0.2').first().value._output;
              return {vars: vars(t), facts: facts(t), before, after, other: vars('127.0.0.3')};
            }
            """);
    assertEquals(0, o.code(), o::toString);
    JsonNode v = o.json();
    assertEquals("{\"role\":\"web\",\"color\":\"blue\"}", v.get("vars").toString());
    assertEquals("{\"os\":{\"family\":\"Debian\",\"release\":\"12\"}}", v.get("facts").toString());
    assertEquals("plain\n", v.get("before").asText());
    assertEquals("fancy\n", v.get("after").asText(), "set_feature picks the implementation");
    assertEquals("{\"role\":\"web\"}", v.get("other").toString());
  }

  @Test
  void filesDirectoriesAndTheEnvironmentHere() throws Exception {
    Files.writeString(
        project.resolve("plans/local.js"),
        """
        export default function () {
          return {
            read: file.read('fix/conf/a.conf'),
            exists: file.exists('fix/conf/b.conf'),
            missing: file.exists('fix/conf/none'),
            joined: file.join('a', 'b/', 'c'),
            children: dir.children('fix/conf'),
            env: system.env('JBOLT_TEST_VALUE'),
            unset: system.env('JBOLT_TEST_UNSET'),
          };
        }
        """);
    Cli.Outcome o =
        Cli.run(
            project,
            Map.of("JBOLT_TEST_VALUE", "from the environment"),
            "",
            "plan",
            "run",
            "local",
            "--format",
            "json");
    assertEquals(0, o.code(), o::toString);
    JsonNode v = o.json();
    assertEquals("alpha\n", v.get("read").asText());
    assertTrue(v.get("exists").asBoolean());
    assertFalse(v.get("missing").asBoolean());
    assertEquals("a/b/c", v.get("joined").asText());
    assertEquals("[\".\",\"..\",\"a.conf\",\"b.conf\"]", v.get("children").toString());
    assertEquals("from the environment", v.get("env").asText());
    assertTrue(v.get("unset").isNull());
  }

  @Test
  void promptsAndMenusReadTheAnswer() throws Exception {
    Files.writeString(
        project.resolve("plans/ask.js"),
        """
        export default function () {
          const name = prompt('Your name');
          const dflt = prompt('Colour', {default: 'red'});
          const pick = prompt.menu('Pick one', ['apple', 'pear']);
          const key = prompt.menu('Env', {p: 'production', s: 'staging'});
          return [name, dflt, pick, key];
        }
        """);
    Cli.Outcome o =
        Cli.runWithInput(project, "Ada\n\n2\ns\n", "plan", "run", "ask", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("[\"Ada\",\"red\",\"pear\",\"staging\"]", o.json().toString());
    assertTrue(o.err().contains("Your name: "), o::toString);
    assertTrue(o.err().contains("(2) pear"), o::toString);
  }

  @Test
  void caughtErrorsAreValuesAndWhatNeedsPuppetIsRefused() throws Exception {
    Cli.Outcome o =
        plan(
            "errors",
            """
            export default function () {
              const e = catch_errors(() => run_command('exit 3', '127.0.0.2'));
              out.message(e);
              let resources;
              try { get_resources('127.0.0.2', 'Package'); } catch (x) { resources = x; }
              return {msg: e.msg, kind: e.kind, exit: e.details.result_set[0].value.exit_code,
                      resources: resources.kind, said: resources.msg};
            }
            """);
    assertEquals(0, o.code(), o::toString);
    JsonNode v = o.json();
    assertEquals("command 'exit 3' failed on 1 target", v.get("msg").asText());
    assertEquals("bolt/run-failure", v.get("kind").asText());
    assertEquals(3, v.get("exit").asInt());
    assertEquals("bolt/unsupported", v.get("resources").asText());
    assertTrue(v.get("said").asText().contains("Puppet agent"), o::toString);
    assertFalse(o.err().contains("function"), "no JavaScript source printed: " + o.err());
    assertTrue(o.err().contains("\"msg\": \"command 'exit 3' failed on 1 target\""), o::toString);
  }

  @Test
  void yamlPlansCallTheSameFunctions() throws Exception {
    Files.writeString(
        project.resolve("plans/yfun.yaml"),
        """
        steps:
          - name: t
            eval: |
              get_target('127.0.0.3')
          - eval: |
              set_var($t, 'tier', 'gold')
          - name: conf
            eval: |
              file::read('fix/conf/b.conf')
          - name: answer
            prompt: Continue
            default: 'yes'
        return:
          tier: |
            vars($t)['tier']
          conf: $conf.strip
          answer: $answer
          joined: "${file::join('x', 'y')}"
          literal: file::join('x', 'y')
        """);
    Cli.Outcome o = Cli.runWithInput(project, "\n", "plan", "run", "yfun", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        "{\"tier\":\"gold\",\"conf\":\"beta\",\"answer\":\"yes\",\"joined\":\"x/y\","
            + "\"literal\":\"file::join('x', 'y')\"}",
        o.json().toString());
  }
}
