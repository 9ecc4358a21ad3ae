package dev.jbolt.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.result.Json;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bolt's YAML plans over real SSH: every kind of step, variables and Bolt's string rules, a failing
 * step halting the plan, Puppet code refused before anything runs, Bolt's documented examples, and
 * {@code plan convert} giving a JavaScript plan with the same result.
 */
class YamlPlanTest {
  @LabSshd(anyAddress = true)
  static Sshd sshd;

  @TempDir static Path project;
  static Path remote;

  @BeforeAll
  static void start() throws Exception {
    Projects.lab(
        project,
        "proj",
        sshd,
        "groups:\n  - name: web\n    targets: [127.0.0.2, 127.0.0.3]\n",
        "127.0.0.2",
        "127.0.0.3");
    Path tasks = Files.createDirectories(project.resolve("modules/fix/tasks"));
    Files.writeString(
        tasks.resolve("echo.sh"),
        "#!/bin/sh\necho \"{\\\"said\\\": \\\"$PT_word\\\", \\\"noop\\\": \\\"$PT__noop\\\"}\"\n");
    Files.writeString(
        tasks.resolve("echo.json"),
        "{\"supports_noop\": true, \"parameters\": {\"word\": {\"type\": \"String\"}}}");
    Files.createDirectories(project.resolve("modules/fix/files"));
    Files.writeString(
        project.resolve("modules/fix/files/hello.sh"), "#!/bin/sh\necho \"script says $1 $2\"\n");
    Files.createDirectories(project.resolve("plans"));
    Files.writeString(
        project.resolve("plans/child.js"),
        "export const params = {x: {type: 'Integer'}, targets: {type: 'TargetSpec'}};\n"
            + "export default function ({x, targets}) {\n"
            + "  return {x, on: get_targets(targets).map((t) => t.name)};\n}\n");
    remote = Projects.sharedDir(project, "remote");
  }

  private static void plan(String name, String yaml) throws Exception {
    Files.writeString(project.resolve("plans/" + name + ".yaml"), yaml);
  }

  private static Cli.Outcome run(String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "plan";
    full[1] = "run";
    System.arraycopy(args, 0, full, 2, args.length);
    return Cli.run(project, full);
  }

  static final String EVERY_STEP =
      """
      description: Every kind of step Bolt has
      parameters:
        targets:
          type: TargetSpec
        word:
          type: String
          default: hi
        count:
          type: Integer
          default: 21
        dir:
          type: String
      steps:
        - name: hostnames
          description: say who we are
          command: echo "host $WHO"
          targets: $targets
          env_vars:
            WHO: me
        - name: said
          task: fix::echo
          targets: $targets
          parameters:
            word: "${word} there"
        - name: dry
          task: fix::echo
          target: 127.0.0.2
          noop: true
          parameters:
            word: dry
        - name: scripted
          script: fix/hello.sh
          targets: $targets
          arguments: [one, $word]
        - upload: fix/hello.sh
          destination: "${dir}/uploaded.sh"
          targets: $targets
        - name: fetched
          download: "${dir}/uploaded.sh"
          destination: fetched
          targets: 127.0.0.3
        - name: sub
          plan: proj::child
          targets: $targets
          parameters:
            x: $count
        - message: "said ${said[0]['said']}"
        - verbose: only with -v
        - name: double
          eval: $count * 2
        - name: caught
          command: exit 3
          targets: 127.0.0.2
          catch_errors: true
      return:
        hosts: $hostnames.names
        stdout: $hostnames[0]['stdout']
        said: $said.first.value
        noop: $dry[0]['noop']
        script: $scripted[1]['stdout']
        fetched: $fetched.ok
        sub: $sub
        double: $double
        caught: $caught.ok
        exit: $caught[0]['exit_code']
        literal: '$word'
        list: |
          [$word, $count, $word.upcase]
      """;

