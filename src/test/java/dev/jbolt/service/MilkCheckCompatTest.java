package dev.jbolt.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.MilkCheck;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jbolt milkcheck} side by side with MilkCheck itself (../shared/peers) on the same
 * configuration and the same sshd (127.0.0.2-4): the same output, byte for byte once the times are
 * blanked, and the same exit code (issue 27). Where the order of two lines depends on which of two
 * parallel actions ends first, the lines are compared sorted.
 */
class MilkCheckCompatTest {
  /** Fails on 127.0.0.3 (the node tells itself by the address it was reached on). */
  static final String FAIL_ON_3 =
      "case $(echo $SSH_CONNECTION | cut -d' ' -f3) in 127.0.0.3) exit 1;; esac";

  @TempDir static Path tmp;

  @LabSshd(anyAddress = true)
  static Sshd sshd;

  static MilkCheck mc;
  static Path sshConfig;
  Path conf;
  Path milkcheckConf;

  @BeforeAll
  static void start() throws Exception {
    mc = new MilkCheck(tmp.resolve("mc"));
    sshConfig = MilkCheck.sshConfig(sshd, tmp.resolve("ssh_config"));
    Projects.withInventory(tmp, Projects.sshConfig(sshd) + "targets: ['127.0.0.[2-4]']\n");
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: lab\n");
    sshd.knownHosts("127.0.0.2", "127.0.0.3", "127.0.0.4");
  }

  @BeforeEach
  void fresh() throws Exception {
    conf = Files.createTempDirectory(tmp, "conf");
    milkcheckConf = tmp.resolve("none.conf");
  }

  private void services(String yaml) throws Exception {
    Files.writeString(conf.resolve("all.yaml"), yaml);
  }

  private Cli.Outcome theirs(String stdin, String... args) throws Exception {
    return mc.runWithInput(tmp, sshConfig, milkcheckConf, stdin, withConf(args));
  }

  private Cli.Outcome ours(String stdin, String... args) {
    List<String> a = new ArrayList<>(List.of("milkcheck"));
    a.addAll(List.of(withConf(args)));
    return Cli.run(
        tmp,
        Map.of("JBOLT_MILKCHECK_CONF", milkcheckConf.toString()),
        stdin,
        a.toArray(String[]::new));
  }

  private String[] withConf(String... args) {
    if (List.of(args).contains("-c") || List.of(args).contains("--no-c")) {
      return List.of(args).stream().filter(x -> !x.equals("--no-c")).toArray(String[]::new);
    }
    List<String> a = new ArrayList<>(List.of("-c", conf.toString()));
    a.addAll(List.of(args));
    return a.toArray(String[]::new);
  }

  /** Times blanked: "ran in 0.31 s", and the clock of a log line. */
  static String norm(String s) {
    return s.replaceAll("ran in \\d+\\.\\d\\d s", "ran in T s")
        .replaceAll("(?m)^\\[\\d\\d:\\d\\d:\\d\\d\\]", "[T]");
  }

  static List<String> sorted(String s) {
    return norm(s).lines().sorted().toList();
  }

