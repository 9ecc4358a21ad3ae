package dev.jbolt.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plans get the common options of every run, through the same session as {@code command run}:
 * --stream, --output-dir, --no-gather, --color, --env-var, --rerun; -t needs a targets parameter; a
 * broken plan does not break {@code plan show}.
 */
class PlanOptionsTest {
  @TempDir Path tmp;

  @BeforeEach
  void project() throws Exception {
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: lab\n");
    Files.writeString(
        tmp.resolve("inventory.yaml"),
        "targets: [{name: a, uri: 'local://a'}, {name: b, uri: 'local://b'}]\n");
    Files.createDirectories(tmp.resolve("plans"));
    Files.writeString(
        tmp.resolve("plans/say.js"),
        "export const params = {targets: {type: 'TargetSpec'}};\n"
            + "export default function (p) { return run_command('echo \"$GREETING\"', p.targets); }\n");
    Files.writeString(
        tmp.resolve("plans/notargets.js"),
        "export const params = {n: {type: 'Integer', default: 1}};\n"
            + "export default function (p) { return p.n; }\n");
    Files.writeString(
        tmp.resolve("plans/noparams.js"), "export default function () { return 1; }\n");
  }

  private Cli.Outcome plan(String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "plan";
    full[1] = "run";
    System.arraycopy(args, 0, full, 2, args.length);
    return Cli.run(tmp, full);
  }

  @Test
  void envVarReachesEveryCommandAndStreamPrintsLinesAsTheyCome() {
    Cli.Outcome o = plan("say", "-t", "all", "--env-var", "GREETING=hello there", "--stream");
    assertEquals(0, o.code(), o::toString);
    assertTrue(
        o.out().contains("a | hello there\n") && o.out().contains("b | hello there\n"),
        o::toString);
  }

  @Test
  void noGatherAndColorShapeThePlansResult() {
    Cli.Outcome gathered = plan("say", "-t", "all", "--env-var", "GREETING=hi");
    assertTrue(gathered.out().contains("== a,b (2): ok\nhi\n"), gathered::toString);
    Cli.Outcome apart =
        plan("say", "-t", "all", "--env-var", "GREETING=hi", "--no-gather", "--color", "always");
    assertTrue(apart.out().contains("\033[32m== a: ok\033[0m\nhi\n"), apart::toString);
  }

  @Test
  void outputDirGetsADirectoryPerStep() throws Exception {
    Cli.Outcome o = plan("say", "-t", "all", "--env-var", "GREETING=hi", "--output-dir", "out");
    assertEquals(0, o.code(), o::toString);
    assertEquals("hi\n", Files.readString(tmp.resolve("out/001-command/a/stdout")));
    assertEquals("hi\n", Files.readString(tmp.resolve("out/001-command/b/stdout")));
  }

  @Test
  void rerunFillsTheTargetsParameter() {
    Files.exists(tmp);
    Cli.Outcome first = Cli.run(tmp, "command", "run", "test %n = b", "--local", "-t", "all");
    assertEquals(1, first.code(), first::toString);
    Cli.Outcome o =
        plan("say", "--rerun", "failure", "--env-var", "GREETING=again", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals(1, o.json().size(), o::toString);
    assertEquals("a", o.json().at("/0/target").asText(), o::toString);
  }

  @Test
  void targetsNeedATargetsParameter() {
    for (String p : new String[] {"notargets", "noparams"}) {
      Cli.Outcome o = plan(p, "-t", "all");
      assertEquals(2, o.code(), o::toString);
      assertTrue(o.err().contains("has no 'targets' parameter for --targets"), o::toString);
    }
  }

  @Test
  void aBrokenPlanIsListedAsBrokenAndTheOthersStillShow() throws Exception {
    Files.writeString(tmp.resolve("plans/broken.js"), "export default function ( {\n");
    Cli.Outcome o = Cli.run(tmp, "plan", "show");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().contains("say"), o::toString);
    assertTrue(
        o.out()
            .lines()
            .anyMatch(
                l -> l.startsWith("broken") && l.contains("(broken)") && l.contains("broken.js:2")),
        o::toString);
    assertFalse(o.err().contains("Exception"), o::toString);
    Cli.Outcome json = Cli.run(tmp, "plan", "show", "--format", "json");
    assertTrue(json.json().at("/broken/broken").asText().contains("broken.js:2"), json::toString);
    assertEquals(2, Cli.run(tmp, "plan", "run", "broken").code());
  }
}