  @Test
  void everyKindOfStepRunsAndReturnsWhatBoltWould() throws Exception {
    plan("every", EVERY_STEP);
    Cli.Outcome o = run("every", "-t", "web", "dir=" + remote, "--format", "json", "-v");
    assertEquals(0, o.code(), o::toString);
    JsonNode v = o.json();
    assertEquals("[\"127.0.0.2\",\"127.0.0.3\"]", v.get("hosts").toString());
    assertEquals("host me\n", v.get("stdout").asText());
    assertEquals("hi there", v.at("/said/said").asText());
    assertEquals("true", v.get("noop").asText());
    assertEquals("script says one hi\n", v.get("script").asText());
    assertTrue(v.get("fetched").asBoolean());
    assertTrue(
        Files.isRegularFile(project.resolve("downloads/fetched/127.0.0.3/uploaded.sh")),
        "downloaded");
    assertEquals("{\"x\":21,\"on\":[\"127.0.0.2\",\"127.0.0.3\"]}", v.get("sub").toString());
    assertEquals(42, v.get("double").asInt());
    assertFalse(v.get("caught").asBoolean());
    assertEquals(3, v.get("exit").asInt());
    assertEquals("$word", v.get("literal").asText());
    assertEquals("[\"hi\",21,\"HI\"]", v.get("list").toString());
    assertTrue(o.err().contains("said hi there"), o::toString);
    assertTrue(o.err().contains("only with -v"), o::toString);
  }

  @Test
  void convertGivesAJavaScriptPlanWithTheSameResult() throws Exception {
    plan("every", EVERY_STEP);
    Cli.Outcome js = Cli.run(project, "plan", "convert", "plans/every.yaml");
    assertEquals(0, js.code(), js::toString);
    assertTrue(js.out().startsWith("// plans/every.yaml, as a JavaScript plan"), js.out());
    Files.writeString(project.resolve("plans/every_js.js"), js.out());
    Cli.Outcome yaml = run("every", "-t", "web", "dir=" + remote, "--format", "json");
    Cli.Outcome converted = run("every_js", "-t", "web", "dir=" + remote, "--format", "json");
    assertEquals(0, converted.code(), converted::toString);
    assertEquals(yaml.json(), converted.json());
    Files.delete(project.resolve("plans/every_js.js"));
  }

  @Test
  void aFailingStepHaltsThePlanWithItsResult() throws Exception {
    plan(
        "halts",
        """
        parameters:
          targets:
            type: TargetSpec
        steps:
          - command: exit 4
            targets: $targets
          - command: touch %s/never
            targets: $targets
        """
            .formatted(remote));
    Cli.Outcome o = run("halts", "-t", "127.0.0.2", "--format", "json");
    assertEquals(1, o.code(), o::toString);
    assertEquals("bolt/run-failure", o.json().get("kind").asText(), o::toString);
    assertEquals(4, o.json().at("/details/result_set/0/value/exit_code").asInt(), o::toString);
    assertFalse(Files.exists(remote.resolve("never")));
  }

