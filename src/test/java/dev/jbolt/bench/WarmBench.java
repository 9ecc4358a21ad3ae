package dev.jbolt.bench;

import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * Warm runs against the tools people use for repeat runs, in one run on the same loopback targets
 * (one sshd for every 127.x address). jbolt runs through its launcher, as a user runs it, with its
 * warm processes in this bench's own directory. Run by bench/warm; figures in docs/performance.md.
 */
public final class WarmBench {
  private final Path repo;
  private final Path work;
  private final Sshd sshd;
  private final Map<String, List<Double>> times = new LinkedHashMap<>();

  private WarmBench(Path repo, Path work, Sshd sshd) {
    this.repo = repo;
    this.work = work;
    this.sshd = sshd;
  }

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
    int runs = Integer.parseInt(System.getenv().getOrDefault("RUNS", "9"));
    int runs500 = Integer.parseInt(System.getenv().getOrDefault("RUNS_500", "3"));
    int sessions = Integer.parseInt(System.getenv().getOrDefault("SESSIONS", "1000"));
    Path work = Files.createTempDirectory("jbolt-warm-bench");
    try (Sshd sshd = Sshd.builder().anyAddress().config("MaxSessions 20").start()) {
      WarmBench b = new WarmBench(repo, work, sshd);
      b.setUp(Math.max(500, sessions));
      System.out.printf(
          Locale.ROOT,
          "machine: %d cores; sshd: OpenSSH on 0.0.0.0:%d for 127.x addresses; median of %d runs"
              + " (%d at 500 targets)%n%n",
          Runtime.getRuntime().availableProcessors(),
          sshd.port(),
          runs,
          runs500);
      List<String> only =
          List.of(
              System.getenv()
                  .getOrDefault("SECTIONS", "client,1,10,plan,500,cpu,memory")
                  .split(","));
      if (only.contains("client")) {
        b.client();
      }
      if (only.contains("1")) {
        b.one(runs);
      }
      if (only.contains("10")) {
        b.ten(runs);
      }
      if (only.contains("plan")) {
        b.plan();
      }
      if (only.contains("500")) {
        b.fiveHundred(runs500);
      }
      if (only.contains("cpu")) {
        b.cpu(10);
        b.cpu(500);
      }
      if (only.contains("memory") && sessions > 0) {
        b.memory(sessions);
      }
    } finally {
      new WarmBench(repo, work, null).stopWarm();
      // ssh's and ansible's ControlMaster processes: their command lines name this directory
      new ProcessBuilder("pkill", "-f", work.toString()).start().waitFor();
      new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
    }
  }

  private void setUp(int max) throws Exception {
    Files.createDirectories(
        work.resolve("rt"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    List<String> all = Bench.hosts(max);
    StringBuilder inv = new StringBuilder(Projects.sshConfig(sshd)).append("groups:\n");
    sshd.knownHosts(all.toArray(String[]::new));
    for (int n : new TreeSet<>(List.of(1, 10, 500, max))) {
      inv.append("  - name: n")
          .append(n)
          .append("\n    targets: [")
          .append(String.join(", ", Bench.hosts(n)))
          .append("]\n");
    }
    Projects.withInventory(work, inv.toString());
    Files.writeString(work.resolve("jbolt-project.yaml"), "name: bench\npersist: 600\n");
    String base =
        "Host 127.*\n  Port "
            + sshd.port()
            + "\n  User "
            + sshd.user()
            + "\n  IdentityFile "
            + sshd.key()
            + "\n  IdentitiesOnly yes\n  StrictHostKeyChecking no\n"
            + "  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n";
    Files.writeString(work.resolve("ssh_config"), base);
    Files.createDirectories(work.resolve("cm"));
    Files.writeString(
        work.resolve("ssh_config_cm"),
        base
            + "  ControlMaster auto\n  ControlPath "
            + work.resolve("cm")
            + "/%C\n  ControlPersist 600\n");
    Files.writeString(
        work.resolve("ansible.cfg"),
        "[defaults]\nhost_key_checking = False\ninterpreter_python = /usr/bin/python3\n"
            + "deprecation_warnings = False\n\n[ssh_connection]\nssh_args = -F "
            + work.resolve("ssh_config")
            + " -o ControlMaster=auto -o ControlPersist=600s\npipelining = True\ncontrol_path_dir = "
            + work.resolve("acp")
            + "\n");
    for (int n : new int[] {1, 10, 500}) {
      Files.writeString(work.resolve("hosts" + n), String.join("\n", Bench.hosts(n)) + "\n");
    }
    Files.createDirectories(work.resolve("plans"));
    Files.writeString(
        work.resolve("plans/first.js"),
        "export default function () { return run_command('true', 'n10').count(); }\n");
  }

  private List<String> jbolt(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of("env", "-u", "JBOLT_PERSIST", "XDG_RUNTIME_DIR=" + work.resolve("rt")));
    cmd.add(repo.resolve("jbolt").toString());
    cmd.addAll(List.of(args));
    return cmd;
  }

  private List<String> ssh(String config, String host) {
    return List.of("ssh", "-F", work.resolve(config).toString(), host, "true");
  }

  private List<String> pdsh(int n) {
    return List.of(
        "env",
        "PDSH_SSH_ARGS_APPEND=-F " + work.resolve("ssh_config"),
        "pdsh",
        "-R",
        "ssh",
        "-f",
        String.valueOf(Math.min(n, 256)),
        "-w",
        String.join(",", Bench.hosts(n)),
        "true");
  }

  private List<String> clush(String config, int n) {
    return List.of(
        "clush",
        "-o",
        "-F " + work.resolve(config),
        "-f",
        String.valueOf(Math.min(n, 256)),
        "-w",
        String.join(",", Bench.hosts(n)),
        "true");
  }

  private List<String> ansible(int n) {
    return List.of(
        "env",
        "ANSIBLE_CONFIG=" + work.resolve("ansible.cfg"),
        "ansible",
        "all",
        "-i",
        work.resolve("hosts" + n).toString(),
        "-f",
        String.valueOf(Math.min(n, 100)),
        "-m",
        "raw",
        "-a",
        "true");
  }

  /** Runs {@code cmd} once; returns milliseconds (a failure is printed, not hidden). */
  private double time(String label, List<String> cmd) throws Exception {
    double ms = Bench.run(work, label, cmd, 900);
    if (label != null) {
      times.computeIfAbsent(label, k -> new ArrayList<>()).add(ms);
    }
    return ms;
  }

  private void stopWarm() {
    Cmd.runQuietly(
        "sh", "-c", "pkill -f 'dev[.]jbolt[.]cli[.]Warm " + work.resolve("rt") + "/' || true");
    for (int i = 0; i < 50 && !warmPids().isEmpty(); i++) {
      sleep(100);
    }
  }

  private List<String> warmPids() {
    return Cmd.run(
            "sh", "-c", "pgrep -f 'dev[.]jbolt[.]cli[.]Warm " + work.resolve("rt") + "/' || true")
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Each tool {@code runs} times, interleaved; {@code before} runs unmeasured before each. */
  private void measure(
      String title, Map<String, List<String>> row, Map<String, Runnable> before, int runs)
      throws Exception {
    times.clear();
    for (int r = 0; r < runs; r++) {
      for (var e : row.entrySet()) {
        before.getOrDefault(e.getKey(), () -> {}).run();
        time(e.getKey(), e.getValue());
      }
    }
    Bench.table(title, "ratio to the first", times, "%.3f s", "%.2fx");
  }

  /** Warms what is measured warm: jbolt's warm process, ssh's and clush's masters, ansible's. */
  private void warmUp(int n) throws Exception {
    time(null, jbolt("command", "run", "true", "-t", "n" + n));
    time(null, clush("ssh_config_cm", n));
    if (n <= 10) {
      time(null, ansible(n));
    }
  }

  private Runnable cold() {
    return () -> {
      stopWarm();
    };
  }

  private void one(int runs) throws Exception {
    String h = Bench.hosts(1).get(0);
    warmUp(1);
    time(null, ssh("ssh_config_cm", h));
    Map<String, List<String>> row = new LinkedHashMap<>();
    row.put("jbolt, warm", jbolt("command", "run", "true", "-t", h));
    row.put("jbolt --no-persist (cold)", jbolt("command", "run", "true", "-t", h, "--no-persist"));
    row.put("ssh HOST true (one-shot)", ssh("ssh_config", h));
    row.put("ssh HOST true (ControlMaster, warm)", ssh("ssh_config_cm", h));
    row.put("pdsh -w HOST", pdsh(1));
    row.put("clush -w HOST", clush("ssh_config", 1));
    row.put("ansible raw (ControlPersist, warm)", ansible(1));
    measure("One target: `true`", row, Map.of(), runs);
  }

  private void ten(int runs) throws Exception {
    warmUp(10);
    Map<String, List<String>> row = new LinkedHashMap<>();
    row.put("jbolt, warm", jbolt("command", "run", "true", "-t", "n10"));
    row.put(
        "jbolt, cold (first run: starts the warm process)",
        jbolt("command", "run", "true", "-t", "n10"));
    row.put(
        "jbolt --no-persist (cold)", jbolt("command", "run", "true", "-t", "n10", "--no-persist"));
    row.put("pdsh -f 10 (cold)", pdsh(10));
    row.put("clush -f 10 (cold)", clush("ssh_config", 10));
    row.put("clush -f 10 (ControlMaster, warm)", clush("ssh_config_cm", 10));
    row.put("ansible raw (ControlPersist, warm)", ansible(10));
    // the warm row after the cold one re-warms it: the cold row stops the warm process first
    measure(
        "10 targets: `true`",
        row,
        Map.of(
            "jbolt, cold (first run: starts the warm process)",
            cold(),
            "jbolt, warm",
            () -> warmQuietly(10)),
        runs);
  }

  private void warmQuietly(int n) {
    try {
      if (warmPids().isEmpty()) {
        time(null, jbolt("command", "run", "true", "-t", "n" + n));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void plan() throws Exception {
    warmQuietly(10);
    long before = sshd.acceptedLogins();
    double ms = time(null, jbolt("plan", "run", "first"));
    System.out.printf(
        Locale.ROOT,
        "### A plan's first run_command on 10 warm targets%n%.3f s, %d new SSH logins (10 without the warm process)%n%n",
        ms / 1000,
        sshd.acceptedLogins() - before);
  }

  private void fiveHundred(int runs) throws Exception {
    Map<String, List<String>> row = new LinkedHashMap<>();
    row.put("jbolt, second run (warm)", jbolt("command", "run", "true", "-t", "n500"));
    row.put("jbolt, first run (cold)", jbolt("command", "run", "true", "-t", "n500"));
    row.put("pdsh -f 256 (cold)", pdsh(500));
    row.put("clush -f 256 (cold)", clush("ssh_config", 500));
    row.put("clush -f 256 (ControlMaster, warm)", clush("ssh_config_cm", 500));
    time(null, clush("ssh_config_cm", 500));
    measure(
        "500 targets: `true`",
        row,
        Map.of(
            "jbolt, first run (cold)", cold(), "jbolt, second run (warm)", () -> warmQuietly(500)),
        runs);
  }

  /** Busy jiffies of the whole machine (user, nice, system, irq, softirq). */
  private static long machineCpu() throws Exception {
    String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
    return Long.parseLong(f[1])
        + Long.parseLong(f[2])
        + Long.parseLong(f[3])
        + Long.parseLong(f[6])
        + Long.parseLong(f[7]);
  }

  /** utime + stime of a process, in jiffies. */
  private static long processCpu(String pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Where the CPU of one warm run on {@code n} targets goes: jbolt's warm process, the rest. */
  private void cpu(int n) throws Exception {
    warmQuietly(n);
    time(null, jbolt("command", "run", "true", "-t", "n" + n));
    String pid = warmPids().get(0);
    long m0 = machineCpu();
    long p0 = processCpu(pid);
    double ms = time(null, jbolt("command", "run", "true", "-t", "n" + n));
    long m1 = machineCpu();
    long p1 = processCpu(pid);
    System.out.printf(
        Locale.ROOT,
        "warm run on %d targets: %.2f s wall; CPU: jbolt's warm process %.2f s, everything else"
            + " (sshd's session processes, the targets' shells, the client) %.2f s%n%n",
        n,
        ms / 1000,
        (p1 - p0) / 100.0,
        ((m1 - m0) - (p1 - p0)) / 100.0);
  }

  private long rssKb(String pid) throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc", pid, "status"))) {
      if (l.startsWith("VmRSS:")) {
        return Long.parseLong(l.replaceAll("[^0-9]", ""));
      }
    }
    return -1;
  }

  private String heap() throws Exception {
    time(null, jbolt("persist", "status"));
    return Files.readString(work.resolve("last.out"))
        .lines()
        .filter(l -> l.contains("heap"))
        .findFirst()
        .orElse("?")
        .strip();
  }

  private void memory(int n) throws Exception {
    stopWarm();
    time(null, jbolt("command", "run", "true", "-t", "n1"));
    String pid = warmPids().get(0);
    long rss1 = rssKb(pid);
    String heap1 = heap();
    double ms = time(null, jbolt("command", "run", "true", "-t", "n" + n));
    long rssN = rssKb(pid);
    String heapN = heap();
    double ms2 = time(null, jbolt("command", "run", "true", "-t", "n" + n));
    System.out.printf(
        Locale.ROOT,
        "### Memory of the warm process per kept session%n"
            + "1 session: RSS %d MB, %s; %d sessions (first run %.1f s, second %.2f s): RSS %d MB, %s%n"
            + "per kept session: %.1f KB of RSS%n%n",
        rss1 >> 10,
        heap1,
        n,
        ms / 1000,
        ms2 / 1000,
        rssN >> 10,
        heapN,
        (rssN - rss1) / (double) (n - 1));
    stopWarm();
  }

  /** The client's own start-up, and a whole warm round trip without SSH. */
  private void client() throws Exception {
    Map<String, List<String>> row = new LinkedHashMap<>();
    row.put("perl -e 1 (the interpreter alone)", List.of("perl", "-e", "1"));
    row.put(
        "warm client, start to hand-over (exec of a no-op)",
        List.of(
            "env",
            "JBOLT_WARM_LAUNCHER=/bin/true",
            "perl",
            repo.resolve("scripts/warm-client.pl").toString(),
            "persist"));
    row.put("jbolt --version, warm (launcher, client, warm process)", jbolt("--version"));
    row.put("jbolt --version --no-persist (launcher, JVM)", jbolt("--version", "--no-persist"));
    time(null, jbolt("--version"));
    measure("The client's start-up", row, Map.of(), 15);
  }
}
