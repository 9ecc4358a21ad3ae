package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.inventory.InventoryParser;
import dev.jbolt.inventory.Target;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.testing.TestUser;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.TransportException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Users' commands with no input run on the connection's kept-open shell ({@link ShellCommand}) with
 * what an exec channel of their own gives them: output, exit code, a session and process group, no
 * input, the end when their output closes, and a kill that reaches their children. Each case is
 * also run on an exec channel (connections not reused), and both must agree.
 */
class ShellCommandTest {
  private static Sshd sshd;
  private static SshTransport kept;
  private static SshTransport channels;

  @BeforeAll
  static void start() throws Exception {
    sshd = Sshd.start();
    kept = new SshTransport(SshTransport.Options.DEFAULT);
    channels = new SshTransport(new SshTransport.Options(8, 2, false));
    Exec.run(connection(kept), "true", null, 10_000, null); // the first command takes a channel
  }

  @AfterAll
  static void stop() {
    kept.close();
    channels.close();
    sshd.close();
  }

  private static long sessionsStarted() {
    return sshd.log().lines().filter(l -> l.contains("Starting session:")).count();
  }

  private static Connection connection(SshTransport t) throws Exception {
    return t.connection(SshConnectionTest.target(sshd, "127.0.0.1"));
  }

  /** Runs {@code command} both ways; their outputs and exit codes must agree. */
  private static Exec.Output both(String command) throws Exception {
    Exec.Output k = Exec.run(connection(kept), command, null, 20_000, null);
    Exec.Output c = Exec.run(connection(channels), command, null, 20_000, null);
    assertEquals(c.stdoutText(), k.stdoutText(), command);
    assertEquals(c.stderrText(), k.stderrText(), command);
    assertEquals(c.exitCode(), k.exitCode(), command);
    return k;
  }

  @Test
  void manyCommandsShareOneChannel() throws Exception {
    try (SshTransport t = new SshTransport(SshTransport.Options.DEFAULT)) {
      Connection c = connection(t);
      long before = sessionsStarted();
      for (int i = 0; i < 20; i++) {
        assertEquals(i + "\n", Exec.run(c, "echo " + i, null, 10_000, null).stdoutText());
      }
      assertEquals(2, sessionsStarted() - before, "the first command's channel, then the shell");
    }
  }

  @Test
  void outputExitCodeAndStreamsAsOnAChannel() throws Exception {
    Exec.Output o = both("echo out; echo err >&2; printf 'no newline'; exit 7");
    assertEquals("out\nno newline", o.stdoutText());
    assertEquals("err\n", o.stderrText());
    assertEquals(7, o.exitCode());
    both("printf 'jbolt-end-'; printf 'jbolt-end-' >&2"); // a start of the token is output
    both("if then fi"); // a syntax error is eval's, reported as a channel's
    both("echo $0; echo \"$SHELL\"");
    o = both("cat; echo read-nothing"); // no input: end of file at once
    assertEquals("read-nothing\n", o.stdoutText());
  }

  /**
   * A command killed by a signal: the shell that saw it die says nothing ("Killed" would be dash's
   * word), and the code is a shell's 128+N where a channel reports none (docs/performance.md).
   */
  @Test
  void aCommandKilledByASignalEndsWithoutAWordFromTheShell() throws Exception {
    Exec.Output k = Exec.run(connection(kept), "echo before; kill -9 $$", null, 10_000, null);
    Exec.Output c = Exec.run(connection(channels), "echo before; kill -9 $$", null, 10_000, null);
    assertEquals("before\n", k.stdoutText());
    assertEquals(c.stderrText(), k.stderrText());
    assertEquals(null, c.exitCode());
    assertEquals(
        137, k.exitCode(), () -> k.stdoutText() + "/" + k.stderrText() + "/" + c.stdoutText());
  }

  @Test
  void aHostileAlphabetArrivesWhole() throws Exception {
    String[] words = {"a'b", "c\"d", "$HOME", "`id`", "\\n", "-n", "x\ny", "..", "/", " "};
    StringBuilder cmd = new StringBuilder("printf '[%s]\\n'");
    StringBuilder want = new StringBuilder();
    for (String w : words) {
      cmd.append(' ').append(dev.jbolt.transport.Posix.quote(w));
      want.append('[').append(w).append("]\n");
    }
    assertEquals(want.toString(), both(cmd.toString()).stdoutText());
    assertEquals("1\n2\n", both("echo 1\necho 2").stdoutText());
  }

