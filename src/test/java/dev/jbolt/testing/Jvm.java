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
   * The JIT and collector ./jbolt gives the JVM (C1 only, serial): a run in a test costs what it
   * costs a user, and a third less CPU than tiered compilation (a local command 0.56 s against 0.81
   * s, a plan 2.2 s against 3.7 s). A test of bulk output adds {@link #TIERED}.
   */
  public static final List<String> LAUNCHER_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  /**
   * Full tiered compilation, after {@link #LAUNCHER_FLAGS}: for a JVM that takes in gigabytes of
   * output, which C1 alone makes about four times slower (MemoryBudgetTest: 78 s against 21 s).
   */
  public static final String TIERED = "-XX:TieredStopAtLevel=4";

  /** The command line that starts a JVM as ./jbolt does, on the tests' classpath: add the class. */
  public static List<String> java() {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(LAUNCHER_FLAGS);
    return cmd;
  }

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
    cmd.addAll(java());
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