  @Test
  void puppetCodeIsRefusedBeforeAnyStepRunsAndPlanShowMarksIt() throws Exception {
    for (String[] c :
        new String[][] {
          {"$hostnames.map |$r| { $r['stdout'] }", "a lambda"},
          {"$x = 1", "an assignment"},
          {"$hostnames ? { true => 1 }", "a selector"},
          {"$targets =~ /web/", "a match expression"},
        }) {
      plan(
          "puppety",
          """
          parameters:
            targets:
              type: TargetSpec
          steps:
            - name: hostnames
              command: touch %s/ran
              targets: $targets
            - name: ok
              eval: %s
          """
              .formatted(remote, c[0]));
      long before = sshd.acceptedLogins();
      Cli.Outcome o = run("puppety", "-t", "127.0.0.2");
      assertEquals(2, o.code(), o::toString);
      assertTrue(
          o.err().contains("plans/puppety.yaml:9: step 2 (ok): '" + c[0] + "' is Puppet-language"),
          o::toString);
      assertTrue(o.err().contains(c[1]), c[0] + ": " + o);
      assertEquals(before, sshd.acceptedLogins(), "nothing ran");
      assertFalse(Files.exists(remote.resolve("ran")));
    }
    plan(
        "resourceful",
        """
        steps:
          - resources:
              - package: nginx
                parameters:
                  ensure: latest
            targets: 127.0.0.2
        """);
    Cli.Outcome r = run("resourceful");
    assertEquals(2, r.code(), r::toString);
    assertTrue(r.err().contains("a resources step applies Puppet resources"), r::toString);
    Cli.Outcome show = Cli.run(project, "plan", "show");
    assertTrue(show.out().matches("(?s).*resourceful\\s+\\(needs Puppet\\).*"), show::toString);
    assertTrue(show.out().matches("(?s).*puppety\\s+\\(needs Puppet\\).*"), show::toString);
    Files.delete(project.resolve("plans/puppety.yaml"));
    Files.delete(project.resolve("plans/resourceful.yaml"));
  }

  @Test
  void mistakesAreOneLineErrorsNamingTheStep() throws Exception {
    String[][] cases = {
      {"steps:\n  - command: true\n", "step 1 (x)", "needs 'targets'"},
      {"steps:\n  - command: true\n    targets: a\n    colour: red\n", "", "has no key 'colour'"},
      {"steps:\n  - command: $nope\n    targets: a\n", "", "$nope is not a parameter"},
      {"steps:\n  - eval: 1\n    command: x\n", "", "has several actions: command, eval"},
      {"stpes: []\n", "", "a YAML plan has no key 'stpes'"},
      {"steps:\n  - name: Bad\n    eval: 1\n", "", "must be a variable name"},
    };
    for (String[] c : cases) {
      String yaml = c[1].isEmpty() ? c[0] : c[0].replace("  - command", "  - name: x\n    command");
      plan("wrong", yaml);
      Cli.Outcome o = run("wrong");
      assertEquals(2, o.code(), yaml + o);
      assertTrue(o.err().contains(c[2]), yaml + o);
      assertEquals(1, o.err().strip().lines().count(), yaml + o);
    }
    Files.delete(project.resolve("plans/wrong.yaml"));
  }

  /** The examples of Bolt's "Writing plans in YAML", typed in by hand, give what Bolt says. */
  @Test
  void boltsDocumentedExamplesReturnWhatTheDocsSay() throws Exception {
    plan(
        "strings",
        """
        parameters:
          message:
            type: String
            default: "hello"

        steps:
          - name: a
            eval: hello
            description: 'This will evaluate to: hello'
          - name: b
            eval: $message
            description: 'This will evaluate to: hello'
          - name: c
            eval: '$message'
            description: 'This will evaluate to: $message'
          - name: d
            eval: "${message} world"
            description: 'This will evaluate to: hello world'
          - name: e
            eval: |
              [$message, $message, $message].join(" ")
            description: 'This will evaluate to: hello hello hello'
        return: [$a, $b, $c, $d, $e]
        """);
    Cli.Outcome o = run("strings", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        "[\"hello\",\"hello\",\"$message\",\"hello world\",\"hello hello hello\"]",
        o.json().toString());

    plan(
        "counting",
        """
        parameters:
          count:
            type: Integer

        steps:
          - name: double_count
            eval: $count * 2
          - task: fix::echo
            targets: 127.0.0.2
            parameters:
              word: "The count is ${count}, and twice the count is ${double_count}"
            name: echoed
        return: $echoed[0]['said']
        """);
    Cli.Outcome c = run("counting", "count=5", "--format", "json");
    assertEquals(0, c.code(), c::toString);
    assertEquals("\"The count is 5, and twice the count is 10\"", c.json().toString());

    Cli.Outcome show = Cli.run(project, "plan", "show", "counting");
    assertTrue(show.out().contains("count: Integer"), show::toString);
    Cli.Outcome typed = run("counting", "count=five");
    assertEquals(2, typed.code(), typed::toString);
    assertTrue(typed.err().contains("parameter 'count' expects Integer"), typed::toString);
  }

