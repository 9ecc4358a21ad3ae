package dev.jbolt.warm;

import dev.jbolt.project.Project;
import dev.jbolt.session.Console;
import dev.jbolt.session.Interrupts;
import dev.jbolt.transports.KeptConnections;
import dev.jbolt.transports.Transports;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The warm process ({@code jbolt persist}): a JVM that stays up for {@code persist} idle seconds
 * after a run, with the authenticated SSH sessions of the runs it served ({@link KeptConnections}),
 * so that the next {@code jbolt} in the same project (its client, {@code scripts/warm-client.pl})
 * skips the JVM's start and every login. It listens on a Unix socket in a 0700 directory of its
 * user and serves only that user (peer credentials); never on TCP. One run at a time, and only for
 * clients with the environment it was started with (else they go on to another warm process or run
 * cold), so that everything a run starts sees what it would see in a process of its own. It exits
 * when idle, when its jar changes, when its socket is taken away, and on {@code persist stop}.
 */
public final class WarmServer {
  /** Variables that change from one command to the next in the same shell. */
  private static final Set<String> VOLATILE =
      Set.of("PWD", "OLDPWD", "_", "SHLVL", "COLUMNS", "LINES");

  private final Path socket;
  private final Path project;
  private final Map<String, String> env = comparable(System.getenv());
  private final String jarStamp = jarStamp();
  private final String umask = umask();
  private final Instant started = Instant.now();
  private final AtomicBoolean busy = new AtomicBoolean();
  private final Object lifecycle = new Object();
  private boolean stopping; // guarded by lifecycle: once set, no run starts
  private final AtomicInteger runs = new AtomicInteger();
  private final UserPrincipal me;
  private final Runner runner;
  private final KeptConnections kept = new KeptConnections();
  private volatile long lastUsed = System.currentTimeMillis();
  private volatile long idleMillis;
  private volatile Object socketKey;
  private ServerSocketChannel server;
  private volatile WarmRun current;

  private WarmServer(Path socket, Path project, Runner runner) throws IOException {
    this.runner = runner;
    this.socket = socket;
    this.project = project;
    this.idleMillis = Project.persistSeconds(project) * 1000L;
    this.me = Files.getOwner(Path.of("/proc/self"));
  }

  /** Runs jbolt for one client: its arguments in its console; gives the exit code. */
  public interface Runner {
    int run(Console console, String[] args);
  }

  /**
   * Serves the clients of {@code socket} with {@code runner}, for the project in {@code project}
   * ("-": runs without one), until idle or stopped; returns when another process serves it.
   */
  public static void serve(String socket, String project, Runner runner) throws IOException {
    Transports.prepareProcess();
    WarmServer w =
        new WarmServer(Path.of(socket), project.equals("-") ? null : Path.of(project), runner);
    if (!w.bind()) {
      return;
    }
    w.onSignals();
    log("started for " + (w.project == null ? "runs without a project" : w.project));
    Thread.ofPlatform().daemon().name("jbolt-warm-watch").start(w::watch);
    w.serve();
  }

