package dev.jbolt.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs jbolt's main in a fresh JVM: for what a JVM reads once, such as the home directory. */
public final class Jvm {
  private Jvm() {}

  public static Cli.Outcome run(Path cwd, Path home, String... args)
      throws IOException, InterruptedException {
    return run(cwd, home, Map.of(), args);
  }

  /** As {@link #run(Path, Path, String...)}, with extra environment variables. */
  public static Cli.Outcome run(Path cwd, Path home, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    return runWithInput(cwd, home, env, "", args);
  }

  /** With {@code stdin} as the process's standard input (a password prompt's answer, say). */
  public static Cli.Outcome runWithInput(
      Path cwd, Path home, Map<String, String> env, String stdin, String... args)
      throws IOException, InterruptedException {
    Process p = start(List.of(), cwd, home, env, args);
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    return finish(p, String.join(" ", args));
  }

  /**
   * The collector ./jbolt gives the JVM. Not its C1-only JIT: that makes bulk output about four
   * times slower to take in (MemoryBudgetTest's 200 targets of 8 MB: 78 s against 21 s), which
   * costs the suite a minute for nothing it tests.
   */
  public static final List<String> LAUNCHER_FLAGS = List.of("-XX:+UseSerialGC");

  /** Starts jbolt behind {@code prefix} (say, {@code ip netns exec NAME}); stdin is left open. */
  public static Process start(
      List<String> prefix, Path cwd, Path home, Map<String, String> env, String... args)
      throws IOException {
    return start(prefix, List.of(), cwd, home, env, args);
  }

  /**
   * As {@link #start(List, Path, Path, java.util.Map, String...)}, with options for the JVM
   * (-Xmx...).
   */
  public static Process start(
      List<String> prefix,
      List<String> jvmOptions,
      Path cwd,
      Path home,
      Map<String, String> env,
      String... args)
      throws IOException {
    Quick.skipsWhatNeeds("another JVM");
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(LAUNCHER_FLAGS);
    cmd.addAll(jvmOptions);
    cmd.addAll(
        List.of(
            "-Duser.home=" + home,
            "-cp",
            System.getProperty("java.class.path"),
            "dev.jbolt.cli.Main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().remove("SSH_AUTH_SOCK");
    pb.environment().putAll(env);
    return pb.start();
  }

  /** Waits for a started jbolt (at most two minutes) and returns what it did. */
  public static Cli.Outcome finish(Process p, String what)
      throws IOException, InterruptedException {
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    byte[] err = p.getErrorStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("jbolt did not finish: " + what);
    }
    return new Cli.Outcome(p.exitValue(), out, new String(err, StandardCharsets.UTF_8));
  }
}