  @Test
  void bytesAndSizeArriveExactly() throws Exception {
    Exec.Output o = both("head -c 3000000 /dev/zero | tr '\\0' x; printf '\\377\\376' >&2");
    assertEquals(3_000_000, o.stdout().size());
    assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xfe}, o.stderr().bytes());
  }

  @Test
  void eachCommandIsASessionLeaderOfItsOwn() throws Exception {
    Connection c = connection(kept);
    String ids = "ps -o pid=,pgid=,sid= -p $$ | tr -s ' ' | sed 's/^ //'";
    String a = Exec.run(c, ids, null, 10_000, null).stdoutText().strip();
    String b = Exec.run(c, ids, null, 10_000, null).stdoutText().strip();
    String[] f = a.split(" ");
    assertEquals(f[0], f[1], a);
    assertEquals(f[0], f[2], a);
    assertNotEquals(a, b, "a new process for each command");
  }

  @Test
  void aBackgroundProcessHoldingTheOutputIsWaitedFor() throws Exception {
    Connection c = connection(kept);
    long t0 = System.nanoTime();
    Exec.Output o = Exec.run(c, "(sleep 1; echo late) & echo now", null, 20_000, null);
    assertEquals("now\nlate\n", o.stdoutText());
    assertEquals(0, o.exitCode());
    assertTrue((System.nanoTime() - t0) / 1e9 >= 0.9, "it ended when the output closed");
    assertEquals("next\n", Exec.run(c, "echo next", null, 10_000, null).stdoutText());
    t0 = System.nanoTime();
    o = Exec.run(c, "sleep 5 >/dev/null 2>&1 </dev/null & echo quick", null, 20_000, null);
    assertEquals("quick\n", o.stdoutText());
    assertTrue((System.nanoTime() - t0) / 1e9 < 4, "a process not holding the output is not");
    assertEquals("again\n", Exec.run(c, "echo again", null, 10_000, null).stdoutText());
  }

  @Test
  void aTimeoutKillsTheCommandAndItsChildrenThenTheNextOneRuns() throws Exception {
    Connection c = connection(kept);
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> Exec.run(c, "sleep 464646 & sleep 474747", null, 500, null));
    assertEquals("jbolt/timeout", e.kind().id());
    String left = "pgrep -f '^sleep 4[67]4[67]4[67]' || true";
    for (int i = 0; i < 50 && !Cmd.run("sh", "-c", left).isBlank(); i++) {
      Thread.sleep(100);
    }
    assertTrue(Cmd.run("sh", "-c", left).isBlank(), "both sleeps were killed");
    long before = sessionsStarted();
    for (int i = 0; i < 5; i++) {
      assertEquals("fresh\n", Exec.run(c, "echo fresh", null, 10_000, null).stdoutText());
    }
    assertTrue(sessionsStarted() - before <= 2, "a new shell serves, not a channel each");
  }

  @Test
  void inputGoesToAChannelOfItsOwn() throws Exception {
    Connection c = connection(kept);
    byte[] in = "typed\n".getBytes(StandardCharsets.UTF_8);
    assertEquals("typed\n", Exec.run(c, "cat", in, 10_000, null).stdoutText());
  }

  @Test
  void concurrentCommandsAllComplete() throws Exception {
    Connection c = connection(kept);
    var pool = Executors.newFixedThreadPool(6);
    List<Future<Exec.Output>> results = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String cmd = "echo w" + i + "; echo e" + i + " >&2; exit " + (i % 3);
      results.add(pool.submit((Callable<Exec.Output>) () -> Exec.run(c, cmd, null, 20_000, null)));
    }
    for (int i = 0; i < 60; i++) {
      Exec.Output o = results.get(i).get();
      assertEquals("w" + i + "\n", o.stdoutText());
      assertEquals("e" + i + "\n", o.stderrText());
      assertEquals(i % 3, o.exitCode());
    }
    pool.shutdown();
  }

  @Test
  void keptShellFalseGivesEveryCommandAChannel() throws Exception {
    Target t =
        InventoryParser.parse(
                Projects.sshConfig(sshd) + "    kept-shell: false\ntargets: [127.0.0.1]\n",
                "inventory.yaml",
                new PrintStream(PrintStream.nullOutputStream()))
            .target("127.0.0.1")
            .orElseThrow();
    try (SshTransport tr = new SshTransport(SshTransport.Options.DEFAULT)) {
      Connection c = tr.connection(t);
      long before = sessionsStarted();
      for (int i = 0; i < 3; i++) {
        assertEquals(i + "\n", Exec.run(c, "echo " + i, null, 10_000, null).stdoutText());
      }
      assertEquals(3, sessionsStarted() - before, sshd.log());
    }
  }

  /**
   * What ssh.md says of a bash login shell: each command's bash reads ~/.bashrc, as on a channel
   * (bash's exec of the kept shell leaves SHLVL at 0), and the kept shell's bash read it once
   * before; $PPID is the kept shell. sshd sets no SHLVL, so the bash it starts reads ~/.bashrc
   * (Debian's bash, run by sshd); the tests' sshd sets one unless told otherwise.
   */
  @Test
  void aBashLoginShellReadsItsRcForEachCommandAndOnceForTheShell() throws Exception {
    String user = TestUser.withShell("jboltbash", "/bin/bash");
    Path home = Path.of(Cmd.run("sh", "-c", "getent passwd " + user + " | cut -d: -f6").strip());
    Path count = home.resolve("rc.count");
    Files.writeString(
        home.resolve(".bashrc"), "echo read >> " + count + "\nexport PATH=/jbolt-rc:$PATH\n");
    Cmd.run("chown", user, home.resolve(".bashrc").toString());
    try {
      try (Sshd bash =
          Sshd.builder().config("AllowUsers " + user).config("SetEnv JBOLT_TEST=1").start()) {
        String inv =
            Projects.sshConfig(bash).replace("user: " + bash.user(), "user: " + user)
                + "targets: [127.0.0.1]\n";
        for (boolean reuse : new boolean[] {false, true}) {
          Files.deleteIfExists(count);
          Target t =
              InventoryParser.parse(
                      inv, "inventory.yaml", new PrintStream(PrintStream.nullOutputStream()))
                  .target("127.0.0.1")
                  .orElseThrow();
          List<String> parents = new ArrayList<>();
          String path;
          try (SshTransport tr = new SshTransport(new SshTransport.Options(8, 2, reuse))) {
            Connection c = tr.connection(t);
            for (int i = 0; i < 4; i++) {
              parents.add(
                  Exec.run(c, "ps -o comm= -p $PPID", null, 10_000, null).stdoutText().strip());
            }
            path = Exec.run(c, "echo $PATH", null, 10_000, null).stdoutText();
          }
          long reads = Files.readAllLines(count).size() - 1; // the PATH command's bash read it too
          if (reuse) {
            assertEquals(5, reads, "a bash per command, as on a channel, and the kept shell's");
            assertEquals(List.of("sshd", "sh", "sh", "sh"), parents);
            assertTrue(path.startsWith("/jbolt-rc:/jbolt-rc:/"), path);
          } else {
            assertEquals(4, reads, "a bash per channel");
            assertEquals(List.of("sshd", "sshd", "sshd", "sshd"), parents);
            assertTrue(path.startsWith("/jbolt-rc:/") && !path.contains("rc:/jbolt-rc"), path);
          }
        }
      }
    } finally {
      Files.deleteIfExists(count); // the user stays, as ShellFaultTest's do; its files go
      Files.deleteIfExists(home.resolve(".bashrc"));
    }
  }

  @Test
  void withoutSetsidEveryCommandGetsAChannel() throws Exception {
    try (Sshd bare = Sshd.builder().config("SetEnv PATH=/nonexistent").start();
        SshTransport t = new SshTransport(SshTransport.Options.DEFAULT)) {
      Connection c = t.connection(SshConnectionTest.target(bare, "127.0.0.1"));
      for (int i = 0; i < 3; i++) {
        assertEquals(i + "\n", Exec.run(c, "echo " + i, null, 10_000, null).stdoutText());
      }
      long sessions = bare.log().lines().filter(l -> l.contains("Starting session:")).count();
      assertEquals(4, sessions, "a channel per command, and the kept shell (asked once)");
    }
  }
}