  /**
   * Both runs: the same exit code and stdout; returns {theirs, ours}. The lines of one action's
   * results (" > ...") come in the order ClusterShell's nodes ended, so they are compared as a set;
   * every other line in order.
   */
  private Cli.Outcome[] same(String... args) throws Exception {
    // side by side: the two runs share only the targets, and waiting for one and then the other
    // (delays, a timeout) was half of this class's time
    CompletableFuture<Cli.Outcome> theirs =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return theirs("", args);
              } catch (Exception e) {
                throw new CompletionException(e);
              }
            });
    Cli.Outcome o = ours("", args);
    Cli.Outcome t = theirs.join();
    assertEquals(t.code(), o.code(), () -> "MilkCheck: " + t + "\njbolt: " + o);
    assertEquals(sorted(t.out()), sorted(o.out()), () -> "MilkCheck: " + t + "\njbolt: " + o);
    assertEquals(
        norm(t.out()).lines().filter(l -> !l.startsWith(" > ")).toList(),
        norm(o.out()).lines().filter(l -> !l.startsWith(" > ")).toList(),
        () -> "MilkCheck: " + t + "\njbolt: " + o);
    return new Cli.Outcome[] {t, o};
  }

  @Test
  void aFailedActionCheckRunsTheActionAndItIsOk() throws Exception {
    services(
        "services:\n  actcheck:\n    target: '127.0.0.[2-4]'\n    actions:\n      status:\n"
            + "        cmd: "
            + FAIL_ON_3
            + "\n      start:\n        check: [status]\n        cmd: echo started\n");
    Cli.Outcome[] r = same("-r", "full", "start");
    assertEquals(0, r[1].code());
    assertTrue(r[1].out().contains("[    OK   ]"), r[1]::toString);
    // and -v shows that start ran, on all three
    same("-v", "start");
  }

  @Test
  void aPassingActionCheckMeansTheActionIsNotRun() throws Exception {
    services(
        "services:\n  svc:\n    target: '127.0.0.[2-4]'\n    actions:\n      status:\n"
            + "        cmd: 'true'\n      start:\n        check: [status]\n"
            + "        cmd: touch /nonexistent/start-ran\n");
    // (MilkCheck 1.2.4's -vv fails here: it prints the run time of an action that did not run)
    same("-s", "start");
    Cli.Outcome[] r = same("-v", "start");
    assertTrue(r[1].out().contains("status svc on"), r[1]::toString);
    assertTrue(!r[1].out().contains("start svc on"), r[1]::toString);
  }

  @Test
  void anExcludedServiceTakesWhatOnlyItLeadsTo() throws Exception {
    StringBuilder y = new StringBuilder("services:\n");
    String[][] graph = {
      {"app", "storage, net"},
      {"storage", "disk"},
      {"disk", ""},
      {"net", "link"},
      {"link", ""},
      {"other", ""},
      {"other2", "other"}
    };
    for (String[] s : graph) {
      y.append("  ").append(s[0]).append(":\n    target: '127.0.0.2'\n");
      if (!s[1].isEmpty()) {
        y.append("    require: [").append(s[1]).append("]\n");
      }
      y.append("    actions:\n      start: {cmd: 'true'}\n      stop: {cmd: 'true'}\n");
    }
    services(y.toString());
    for (String action : List.of("start", "stop")) {
      Cli.Outcome t = theirs("", "-s", "-X", "storage", action);
      Cli.Outcome o = ours("", "-s", "-X", "storage", action);
      assertEquals(t.code(), o.code(), o::toString);
      assertEquals(sorted(t.out()), sorted(o.out()), () -> t + "\n" + o);
    }
    assertTrue(ours("", "-s", "-X", "storage", "start").out().contains("5 actions"));
  }

  @Test
  void verbosityLevelsAreMilkChecks() throws Exception {
    // a chain, so that the order is the same every time; b's %TARGET is its nodes before the one
    // a failed on is left out
    services(
        "services:\n  a:\n    target: '127.0.0.[2-4]'\n    actions:\n      start:\n"
            + "        cmd: echo out; "
            + FAIL_ON_3
            + "\n        errors: 1\n  b:\n    target: '127.0.0.[2-4]'\n    require: [a]\n"
            + "    actions:\n      start: {cmd: 'echo target=%TARGET', delay: 1}\n"
            + "  c:\n    target: '127.0.0.[2-3]'\n    require: [b]\n    actions:\n"
            + "      start: {cmd: 'exit 3'}\n");
    for (String v : List.of("-q", "-v", "-vv", "-vvv")) {
      Cli.Outcome[] r = same(v, "start");
      assertEquals(6, r[1].code());
      if (!v.equals("-q")) {
        assertEquals(sorted(r[0].err()), sorted(r[1].err()), v + ": " + r[0] + "\n" + r[1]);
      }
    }
    Cli.Outcome[] r = same("start");
    assertEquals("", r[1].err());
    assertTrue(same("-vv", "start")[1].out().contains("start b will fire in 1 s"));
  }

  @Test
  void aGroupsDescriptionIsInheritedInTheSummary() throws Exception {
    services(
        "services:\n  grp:\n    desc: the group\n    services:\n      inner:\n"
            + "        target: '127.0.0.2'\n        actions:\n          start: {cmd: 'exit 2'}\n");
    Cli.Outcome[] r = same("-r", "full", "start");
    assertTrue(r[1].out().contains(" + grp.inner.start - the group"), r[1]::toString);
  }

  @Test
  void aTimeoutIsReportedAsMilkChecks() throws Exception {
    services(
        "services:\n  t:\n    target: '127.0.0.[2-3]'\n    actions:\n"
            + "      start: {cmd: 'echo before; sleep 5', timeout: 1}\n");
    Cli.Outcome[] r = same("-r", "full", "start");
    assertTrue(r[1].out().contains(" > 127.0.0.[2-3] has timeout"), r[1]::toString);
    // what the nodes printed before they were killed
    assertTrue(r[1].out().contains(" > 127.0.0.[2-3]: before\n"), r[1]::toString);
    assertTrue(r[1].out().contains("[ TIMEOUT ]"), r[1]::toString);
  }

  @Test
  void itsConfigurationFileIsRead() throws Exception {
    services(
        "services:\n  s:\n    target: '127.0.0.2'\n    actions:\n      start: {cmd: 'true'}\n");
    milkcheckConf = tmp.resolve("milkcheck.conf");
    // config_dir (no -c given), report, fanout and confirm_actions
    Files.writeString(
        milkcheckConf,
        "config_dir: "
            + conf
            + "\nfanout: 2\nreport: full\nreverse_actions: [stop]\nconfirm_actions: [start]\n");
    for (String answer : List.of("y\n", "n\n")) {
      Cli.Outcome t = mc.runWithInput(tmp, sshConfig, milkcheckConf, answer, "start");
      Cli.Outcome o =
          Cli.run(
              tmp,
              Map.of("JBOLT_MILKCHECK_CONF", milkcheckConf.toString()),
              answer,
              "milkcheck",
              "start");
      assertEquals(t.code(), o.code(), () -> t + "\n" + o);
      assertEquals(norm(t.out()), norm(o.out()), () -> t + "\n" + o);
    }
    Cli.Outcome[] r = same("--no-c", "-y", "start");
    assertTrue(r[1].out().contains("SUMMARY"), r[1]::toString);
    // no action: the configuration is checked
    r = same("--no-c");
    assertEquals(0, r[1].code());
    assertTrue(r[1].out().endsWith(conf + " seems good\n"), r[1]::toString);
    // a key MilkCheck does not know, a value of the wrong type: 9
    for (String bad : List.of("colour: red\n", "fanout: many\n", "report: some\n")) {
      Files.writeString(milkcheckConf, bad);
      Cli.Outcome t = theirs("", "start");
      Cli.Outcome o = ours("", "start");
      assertEquals(9, t.code(), t::toString);
      assertEquals(9, o.code(), o::toString);
      assertTrue(
          o.err().matches("(?s)\\[\\d\\d:\\d\\d:\\d\\d\\] ERROR    - .*" + ".conf.*"), o::toString);
    }
  }

  @Test
  void exitCodesAreMilkChecks() throws Exception {
    services(
        "services:\n  ok:\n    target: '127.0.0.2'\n    actions:\n      start: {cmd: 'true'}\n"
            + "  warn:\n    target: '127.0.0.[2-3]'\n    actions:\n      start:\n        cmd: "
            + FAIL_ON_3
            + "\n        warnings: 0\n        errors: 1\n"
            + "  bad:\n    target: '127.0.0.3'\n    actions:\n      start: {cmd: 'exit 1'}\n");
    assertEquals(0, same("ok", "start")[1].code());
    assertEquals(3, same("warn", "start")[1].code());
    assertEquals(6, same("bad", "start")[1].code());
    // user errors: an unknown service, an unknown option, a -c that is no directory
    assertEquals(9, same("nosuch", "start")[1].code());
    Cli.Outcome t = theirs("", "--no-such-option", "start");
    Cli.Outcome o = ours("", "--no-such-option", "start");
    assertEquals(9, t.code());
    assertEquals(9, o.code(), o::toString);
    assertTrue(o.err().contains("CRITICAL - Invalid options:"), o::toString);
    assertEquals(9, theirs("", "-c", "/nonexistent", "start").code());
    assertEquals(9, ours("", "-c", "/nonexistent", "start").code());
    // jbolt service keeps jbolt's codes for the same runs
    Cli.Outcome s = Cli.run(tmp, "service", "-c", conf.toString(), "bad", "start");
    assertEquals(1, s.code(), s::toString);
    assertEquals(2, Cli.run(tmp, "service", "-c", conf.toString(), "nosuch", "start").code());
    assertEquals(3, Cli.run(tmp, "service", "-c", conf.toString(), "-q", "warn", "start").code());
  }
}
