package dev.jbolt.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * jbolt through its warm client ({@code scripts/warm-client.pl}), as the launcher runs it, with a
 * launcher of the test's own that starts the warm process and cold runs on the test classpath.
 * Sockets and logs go to {@code dir/rt} (XDG_RUNTIME_DIR); {@link #close} stops every warm process.
 */
public final class WarmClient implements AutoCloseable {
  private final Path dir;
  private final Path home;
  private final Path launcher;
  private final Path stamp;
  private String umask;

  public WarmClient(Path dir, Path home) throws IOException {
    this(dir, home, Jvm.java());
  }

  /** With {@code java} as the JVM's command line up to its class (see {@link Jvm#java()}). */
  public WarmClient(Path dir, Path home, List<String> java) throws IOException {
    Quick.skipsWhatNeeds("a warm process");
    this.dir = dir;
    this.home = home;
    Files.createDirectories(
        runtimeDir(),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    String head = "'" + String.join("' '", java) + "' -Duser.home='" + home + "'";
    launcher = dir.resolve("launcher");
    Files.writeString(
        launcher,
        "#!/bin/bash\n"
            + "if [[ $1 == --jbolt-warm-daemon ]]; then exec "
            + head
            + " dev.jbolt.cli.Warm \"$2\" \"$3\"; fi\n"
            + "exec "
            + head
            + " dev.jbolt.cli.Main \"$@\"\n");
    launcher.toFile().setExecutable(true);
    stamp = dir.resolve("build-stamp");
    Files.writeString(stamp, "1");
  }

  /** Starts later clients under {@code umask} (octal, as the shell's umask takes it). */
  public WarmClient umask(String umask) {
    this.umask = umask;
    return this;
  }

  /** The directory of the sockets and logs. */
  public Path sockets() {
    return runtimeDir().resolve("jbolt");
  }

  private Path runtimeDir() {
    return dir.resolve("rt");
  }

  /** Starts the client in {@code cwd}; stdin is left open. */
  public Process start(Path cwd, Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    if (umask != null) {
      cmd.addAll(List.of("sh", "-c", "umask " + umask + "; exec \"$@\"", "sh"));
    }
    cmd.addAll(List.of("perl", Path.of("scripts/warm-client.pl").toAbsolutePath().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().remove("SSH_AUTH_SOCK");
    pb.environment().remove("JBOLT_PERSIST");
    pb.environment().put("HOME", home.toString());
    pb.environment().put("XDG_RUNTIME_DIR", runtimeDir().toString());
    pb.environment().put("JBOLT_WARM_LAUNCHER", launcher.toString());
    pb.environment().put("JBOLT_WARM_JAR", stamp.toString());
    pb.environment().putAll(env);
    return pb.start();
  }

  public Cli.Outcome run(Path cwd, String... args) throws IOException, InterruptedException {
    return run(cwd, Map.of(), "", args);
  }

  public Cli.Outcome run(Path cwd, Map<String, String> env, String stdin, String... args)
      throws IOException, InterruptedException {
    Process p = start(cwd, env, args);
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    return Jvm.finish(p, String.join(" ", args));
  }

  /** The PIDs of the warm processes that serve this client's sockets. */
  public List<Long> warmProcesses() {
    String out =
        Cmd.run("sh", "-c", "pgrep -f 'dev[.]jbolt[.]cli[.]Warm " + sockets() + "/' || true");
    return out.lines().filter(l -> !l.isBlank()).map(Long::parseLong).toList();
  }

  /** Everything the warm processes logged. */
  public String log() throws IOException {
    StringBuilder b = new StringBuilder();
    if (Files.isDirectory(sockets())) {
      try (var files = Files.list(sockets())) {
        for (Path p : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
          b.append(Files.readString(p));
        }
      }
    }
    return b.toString();
  }

  @Override
  public void close() {
    for (long pid : warmProcesses()) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
    for (long pid : warmProcesses()) {
      ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
    }
  }
}