  /** Takes the socket: false when another warm process holds it (this one is not needed). */
  private boolean bind() throws IOException {
    WarmDir.Choice dir = WarmDir.make(socket.getParent());
    if (dir.dir() == null) {
      log("refusing to start: " + dir.why());
      return false;
    }
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      server.bind(UnixDomainSocketAddress.of(socket));
    } catch (IOException e) {
      try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
        return false; // a live warm process answers there
      } catch (IOException dead) {
        Files.deleteIfExists(socket); // left by one that crashed
        server.bind(UnixDomainSocketAddress.of(socket));
      }
    }
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
    socketKey = Files.readAttributes(socket, BasicFileAttributes.class).fileKey();
    return true;
  }

  private void serve() {
    while (server.isOpen()) {
      SocketChannel ch;
      try {
        ch = server.accept();
      } catch (IOException e) {
        break;
      }
      Thread.ofPlatform().name("jbolt-warm-conn").start(() -> handle(ch));
    }
  }

  private void handle(SocketChannel ch) {
    try (ch) {
      UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
      if (!peer.user().equals(me)) {
        log(
            "refused a connection from user "
                + peer.user().getName()
                + " (not "
                + me.getName()
                + ")");
        return;
      }
      DataInputStream in =
          new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch)));
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch));
      Frames.Frame hello = Frames.read(in);
      if (hello == null || hello.type() != 'H' || !hello.text().equals(Frames.HELLO)) {
        Frames.write(out, 'n', "protocol");
        return;
      }
      WarmRun run = new WarmRun(in, out, runner, kept);
      Character verb = run.readRequest();
      if (verb == null) {
        return;
      }
      switch (verb) {
        case 'Q' -> {
          Frames.write(out, 'o', status());
          Frames.write(out, 'x', "0");
        }
        case 'K' -> {
          if (!run.verbText.isEmpty() && !isProject(run.verbText)) {
            Frames.write(out, 'x', "0"); // another project's: not this one to stop
            return;
          }
          Frames.write(
              out, 'o', "stopped the warm process " + ProcessHandle.current().pid() + "\n");
          Frames.write(out, 'x', "0");
          stop("asked to stop");
        }
        default -> runFor(run, out);
      }
    } catch (IOException | RuntimeException e) {
      log("connection ended: " + e);
    }
  }

  private void runFor(WarmRun run, OutputStream out) throws IOException {
    if (!comparable(run.env).equals(env)) {
      Frames.write(out, 'n', "environment");
      return;
    }
    // Files a run makes (reports, downloads, keys, --local commands) get the client's umask: the
    // process has one umask, so a client with another goes to another warm process.
    if (!Objects.equals(run.umask, umask)) {
      Frames.write(out, 'n', "umask");
      return;
    }
    synchronized (lifecycle) {
      if (stopping || !busy.compareAndSet(false, true)) {
        Frames.write(out, 'b', "busy");
        return;
      }
    }
    int code;
    try {
      // Taken: from here on the client never gives this command line to anyone else.
      Frames.write(out, 'a', "");
      current = run;
      code = run.run();
      runs.incrementAndGet();
    } finally {
      current = null;
      idleMillis = Project.persistSeconds(project) * 1000L;
      lastUsed = System.currentTimeMillis();
      synchronized (lifecycle) {
        stopping |= idleMillis == 0;
        busy.set(false);
      }
    }
    // Free before the client hears the exit code: its next run, started at once, finds this
    // process idle rather than busy (which would start a second warm process, and log in again).
    run.finish(code);
    if (idleMillis == 0) {
      stop("persist is 0");
    }
  }

  private boolean isProject(String dir) {
    return dir.equals("-")
        ? project == null
        : project != null
            && Path.of(dir)
                .toAbsolutePath()
                .normalize()
                .equals(project.toAbsolutePath().normalize());
  }

  private String status() {
    if (!busy.get()) {
      System.gc(); // the heap its sessions hold, not what the last run left
    }
    Runtime rt = Runtime.getRuntime();
    long idle = (System.currentTimeMillis() - lastUsed) / 1000;
    var hosts = kept.hosts();
    return String.format(
        "warm process %d for %s%n  up %ds, %s, exits after %ds idle; %d runs served%n"
            + "  %d SSH sessions kept%s%n  heap %d MiB used%n",
        ProcessHandle.current().pid(),
        project == null ? "runs without a project" : project,
        Duration.between(started, Instant.now()).toSeconds(),
        busy.get() ? "running" : "idle " + idle + "s",
        idleMillis / 1000,
        runs.get(),
        hosts.size(),
        hosts.isEmpty()
            ? ""
            : ": "
                + String.join(", ", hosts.subList(0, Math.min(10, hosts.size())))
                + (hosts.size() > 10 ? ", ..." : ""),
        (rt.totalMemory() - rt.freeMemory()) >> 20);
  }

  /** Ends this process when idle long enough, when its jar changed or its socket was taken away. */
  private void watch() {
    while (true) {
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        return;
      }
      String why = null;
      synchronized (lifecycle) {
        if (busy.get()) {
          continue;
        }
        // Before its first run, it waits for the client that started it, even with persist: 0.
        long limit = runs.get() == 0 ? Math.max(idleMillis, 10_000) : idleMillis;
        if (System.currentTimeMillis() - lastUsed >= limit) {
          why = "idle for " + idleMillis / 1000 + "s";
        } else if (!jarStamp.equals(jarStamp())) {
          why = "its jar changed";
        } else if (!socketKey.equals(fileKey(socket))) {
          why = "its socket was removed";
        }
        stopping |= why != null;
      }
      if (why != null) {
        stop(why);
      }
    }
  }

  /**
   * SIGTERM or SIGHUP: the run in progress is cancelled as its client's Ctrl-C would (remote
   * commands killed, temp dirs removed, its client told), then the socket and sessions go.
   */
  private void onSignals() {
    for (var sig : Interrupts.SIGNALS.entrySet()) {
      if (sig.getKey().equals("INT")) {
        continue; // detached from any terminal: only its client's Ctrl-C, as a frame
      }
      try {
        sun.misc.Signal.handle(
            new sun.misc.Signal(sig.getKey()),
            s ->
                Thread.ofPlatform()
                    .name("jbolt-warm-signal")
                    .start(() -> terminate(sig.getKey(), sig.getValue())));
      } catch (IllegalArgumentException e) {
        // kept by the JVM: it exits as it would
      }
    }
  }

  private void terminate(String name, int number) {
    synchronized (lifecycle) {
      stopping = true; // no run starts from here on
    }
    WarmRun run = current;
    if (run != null) {
      log("SIG" + name + ": cancelling the run in progress");
      run.terminate(number);
      for (int i = 0; i < 600 && busy.get(); i++) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          break;
        }
      }
    }
    stop("SIG" + name, 128 + number);
  }

  private void stop(String why) {
    stop(why, 0);
  }

  private synchronized void stop(String why, int code) {
    log("exiting: " + why);
    try {
      if (socketKey.equals(fileKey(socket))) {
        Files.deleteIfExists(socket);
      }
      server.close();
    } catch (IOException e) {
      // exiting anyway
    }
    kept.close();
    Runtime.getRuntime().halt(code);
  }

  private static Object fileKey(Path p) {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
          .fileKey();
    } catch (IOException e) {
      return "gone";
    }
  }

  /** This process's umask in octal, as the client writes its own ("0022"); null if unknown. */
  private static String umask() {
    try {
      return Files.readAllLines(Path.of("/proc/self/status")).stream()
          .filter(l -> l.startsWith("Umask:"))
          .map(l -> l.substring(6).strip())
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** The code this process runs: its size and time, to see a rebuild. */
  private static String jarStamp() {
    try {
      Path jar =
          Path.of(WarmServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return Files.size(jar) + "@" + Files.getLastModifiedTime(jar).toMillis();
    } catch (Exception e) {
      return "unknown";
    }
  }

  private static Map<String, String> comparable(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>(env);
    out.keySet()
        .removeIf(
            k -> VOLATILE.contains(k) || k.startsWith("JBOLT_WARM_") || k.equals("JBOLT_COLUMNS"));
    return out;
  }

  private static void log(String line) {
    System.err.println(Instant.now() + " [" + ProcessHandle.current().pid() + "] " + line);
  }
}
