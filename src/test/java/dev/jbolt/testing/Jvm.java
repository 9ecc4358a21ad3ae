package dev.jbolt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

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
   * The flags ./jbolt gives the JVM (C1 only, the serial collector, ...), read from the launcher
   * itself: a run in a test costs what it costs a user, and a third less CPU than tiered
   * compilation (a local command 0.56 s against 0.81 s, a plan 2.2 s against 3.7 s). A test of bulk
   * output adds {@link #TIERED}.
   */
  public static final List<String> LAUNCHER_FLAGS = launcherFlags();

  /**
   * Full tiered compilation, after {@link #LAUNCHER_FLAGS}: for a JVM that takes in gigabytes of
   * output, which C1 alone makes about four times slower (MemoryBudgetTest: 78 s against 21 s).
   */
  public static final String TIERED = "-XX:TieredStopAtLevel=4";

  private static final Path JAR = Path.of("target", "jbolt.jar").toAbsolutePath();

  /** The launcher's cache for plans, the larger of its two: the tests' JVMs run every kind. */
  private static final Path AOT = Path.of("target", "jbolt-plan.aot").toAbsolutePath();

  private static List<String> classpath;

  /**
   * The command line that starts a JVM as ./jbolt does, up to its class path: add the class. When
   * the build's jar is fresh (Maven makes it before the tests run), the JVM runs from it with the
   * launcher's start-up cache (target/jbolt-plan.aot, trained once here as ./jbolt trains it, and
   * shared with it): a plan's JVM then takes 1.2 s of CPU instead of 2.4 s. Otherwise (a test run
   * from a build without the jar) the tests' own class path, without the cache.
   */
  public static List<String> java() {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin().toString());
    cmd.addAll(LAUNCHER_FLAGS);
    cmd.addAll(classpath());
    return cmd;
  }

  /**
   * As {@link #java()}, always on the tests' own class path (target/classes, no start-up cache):
   * for a test that touches the code a JVM runs, which must not be the jar other tests share.
   */
  public static List<String> onTestClassPath() {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBin().toString());
    cmd.addAll(LAUNCHER_FLAGS);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    return cmd;
  }

  private static Path javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  private static List<String> launcherFlags() {
    try {
      String launcher = Files.readString(Path.of("jbolt"));
      Matcher m = Pattern.compile("\\nflags=\\(([^)]*)\\)").matcher(launcher);
      if (!m.find()) {
        throw new IllegalStateException("./jbolt has no flags=(...) line");
      }
      return List.of(m.group(1).strip().split("\\s+"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static synchronized List<String> classpath() {
    if (classpath == null) {
      classpath =
          fresh()
              ? List.of(
                  "-XX:AOTCache=" + AOT, "-Xlog:aot=off", "-Xlog:cds=off", "-cp", JAR.toString())
              : List.of("-cp", System.getProperty("java.class.path"));
    }
    return classpath;
  }

  /** Whether the jar holds today's classes; trains the start-up cache when it is missing. */
  private static boolean fresh() {
    try {
      if (!Files.isRegularFile(JAR)) {
        return false;
      }
      FileTime jar = Files.getLastModifiedTime(JAR);
      try (Stream<Path> classes = Files.walk(Path.of("target", "classes"))) {
        if (classes.anyMatch(f -> Files.isRegularFile(f) && modified(f).compareTo(jar) > 0)) {
          return false;
        }
      }
      train(jar);
      return Files.isRegularFile(AOT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * ./jbolt's training run (dev.jbolt.cli.Train, about 10 s), once for all test forks under a file
   * lock, written under another name and moved, as the launcher does: a cache older than the jar is
   * made again. A training run that fails leaves no cache, and the JVMs run without one.
   */
  private static void train(FileTime jar) throws IOException {
    Path lock = AOT.resolveSibling(AOT.getFileName() + ".lock");
    try (FileChannel ch =
            FileChannel.open(lock, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock ignored = ch.lock()) {
      if (Files.isRegularFile(AOT) && Files.getLastModifiedTime(AOT).compareTo(jar) >= 0) {
        return;
      }
      Path out = AOT.resolveSibling(AOT.getFileName() + "." + ProcessHandle.current().pid());
      List<String> cmd = new ArrayList<>(List.of(javaBin().toString()));
      cmd.addAll(LAUNCHER_FLAGS);
      cmd.addAll(
          List.of(
              "-Xlog:aot=off",
              "-Xlog:cds=off",
              "-XX:AOTCacheOutput=" + out,
              "-cp",
              JAR.toString(),
              "dev.jbolt.cli.Train",
              "plan"));
      Path tmp = Files.createTempDirectory("jbolt-train");
      Process p =
          new ProcessBuilder(cmd)
              .directory(tmp.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectErrorStream(true)
              .start();
      try {
        if (p.waitFor(300, TimeUnit.SECONDS) && p.exitValue() == 0 && Files.isRegularFile(out)) {
          Files.move(out, AOT, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        p.destroyForcibly();
        Files.deleteIfExists(out);
        Cmd.runQuietly("rm", "-rf", tmp.toString());
      }
    }
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
    cmd.addAll(List.of("-Duser.home=" + home, "dev.jbolt.cli.Main"));
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