  @Test
  void targetsGivenWithDashTReachTheTargetSpecParameter() throws Exception {
    plan(
        "hosts",
        "parameters:\n  targets:\n    type: TargetSpec\n"
            + "steps:\n  - name: r\n    command: hostname\n    targets: $targets\n"
            + "return: $r.count\n");
    Cli.Outcome o = run("hosts", "-t", "web", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals(2, o.json().asInt());
    assertEquals("2", Json.write(o.json().asInt()));
  }

  @Test
  void hostileStringsStayWhatTheyAre() throws Exception {
    plan(
        "hostile",
        """
        parameters:
          x:
            type: String
            default: v
        steps: []
        return:
          - 'it''s `$(id)` ${x} \\ done'
          - "back`tick ${x} \\\\ $ end $"
          - "</script> \\u2028 ${x} ${'}`'}"
          - $x
        """);
    Cli.Outcome o = run("hostile", "x=${process}`", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        "[\"it's `$(id)` ${x} \\\\ done\",\"back`tick ${process}` \\\\ $ end $\","
            + "\"</script> \u2028 ${process}` }`\",\"${process}`\"]",
        o.json().toString());
  }

  /**
   * Every string of a YAML plan that reaches the JavaScript made of it (descriptions, names,
   * messages, keys, the plan's file name) stays data: a two-paragraph description, a U+2028 that
   * once ended a comment and ran a hidden run_command, quotes, NUL (issue 25.4).
   */
  @Test
  void hostileTextInDescriptionsMessagesAndKeysStaysText() throws Exception {
    Path marker = project.resolve("hidden-ran");
    String hidden = "run_command(\"touch '" + marker + "'\", 'localhost')";
    List<String> hostile =
        List.of(
            "First paragraph.\n\nSecond paragraph.",
            "\u2028" + hidden + " //",
            "\u2029" + hidden + ";",
            "\r" + hidden,
            "\u0085" + hidden,
            "*/ " + hidden + " /*",
            ".",
            "..",
            "/",
            "-leading dash",
            "'single' \"double\" `back`",
            "nul\0byte",
            "</script><!--",
            "\\ backslash \\u2028");
    StringBuilder y = new StringBuilder();
    y.append("description: ").append(yamlString(hostile.get(0))).append("\nsteps:\n");
    for (String h : hostile) {
      y.append("  - description: ").append(yamlString(h)).append('\n');
      y.append("    message: ").append(yamlString(h)).append('\n');
    }
    y.append("return:\n");
    for (int i = 0; i < hostile.size(); i++) {
      y.append("  ").append(yamlString("k" + i + hostile.get(i))).append(": ");
      y.append(yamlString(hostile.get(i))).append('\n');
    }
    plan("fuzz", y.toString());
    Cli.Outcome o = run("fuzz", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertFalse(Files.exists(marker), "text in the plan ran as code");
    var value = o.json();
    for (int i = 0; i < hostile.size(); i++) {
      assertEquals(hostile.get(i), value.get("k" + i + hostile.get(i)).asText(), o::toString);
    }
    Cli.Outcome js = Cli.run(project, "plan", "convert", "plans/fuzz.yaml");
    assertEquals(0, js.code(), js::toString);
    for (String line : js.out().split("\n")) {
      assertFalse(
          line.matches("(?s).*[\r\u2028\u2029\0].*"), "a raw line terminator or NUL in: " + line);
    }
  }

  /** {@code s} as a YAML double-quoted scalar (no '$', which a Puppet string interpolates). */
  private static String yamlString(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
