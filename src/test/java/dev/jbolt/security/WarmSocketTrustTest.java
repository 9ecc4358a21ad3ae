package dev.jbolt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.TestUser;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm client against a second local user (issue 25.1), with real users: the attacker plants a
 * listening socket at the name the client computes, or a symlink where its log goes. The client
 * must send the impostor nothing (not its argv, environment or answers) and write through no link;
 * it runs cold instead. {@code jbolt persist status|stop} likewise.
 */
class WarmSocketTrustTest {
  @TempDir Path tmp;
  private final List<Process> started = new ArrayList<>();
  private Path launcher;
  private Path project;

  @BeforeEach
  void setUp() throws IOException {
    Assumptions.assumeTrue(TestUser.isRoot(), "a second local user needs root to be made");
    TestUser.get();
    // The test's own tree is open to the other user (as /tmp is), not writable by them.
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
    // A launcher that says what it was asked: a cold run prints it; as a warm process it exits.
    launcher = tmp.resolve("launcher");
    Files.writeString(
        launcher,
        "#!/bin/sh\n"
            + "[ \"$1\" = --jbolt-warm-daemon ] && exit 0\n"
            + "echo \"cold run: $* (JBOLT_PERSIST=$JBOLT_PERSIST)\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path client = tmp.resolve("warm-client.pl");
    Files.copy(Path.of("scripts/warm-client.pl").toAbsolutePath(), client);
    Files.setPosixFilePermissions(client, PosixFilePermissions.fromString("rwxr-xr-x"));
    project = Files.createDirectories(tmp.resolve("project"));
    Files.writeString(project.resolve("jbolt-project.yaml"), "name: lab\n");
    Files.setPosixFilePermissions(project, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterEach
  void tearDown() {
    started.forEach(Process::destroyForcibly);
  }

  /** The socket name the client computes (anyone can: the key is public), for slot 0. */
  private String socketName(int uid) {
    String key = String.join("\0", project.toString(), "", "", "", String.valueOf(uid));
    return String.format("%08x%08x", fnv(key, 0x811c9dc5L), fnv(key, 0x9747b28cL)) + "-0";
  }

  private static long fnv(String s, long h) {
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h = ((h ^ (b & 0xff)) * 16777619L) & 0xffffffffL;
    }
    return h;
  }

  private static int uidOf(String user) {
    return Integer.parseInt(Cmd.run("id", "-u", user).strip());
  }

  private static void chown(String user, Path... paths) {
    for (Path p : paths) {
      Cmd.run("chown", user + ":", p.toString());
    }
  }

  /** The client as {@code user} (root when null) in the project, with {@code env}. */
  private Cli.Outcome client(String user, Map<String, String> env) throws Exception {
    List<String> cmd = new ArrayList<>();
    if (user != null) {
      cmd.addAll(List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups"));
    }
    cmd.addAll(List.of("perl", tmp.resolve("warm-client.pl").toString(), "command", "run", "id"));
    cmd.addAll(List.of("-t", "all", "--password=hunter2"));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    pb.environment().put("JBOLT_WARM_LAUNCHER", launcher.toString());
    pb.environment().put("SECRET_TOKEN", "tok-123");
    pb.environment().putAll(env);
    Process p = pb.start();
    p.getOutputStream().close();
    var out = p.getInputStream();
    var err = p.getErrorStream();
    String o = new String(out.readAllBytes(), StandardCharsets.UTF_8);
    String e = new String(err.readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Cli.Outcome(p.exitValue(), o, e);
  }

  /** {@code tmp/name} and its {@code jbolt/}, both {@code user}'s with mode 0700. */
  private Path runtimeDir(String name, String user) throws IOException {
    Path rt = Files.createDirectories(tmp.resolve(name));
    Path jb = Files.createDirectories(rt.resolve("jbolt"));
    chown(user, rt, jb);
    Files.setPosixFilePermissions(rt, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(jb, PosixFilePermissions.fromString("rwx------"));
    return rt;
  }

  /** A server of root's on {@code sock} that counts the bytes any client sends it. */
  private AtomicLong rootServer(Path sock) throws IOException {
    AtomicLong got = new AtomicLong();
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(sock));
    Files.setPosixFilePermissions(sock, PosixFilePermissions.fromString("rw-rw-rw-"));
    Thread.ofPlatform()
        .daemon()
        .start(
            () -> {
              try (server) {
                while (true) {
                  try (SocketChannel ch = server.accept()) {
                    // It never answers: after 2 s it hangs up, so a client that talks waits no
                    // more.
                    Thread.ofVirtual().start(() -> closeLater(ch));
                    ByteBuffer b = ByteBuffer.allocate(65536);
                    for (int n = ch.read(b); n > 0; n = ch.read(b.clear())) {
                      got.addAndGet(n);
                    }
                  }
                }
              } catch (IOException e) {
                // closed with the test
              }
            });
    return got;
  }

  private static void closeLater(SocketChannel ch) {
    try {
      Thread.sleep(2000);
      ch.close();
    } catch (IOException | InterruptedException e) {
      // closed already
    }
  }

  @Test
  void rootWithAnotherUsersRuntimeDirSendsThemNothing() throws Exception {
    // Root (sudo -E, su) keeps the other user's XDG_RUNTIME_DIR; that user listens where root's
    // client would look, and captures what it is sent.
    String other = TestUser.NAME;
    Path rt = runtimeDir("other-rt", other);
    Path jb = rt.resolve("jbolt");
    Path sock = jb.resolve(socketName(0) + ".sock");
    String fake =
        "use Socket; socket(my $l, AF_UNIX, SOCK_STREAM, 0) or die; unlink $ARGV[0];"
            + " bind($l, pack_sockaddr_un($ARGV[0])) or die \"bind: $!\"; listen($l, 5); alarm 60;"
            + " while (accept(my $c, $l)) { my $all = ''; my $rin = ''; vec($rin, fileno($c), 1) = 1;"
            + " while (select(my $r = $rin, undef, undef, 1) && sysread($c, my $b, 65536)) { $all .= $b; }"
            + " open(my $f, '>>', $ARGV[1]); print $f $all; close $f;"
            + " syswrite($c, 'a' . pack('N', 0) . 'o' . pack('N', 3) . \"ok\\n\" . 'x' . pack('N', 1) . '0'); }";
    Path captureDir = Files.createDirectories(tmp.resolve("capture"));
    chown(other, captureDir);
    Path capture = captureDir.resolve("captured");
    Process server =
        new ProcessBuilder(
                "setpriv",
                "--reuid=" + other,
                "--regid=" + other,
                "--init-groups",
                "perl",
                "-e",
                fake,
                sock.toString(),
                capture.toString())
            .redirectErrorStream(true)
            .start();
    started.add(server);
    for (int i = 0; i < 100 && !Files.exists(sock); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(sock), "the other user's server listens");

    Path home = Files.createDirectories(tmp.resolve("root-home"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Cli.Outcome o = client(null, Map.of("XDG_RUNTIME_DIR", rt.toString(), "HOME", home.toString()));

    assertFalse(Files.exists(capture), "the other user got: " + readQuietly(capture));
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().startsWith("cold run: command run id"), o::toString);
    assertFalse(Files.exists(jb.resolve(socketName(0) + ".log")), "no log in their directory");
    // Root's own private directory took the place of theirs.
    assertTrue(Files.isDirectory(home.resolve(".cache/jbolt/run")), o::toString);

    // persist status and stop do not talk to it either.
    Cli.Outcome status =
        Cli.run(
            project,
            Map.of("XDG_RUNTIME_DIR", rt.toString(), "HOME", home.toString()),
            "",
            "persist",
            "status");
    assertEquals("no warm jbolt process is running\n", status.out(), status::toString);
    assertFalse(Files.exists(capture), "the other user got: " + readQuietly(capture));
  }

  @Test
  void aSocketServedByAnotherUserIsSentNothing() throws Exception {
    // The user's own private directory, where root (the attacker here) plants a listening socket.
    String user = TestUser.NAME;
    Path rt = runtimeDir("user-rt", user);
    Path jb = rt.resolve("jbolt");
    AtomicLong got = rootServer(jb.resolve(socketName(uidOf(user)) + ".sock"));

    Cli.Outcome o = client(user, Map.of("XDG_RUNTIME_DIR", rt.toString(), "HOME", "/nonexistent"));

    Thread.sleep(200);
    assertEquals(0, got.get(), "bytes sent to root's socket; client: " + o);
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().startsWith("cold run: command run id"), o::toString);
    assertTrue(o.err().contains("is served by uid 0, not by you"), o::toString);
  }

  @Test
  void aPlantedLogLinkIsNotFollowed() throws Exception {
    String user = TestUser.NAME;
    Path rt = runtimeDir("user-rt", user);
    Path jb = rt.resolve("jbolt");
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    chown(user, elsewhere);
    Path target = elsewhere.resolve("chosen-by-someone-else");
    Files.createSymbolicLink(jb.resolve(socketName(uidOf(user)) + ".log"), target);

    Cli.Outcome o = client(user, Map.of("XDG_RUNTIME_DIR", rt.toString(), "HOME", "/nonexistent"));

    assertFalse(Files.exists(target), "the link was followed");
    assertEquals(0, o.code(), o::toString);
    assertTrue(o.out().startsWith("cold run: command run id"), o::toString);
    assertTrue(o.err().contains("cannot open " + jb), o::toString);
  }

  @Test
  void aRuntimeDirOthersMayUseIsNotUsed() throws Exception {
    // The user's own, but 0755 (or a world-writable parent): the client falls back to its cache.
    String user = TestUser.NAME;
    Path rt = Files.createDirectories(tmp.resolve("open-rt"));
    Path home = Files.createDirectories(tmp.resolve("user-home"));
    chown(user, rt, home);
    Files.setPosixFilePermissions(rt, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
    Path open = Files.createDirectories(tmp.resolve("world"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));

    Cli.Outcome o = client(user, Map.of("XDG_RUNTIME_DIR", rt.toString(), "HOME", home.toString()));
    assertFalse(Files.exists(rt.resolve("jbolt")), "nothing made in a directory others may use");
    assertTrue(Files.isDirectory(home.resolve(".cache/jbolt/run")), o::toString);

    // Its cache in a world-writable, non-sticky directory too: cold, saying why, nothing made.
    Cli.Outcome cold =
        client(
            user,
            Map.of(
                "XDG_RUNTIME_DIR", rt.toString(),
                "XDG_CACHE_HOME", open.toString(),
                "HOME", home.toString()));
    assertTrue(cold.out().startsWith("cold run: command run id"), cold::toString);
    assertTrue(
        cold.err().contains("running without the warm process: " + rt + " has mode 0755"),
        cold::toString);
    assertTrue(cold.err().contains(open + " may be written by others (mode 0777)"), cold::toString);
    assertFalse(Files.exists(open.resolve("jbolt")), "nothing made there");
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "(nothing)";
    }
  }
}
