package dev.jbolt.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH sshd on loopback for tests: its own host key, client key, authorized_keys, free
 * port, log at VERBOSE, MaxStartups raised. It logs in {@link TestUser#name()} (a dedicated user
 * with a clean /bin/sh when the tests run as root). With {@link Builder#anyAddress()} it answers on
 * every 127.x address, standing in for many hosts. Missing sshd is a failure, never a skip.
 */
public final class Sshd implements AutoCloseable {
  public static final Path SSHD = Path.of("/usr/sbin/sshd");

  private final Path dir;
  private final int port;
  private Process process;
  private final String hostKeyLine;
  private final String listen;
  private final List<String> prefix;

  private Sshd(Path dir, int port, Process process, String listen, List<String> prefix)
      throws IOException {
    this.listen = listen;
    this.prefix = prefix;
    this.dir = dir;
    this.port = port;
    this.process = process;
    this.hostKeyLine = Files.readString(dir.resolve("host_ed25519.pub")).strip();
  }

  public static Builder builder() {
    return new Builder();
  }

  public static Sshd start() throws IOException {
    return builder().start();
  }

  public static final class Builder {
    private String listen = "127.0.0.1";
    private boolean sftp = true;
    private int maxSessions = 10;
    private String maxStartups = "1000";
    private final List<String> extra = new ArrayList<>();
    private Path hostKeyFrom;
    private String[] certificate;
    private List<String> prefix = List.of();

    /** Run inside a network namespace (reachable only from processes in it). */
    public Builder in(Netns ns) {
      prefix = ns.prefix();
      return this;
    }

    /** Listen on 0.0.0.0, to answer for every 127.0.0.0/8 address. */
    public Builder anyAddress() {
      listen = "0.0.0.0";
      return this;
    }

    public Builder listen(String address) {
      listen = address;
      return this;
    }

    public Builder noSftp() {
      sftp = false;
      return this;
    }

    public Builder maxSessions(int n) {
      maxSessions = n;
      return this;
    }

    public Builder maxStartups(String s) {
      maxStartups = s;
      return this;
    }

    /** Reuse another fixture's host key (or, with a fresh key, impersonate it). */
    public Builder hostKeyFrom(Sshd other) {
      hostKeyFrom = other.dir;
      return this;
    }

    /**
     * Presents an OpenSSH host certificate for its host key, signed by the CA key {@code caKey} (a
     * private key file), for {@code principals} (comma-separated), valid for {@code validity}
     * (ssh-keygen's -V, e.g. "-5m:+1h").
     */
    public Builder hostCertificate(Path caKey, String principals, String validity) {
      certificate = new String[] {caKey.toString(), principals, validity};
      return this;
    }

    public Builder config(String line) {
      extra.add(line);
      return this;
    }

    public Sshd start() throws IOException {
      Quick.skipsWhatNeeds("an sshd");
      if (!Files.isExecutable(SSHD)) {
        throw new IllegalStateException(
            "sshd not found at "
                + SSHD
                + ": the SSH tests need OpenSSH's server (apt-get install openssh-server; scripts/test installs it)");
      }
      TestUser user = TestUser.get();
      Path dir = Files.createTempDirectory("jbolt-sshd");
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
      if (hostKeyFrom != null) {
        Files.copy(hostKeyFrom.resolve("host_ed25519"), dir.resolve("host_ed25519"));
        Files.copy(hostKeyFrom.resolve("host_ed25519.pub"), dir.resolve("host_ed25519.pub"));
      } else {
        Cmd.run(
            "ssh-keygen",
            "-q",
            "-t",
            "ed25519",
            "-N",
            "",
            "-C",
            "jbolt-test-host",
            "-f",
            dir.resolve("host_ed25519").toString());
      }
      if (certificate != null) {
        Cmd.run(
            "ssh-keygen",
            "-q",
            "-s",
            certificate[0],
            "-I",
            "jbolt-test-host",
            "-h",
            "-n",
            certificate[1],
            "-V",
            certificate[2],
            dir.resolve("host_ed25519.pub").toString());
        extra.add("HostCertificate " + dir.resolve("host_ed25519-cert.pub"));
      }
      Files.copy(TestUser.key(), dir.resolve("id_ed25519"));
      Files.writeString(
          dir.resolve("authorized_keys"),
          Files.readString(TestUser.key().resolveSibling("id_ed25519.pub")));
      Files.setPosixFilePermissions(
          dir.resolve("authorized_keys"), PosixFilePermissions.fromString("rw-r--r--"));
      // The suite's forks pick ports side by side: a port taken between the pick and sshd's bind
      // is picked again.
      for (int attempt = 1; ; attempt++) {
        try {
          return start(user, dir, freePort());
        } catch (IllegalStateException e) {
          if (attempt == 3 || !e.getMessage().contains("Address already in use")) {
            throw e;
          }
        }
      }
    }

    private Sshd start(TestUser user, Path dir, int port) throws IOException {
      // sshd takes a keyword's first value: lines of config(...) come first, and so override
      List<String> conf = new ArrayList<>(extra);
      conf.addAll(
          List.of(
              "Port " + port,
              "ListenAddress " + listen,
              "HostKey " + dir.resolve("host_ed25519"),
              "PidFile " + dir.resolve("sshd.pid"),
              "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
              "UsePAM no",
              "StrictModes no",
              "PasswordAuthentication yes",
              "KbdInteractiveAuthentication no",
              "PermitRootLogin yes",
              "AllowUsers " + user.name(),
              "MaxStartups " + maxStartups,
              "MaxSessions " + maxSessions,
              "MaxAuthTries 20",
              "LogLevel VERBOSE",
              "PrintMotd no",
              "PrintLastLog no",
              "AllowTcpForwarding yes",
              "SetEnv SHLVL=1"));
      if (sftp) {
        conf.add("Subsystem sftp internal-sftp");
      }
      Path config = dir.resolve("sshd_config");
      Files.writeString(config, String.join("\n", conf) + "\n");
      Files.createDirectories(Path.of("/run/sshd"));
      Cmd.run(SSHD.toString(), "-t", "-f", config.toString());
      Sshd sshd = new Sshd(dir, port, launch(prefix, dir), listen, prefix);
      sshd.awaitListening();
      return sshd;
    }
  }

  private static Process launch(List<String> prefix, Path dir) throws IOException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.addAll(
        List.of(
            SSHD.toString(),
            "-D",
            "-f",
            dir.resolve("sshd_config").toString(),
            "-E",
            dir.resolve("sshd.log").toString()));
    return new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("sshd.out").toFile()))
        .start();
  }

  /** Stops this sshd and its connections, and starts it again on the same port: a "reboot". */
  public synchronized void restart() throws IOException {
    // Connections' own sshd processes and their commands outlive the listener: end them all.
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroy();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    sleep(300);
    process = launch(prefix, dir);
    awaitListening();
  }

  private void awaitListening() throws IOException {
    String address = listen.equals("0.0.0.0") ? "127.0.0.1" : listen;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "sshd exited: " + Files.readString(dir.resolve("sshd.out")) + log());
      }
      // Its own log says it listens (in another namespace our sockets cannot reach it; on this
      // loopback, a port that answers might be another fork's sshd).
      if (!log().contains("Server listening on")) {
        sleep(20);
        continue;
      }
      if (!prefix.isEmpty()) {
        return;
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(address, port), 200);
        return;
      } catch (IOException e) {
        sleep(20);
      }
    }
    throw new IllegalStateException(
        "sshd did not listen on " + address + ":" + port + ": " + log());
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  public int port() {
    return port;
  }

  public Path dir() {
    return dir;
  }

  public String user() {
    return TestUser.get().name();
  }

  /** The client key authorized here. */
  public Path key() {
    return dir.resolve("id_ed25519");
  }

  /** "ssh-ed25519 AAAA..." */
  public String hostKey() {
    return hostKeyLine.replaceFirst("\\s+\\S+$", "");
  }

  /** A known_hosts file trusting this server for the given addresses (default 127.0.0.1). */
  public Path knownHosts(String... addresses) throws IOException {
    List<String> lines = new ArrayList<>();
    for (String a : addresses.length == 0 ? new String[] {"127.0.0.1"} : addresses) {
      lines.add("[" + a + "]:" + port + " " + hostKey());
    }
    Path f = dir.resolve("known_hosts");
    Files.writeString(f, String.join("\n", lines) + "\n");
    return f;
  }

  public String log() {
    try {
      return Files.readString(dir.resolve("sshd.log"));
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * The processes this server runs for its connections (their sshd sessions and what those
   * started): none once every client has gone and nothing was left behind.
   */
  public long descendants() {
    return process.descendants().filter(ProcessHandle::isAlive).count();
  }

  /** Waits up to five seconds for {@link #descendants} to reach none; returns how many are left. */
  public long awaitNoDescendants() {
    for (int i = 0; i < 50 && descendants() > 0; i++) {
      sleep(100);
    }
    return descendants();
  }

  /** How many logins this server accepted, by key or password. */
  public long acceptedLogins() {
    return log()
        .lines()
        .filter(l -> l.contains("Accepted publickey") || l.contains("Accepted password"))
        .count();
  }

  /**
   * Kills the server as a crash would: the listener and every connection's sshd process, at once;
   * the commands they started are left as they are.
   */
  public void crash() {
    process
        .descendants()
        .filter(h -> h.info().command().orElse("").contains("sshd"))
        .forEach(ProcessHandle::destroyForcibly);
    kill();
  }

  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    // Its sessions first: one whose client never hangs up (a cut network, a stopped client) would
    // outlive the listener, re-parented to init, with the commands it runs.
    List<ProcessHandle> sessions = process.descendants().toList();
    process.destroy();
    sessions.forEach(ProcessHandle::destroyForcibly);
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // The log stays for post-mortems only as long as the temp dir does.
    Cmd.runQuietly("rm", "-rf", dir.toString());
  }
}
