package dev.jbolt.bench;

import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a cold one-target run's time goes: ./jbolt {@code command run true} against a real OpenSSH
 * on loopback, with {@code --log-level debug}; each line of the log is stamped when it arrives,
 * from the moment the process was started, and the phases between the lines are printed (medians of
 * RUNS). Run by bench/startup; the key exchange is the sshd's default (named in the output).
 */
public final class Timeline {
  /** The log lines that end each phase, in order, and what the phase is called. */
  private static final Map<String, String> PHASES = new LinkedHashMap<>();

  static {
    PHASES.put("Starting:", "JVM start, command line, project and inventory read");
    PHASES.put("negotiated with", "TCP connect, version and algorithm negotiation");
    PHASES.put("host key of", "key exchange (key pair, server's reply, shared secret, host key)");
    PHASES.put("logged in", "user authentication");
    PHASES.put("exec channel", "exec channel open");
    PHASES.put("total in", "command run, results printed");
  }

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
    int runs = Integer.parseInt(System.getenv().getOrDefault("RUNS", "9"));
    try (Sshd sshd = Sshd.start()) {
      Path project = Files.createTempDirectory("jbolt-timeline");
      try {
        Projects.withInventory(project, Projects.sshConfig(sshd) + "targets: [127.0.0.1]\n");
        Map<String, List<Double>> at = new LinkedHashMap<>();
        PHASES.keySet().forEach(k -> at.put(k, new ArrayList<>()));
        List<Double> whole = new ArrayList<>();
        String kex = "?";
        for (int i = 0; i < runs + 1; i++) {
          ProcessBuilder pb =
              new ProcessBuilder(
                      repo.resolve("jbolt").toString(),
                      "command",
                      "run",
                      "true",
                      "-t",
                      "127.0.0.1",
                      "--log-level",
                      "debug")
                  .directory(project.toFile())
                  .redirectErrorStream(true);
          pb.environment().put("JBOLT_PERSIST", "0");
          long t0 = System.nanoTime();
          Process p = pb.start();
          Map<String, Double> seen = new LinkedHashMap<>();
          try (BufferedReader r =
              new BufferedReader(
                  new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
              double ms = (System.nanoTime() - t0) / 1e6;
              for (String k : PHASES.keySet()) {
                if (line.contains(k) && !seen.containsKey(k)) {
                  seen.put(k, ms);
                }
              }
              Matcher m = Pattern.compile("kex ([^,\\s]+)").matcher(line);
              if (m.find()) {
                kex = m.group(1);
              }
            }
          }
          p.waitFor();
          double end = (System.nanoTime() - t0) / 1e6;
          if (i == 0) {
            continue; // the first run may build the jar and train the start-up cache
          }
          if (p.exitValue() != 0 || seen.size() != PHASES.size()) {
            throw new IllegalStateException("run failed or its log changed: " + seen.keySet());
          }
          seen.forEach((k, ms) -> at.get(k).add(ms));
          whole.add(end);
        }
        System.out.printf(
            Locale.ROOT,
            "one target, cold (a process per run), kex %s; %d runs, medians, ms from the start%n%n",
            kex,
            runs);
        System.out.println("| phase | ends at | takes |");
        System.out.println("|---|---|---|");
        double before = 0;
        for (var e : PHASES.entrySet()) {
          double t = Bench.median(at.get(e.getKey()));
          System.out.printf(
              Locale.ROOT, "| %s | %.0f ms | %.0f ms |%n", e.getValue(), t, t - before);
          before = t;
        }
        System.out.printf(
            Locale.ROOT,
            "| process exit | %.0f ms | %.0f ms |%n",
            Bench.median(whole),
            Bench.median(whole) - before);
        bigKnownHosts(repo, project, runs);
      } finally {
        new ProcessBuilder("rm", "-rf", project.toString()).start().waitFor();
      }
    }
  }

  /**
   * The same one-target run with 2,500 lines in known_hosts (the target's and 2,499 other hosts',
   * as a site with thousands of servers has): what the file costs a run.
   */
  private static void bigKnownHosts(Path repo, Path project, int runs) throws Exception {
    Matcher m =
        Pattern.compile("known-hosts-file: (\\S+)")
            .matcher(Files.readString(project.resolve("inventory.yaml")));
    if (!m.find()) {
      throw new IllegalStateException("no known-hosts-file in the inventory");
    }
    Path file = Path.of(m.group(1));
    String own = Files.readString(file);
    String key = own.lines().findFirst().orElseThrow().split(" ", 2)[1];
    StringBuilder big = new StringBuilder();
    for (int i = 0; i < 2499; i++) {
      big.append("web").append(i).append(".example.com ").append(key).append('\n');
    }
    Files.writeString(file, big + own);
    List<Double> walls = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      ProcessBuilder pb =
          new ProcessBuilder(
                  repo.resolve("jbolt").toString(), "command", "run", "true", "-t", "127.0.0.1")
              .directory(project.toFile())
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectErrorStream(true);
      pb.environment().put("JBOLT_PERSIST", "0");
      long t0 = System.nanoTime();
      if (pb.start().waitFor() != 0) {
        throw new IllegalStateException("the run with a large known_hosts failed");
      }
      walls.add((System.nanoTime() - t0) / 1e6);
    }
    System.out.printf(
        Locale.ROOT,
        "%nthe same run, known_hosts of 2,500 lines: %.0f ms (median of %d)%n",
        Bench.median(walls),
        runs);
  }
}
