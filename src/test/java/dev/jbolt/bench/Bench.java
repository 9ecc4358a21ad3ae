package dev.jbolt.bench;

import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * jbolt against pdsh, clush and ansible on the same loopback targets: one OpenSSH sshd answering
 * for every 127.x address (MaxStartups raised, as separate hosts would each have their own), a
 * dedicated login user, generated keys. Each workload runs for each tool RUNS times, interleaved;
 * the table gives medians and each tool's ratio to jbolt. Run by bench/run.
 */
public final class Bench {
  private final Path repo;
  private final Path work;
  private final Sshd sshd;
  private final int runs;
  private final boolean full;
  private final Map<String, List<Double>> times = new LinkedHashMap<>();

  private Bench(Path repo, Path work, Sshd sshd, int runs, boolean full) {
    this.repo = repo;
    this.work = work;
    this.sshd = sshd;
    this.runs = runs;
    this.full = full;
  }

  /** The key exchange both sides negotiated, named in every table's title. */
  private String kex = "";

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
    int runs = Integer.parseInt(System.getenv().getOrDefault("RUNS", "3"));
    boolean full = "1".equals(System.getenv("BENCH_FULL"));
    List<String> only =
        System.getenv("WORKLOADS") == null
            ? List.of("W1", "W2", "W3")
            : List.of(System.getenv("WORKLOADS").split(","));
    // Every workload twice: with the servers' default key exchange, then with the servers limited
    // to curve25519-sha256, so that each tool is compared with the others on one exchange.
    List<String> exchanges =
        List.of(System.getenv().getOrDefault("KEX", "default,curve25519-sha256").split(","));
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores; %d runs each, median; one sshd (OpenSSH, 0.0.0.0) for 127.x addresses%n%n",
        Runtime.getRuntime().availableProcessors(),
        runs);
    for (String exchange : exchanges) {
      Sshd.Builder sb = Sshd.builder().anyAddress().config("MaxSessions 20");
      if (!exchange.equals("default")) {
        sb.config("KexAlgorithms " + exchange);
      }
      Path work = Files.createTempDirectory("jbolt-bench");
      try (Sshd sshd = sb.start()) {
        Bench b = new Bench(repo, work, sshd, runs, full);
        b.setUp();
        if (System.getenv("LAB") != null) { // bench/run's targets kept up for experiments by hand
          Path flag = Path.of(System.getenv("LAB"));
          Files.writeString(flag, work + "\n");
          System.out.println("lab: project " + work + "; remove " + flag + " to stop");
          while (Files.exists(flag)) {
            Thread.sleep(500);
          }
          continue;
        }
        b.negotiated(exchange);
        if (only.contains("W1")) {
          b.w1();
        }
        if (only.contains("W2")) {
          b.w2();
        }
        if (only.contains("W3")) {
          b.w3();
        }
      } finally {
        new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
      }
    }
  }

  /**
   * What each side negotiated with these servers: jbolt (its debug log) and OpenSSH's ssh, which
   * pdsh, clush and ansible run with the same config. A table's title names the exchange.
   */
  private void negotiated(String exchange) throws Exception {
    run(
        work,
        "kex of jbolt",
        jbolt("command", "run", "true", "-t", "127.0.0.2", "--log-level", "debug"),
        120);
    String ours =
        find(Files.readString(work.resolve("last.out")), "negotiated with \\S+: kex ([^,\\s]+)");
    run(
        work,
        "kex of ssh",
        List.of("ssh", "-F", work.resolve("ssh_config").toString(), "-v", "127.0.0.2", "true"),
        120);
    String theirs = find(Files.readString(work.resolve("last.out")), "kex: algorithm: (\\S+)");
    kex = ours.equals(theirs) ? ours : "jbolt " + ours + ", ssh " + theirs;
    System.out.printf(
        Locale.ROOT,
        "## servers' KexAlgorithms: %s; negotiated: jbolt %s, OpenSSH's ssh (pdsh, clush, ansible) %s%n%n",
        exchange.equals("default") ? "OpenSSH's default" : exchange,
        ours,
        theirs);
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : "?";
  }

  static List<String> hosts(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("127.0." + (i / 250) + "." + (i % 250 + 2));
    }
    return out;
  }

  private void setUp() throws IOException {
    List<String> all = hosts(500);
    StringBuilder inv = new StringBuilder(Projects.sshConfig(sshd)).append("groups:\n");
    sshd.knownHosts(
        all.toArray(String[]::new)); // after sshConfig(), which writes one for 127.0.0.1
    for (int n : new int[] {10, 50, 100, 500}) {
      inv.append("  - name: n")
          .append(n)
          .append("\n    targets: [")
          .append(String.join(", ", hosts(n)))
          .append("]\n");
    }
    Projects.withInventory(work, inv.toString());
    Files.writeString(
        work.resolve("ssh_config"),
        "Host 127.*\n  Port "
            + sshd.port()
            + "\n  User "
            + sshd.user()
            + "\n  IdentityFile "
            + sshd.key()
            + "\n  IdentitiesOnly yes\n  StrictHostKeyChecking no\n"
            + "  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n");
    Files.writeString(
        work.resolve("ansible.cfg"),
        "[defaults]\nhost_key_checking = False\ninterpreter_python = /usr/bin/python3\n"
            + "deprecation_warnings = False\n\n[ssh_connection]\nssh_args = -F "
            + work.resolve("ssh_config")
            + " -o ControlMaster=auto -o ControlPersist=120s\npipelining = True\ncontrol_path_dir = "
            + work.resolve("cp")
            + "\n");
    for (int n : new int[] {10, 50, 100, 500}) {
      Files.writeString(work.resolve("hosts" + n), String.join("\n", hosts(n)) + "\n");
    }
    // W2: a plan of 20 steps, and the same as an ansible playbook.
    Files.createDirectories(work.resolve("plans"));
    Files.writeString(
        work.resolve("plans/twenty.js"),
        "export default function () { for (let i = 0; i < 20; i++) run_command('true', 'n50'); }\n");
    StringBuilder play = new StringBuilder("- hosts: all\n  gather_facts: false\n  tasks:\n");
    for (int i = 0; i < 20; i++) {
      play.append("    - raw: 'true'\n");
    }
    Files.writeString(work.resolve("twenty.yml"), play.toString());
    // W3: a task with one extra file and five parameters.
    Path mod = Files.createDirectories(work.resolve("modules/bench/tasks"));
    Files.createDirectories(work.resolve("modules/bench/files"));
    Files.writeString(
        work.resolve("modules/bench/files/lib.sh"), "greet() { echo \"$1 $2 $3 $4 $5\"; }\n");
    Files.writeString(
        mod.resolve("five.sh"),
        "#!/bin/sh\n. \"$PT__installdir/bench/files/lib.sh\"\n"
            + "greet \"$PT_a\" \"$PT_b\" \"$PT_c\" \"$PT_d\" \"$PT_e\"\n");
    Files.writeString(
        mod.resolve("five.json"),
        "{\"files\": [\"bench/files/lib.sh\"], \"parameters\": {"
            + "\"a\": {\"type\": \"String\"}, \"b\": {\"type\": \"Integer\"}, \"c\": {\"type\": \"Boolean\"},"
            + " \"d\": {\"type\": \"Array[String]\"}, \"e\": {\"type\": \"Optional[String]\"}}}");
  }

  private List<String> jbolt(String... args) {
    List<String> cmd = new ArrayList<>(List.of(repo.resolve("jbolt").toString()));
    cmd.addAll(Arrays.asList(args));
    return cmd;
  }

  private List<String> pdsh(int n, int fanout, String command) {
    return List.of(
        "env",
        "PDSH_SSH_ARGS_APPEND=-F " + work.resolve("ssh_config"),
        "pdsh",
        "-R",
        "ssh",
        "-f",
        String.valueOf(fanout),
        "-w",
        String.join(",", hosts(n)),
        command);
  }

  private List<String> clush(int n, int fanout, String command) {
    return List.of(
        "clush",
        "-o",
        "-F " + work.resolve("ssh_config"),
        "-f",
        String.valueOf(fanout),
        "-w",
        String.join(",", hosts(n)),
        command);
  }

  private List<String> ansible(int n, int forks, String... rest) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "env",
                "ANSIBLE_CONFIG=" + work.resolve("ansible.cfg"),
                "ANSIBLE_LOCALHOST_WARNING=False"));
    cmd.addAll(Arrays.asList(rest));
    cmd.addAll(List.of("-i", work.resolve("hosts" + n).toString(), "-f", String.valueOf(forks)));
    return cmd;
  }

  /** Runs one timed command; a failure (a dropped host, say) is reported, not hidden. */
  private double time(String label, List<String> cmd) throws Exception {
    double ms = run(work, label, cmd, 600);
    String said = Files.readString(work.resolve("last.out"));
    if (said.contains("jbolt: building with Maven")) {
      // a source changed while the bench ran: this time is the build's, not jbolt's
      throw new IllegalStateException(
          label + ": the launcher rebuilt jbolt during the bench (sources changed); run it again");
    }
    List<Double> before = times.computeIfAbsent(label, k -> new ArrayList<>());
    double fastest = before.stream().mapToDouble(Double::doubleValue).min().orElse(ms);
    if (ms > 3 * fastest || (!before.isEmpty() && fastest > 3 * ms)) {
      // an outlier is a question, not noise to hide in the median: its output says where it waited
      System.out.printf(
          Locale.ROOT,
          "  ! %s: %.2f s against %.2f s in an earlier run; its first and last lines: %s ... %s%n",
          label,
          ms / 1000,
          fastest / 1000,
          said.substring(0, Math.min(said.length(), 300)).replace("\n", " | "),
          said.substring(Math.max(0, said.length() - 900)).replace("\n", " | "));
    }
    before.add(ms);
    return ms;
  }

  /**
   * Runs one timed command in {@code work} (its output in {@code last.out}); returns milliseconds.
   * A failure (a dropped host, say) is printed, not hidden.
   */
  static double run(Path work, String label, List<String> cmd, long timeoutSeconds)
      throws Exception {
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("last.out").toFile())
            .start();
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(label + " took more than " + timeoutSeconds + " s");
    }
    double ms = (System.nanoTime() - t0) / 1e6;
    if (p.exitValue() != 0) {
      String out = Files.readString(work.resolve("last.out"));
      System.out.println(
          "  ! "
              + label
              + " exited "
              + p.exitValue()
              + ": "
              + out.substring(Math.max(0, out.length() - 300)).replace('\n', ' '));
    }
    return ms;
  }

  static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }

  /**
   * Runs every command of {@code row} RUNS times, interleaved, after one unmeasured warm-up of
   * jbolt.
   */
  private void measure(String title, Map<String, List<String>> row) throws Exception {
    times.clear();
    for (int r = 0; r < runs; r++) {
      for (var e : row.entrySet()) {
        if (e.getKey().startsWith("ansible")) {
          new ProcessBuilder("rm", "-rf", work.resolve("cp").toString())
              .start()
              .waitFor(); // cold: no master sockets
        }
        time(e.getKey(), e.getValue());
      }
    }
    table(title, "ratio to jbolt", times, "%.2f s", "%.1fx");
  }

  /** A Markdown table of medians, every run and each row's ratio to the first row. */
  static void table(
      String title,
      String ratioHeader,
      Map<String, List<Double>> times,
      String secondsFormat,
      String ratioFormat) {
    double base = median(times.values().iterator().next());
    System.out.println("### " + title);
    System.out.println("| tool | median | runs | " + ratioHeader + " |");
    System.out.println("|---|---|---|---|");
    for (var e : times.entrySet()) {
      double m = median(e.getValue());
      System.out.printf(
          Locale.ROOT,
          "| %s | " + secondsFormat + " | %s | " + ratioFormat + " |%n",
          e.getKey(),
          m / 1000,
          e.getValue().stream().map(x -> String.format(Locale.ROOT, "%.2f", x / 1000)).toList(),
          m / base);
    }
    try {
      System.out.println("chart: " + Chart.write(title, times, secondsFormat));
    } catch (IOException e) {
      System.out.println("chart not written: " + e.getMessage());
    }
    System.out.println();
  }

  private void w1() throws Exception {
    time("warm-up", jbolt("command", "run", "true", "-t", "n10"));
    int[] sizes =
        Arrays.stream(System.getenv().getOrDefault("SIZES", "10,100,500").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    for (int n : sizes) {
      Map<String, List<String>> row = new LinkedHashMap<>();
      row.put("jbolt", jbolt("command", "run", "true", "-t", "n" + n));
      int[] fanouts =
          n <= 10 ? new int[] {n} : n <= 100 ? new int[] {32, 100} : new int[] {100, 256};
      for (int f : fanouts) {
        row.put("pdsh -f " + f, pdsh(n, f, "true"));
        row.put("clush -f " + f, clush(n, f, "true"));
      }
      if (n <= 100 || full) {
        row.put(
            "ansible raw (forks " + Math.min(n, 100) + ")",
            ansible(n, Math.min(n, 100), "ansible", "all", "-m", "raw", "-a", "true"));
      }
      measure("W1: `true` on " + n + " targets, cold (whole process), kex " + kex, row);
    }
  }

  private void w2() throws Exception {
    Map<String, List<String>> row = new LinkedHashMap<>();
    row.put("jbolt plan (one pool)", jbolt("plan", "run", "twenty"));
    row.put("jbolt plan --no-reuse", jbolt("plan", "run", "twenty", "--no-reuse"));
    row.put(
        "ansible-playbook 20 raw tasks (forks 50, pipelining, ControlPersist)",
        ansible(50, 50, "ansible-playbook", work.resolve("twenty.yml").toString()));
    String loop =
        "for i in $(seq 20); do PDSH_SSH_ARGS_APPEND='-F "
            + work.resolve("ssh_config")
            + "' pdsh -R ssh -f 50 -w "
            + String.join(",", hosts(50))
            + " true || exit 1; done";
    row.put("pdsh, 20 runs in a loop (-f 50)", List.of("sh", "-c", loop));
    measure("W2: 20 commands one after another on 50 targets, kex " + kex, row);
  }

  private void w3() throws Exception {
    Map<String, List<String>> row = new LinkedHashMap<>();
    String[] params = {"a=hello", "b=5", "c=true", "d=[\"x\",\"y\"]", "e=last"};
    List<String> run = new ArrayList<>(List.of("task", "run", "bench::five"));
    run.addAll(List.of(params));
    run.addAll(List.of("-t", "n100"));
    row.put("jbolt task run", jbolt(run.toArray(String[]::new)));
    List<String> noReuse = new ArrayList<>(run);
    noReuse.add("--no-reuse");
    row.put("jbolt task run --no-reuse", jbolt(noReuse.toArray(String[]::new)));
    measure("W3: a task with one extra file and 5 parameters on 100 targets, kex " + kex, row);
  }
}
