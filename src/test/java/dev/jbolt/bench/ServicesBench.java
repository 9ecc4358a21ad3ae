package dev.jbolt.bench;

import dev.jbolt.testing.Sshd;
import dev.jbolt.testing.TestUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A MilkCheck service graph of 34 services (a chain of ten on changing subsets, ten services
 * fanning in to a hub on all targets, a group of five, eight independent ones, some with fanout
 * limits) on TARGETS (default 500) loopback targets served by four sshds: {@code start}, {@code
 * status}, {@code stop} by jbolt, then by MilkCheck itself (from ../shared/peers, with Debian's
 * python3-clustershell) on the same configuration. Wall time, peak RSS and SSH logins (counted in
 * the sshds' logs) for each. Run by bench/services.
 */
public final class ServicesBench {
  static final String[] ACTIONS = {"start", "status", "stop"};

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]).toAbsolutePath();
    Path peers = repo.resolve("../shared/peers").normalize();
    int n = Integer.parseInt(System.getenv().getOrDefault("TARGETS", "500"));
    long mcTimeout = Long.parseLong(System.getenv().getOrDefault("MC_TIMEOUT", "1200"));
    int per = n / 4;
    Path work = Files.createTempDirectory("jbolt-services-bench");
    List<Sshd> sshds = new ArrayList<>();
    try {
      StringBuilder inv =
          new StringBuilder(
              "config:\n  ssh:\n    user: "
                  + TestUser.get().name()
                  + "\n    private-key: "
                  + TestUser.key()
                  + "\n    host-key-check: false\ngroups:\n");
      StringBuilder sshConfig = new StringBuilder();
      String[] part = new String[4];
      for (int s = 0; s < 4; s++) {
        Sshd sshd = Sshd.builder().anyAddress().start();
        sshds.add(sshd);
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < per; i++) {
          hosts.add("127.0." + (20 + s) + "." + (i + 2));
        }
        part[s] = "127.0." + (20 + s) + ".[2-" + (per + 1) + "]";
        inv.append("  - name: sshd")
            .append(s)
            .append("\n    config: {ssh: {port: ")
            .append(sshd.port())
            .append("}}\n    targets: [")
            .append(String.join(", ", hosts))
            .append("]\n");
        sshConfig
            .append("Host 127.0.")
            .append(20 + s)
            .append(".*\n  Port ")
            .append(sshd.port())
            .append("\n  User ")
            .append(TestUser.get().name())
            .append("\n  IdentityFile ")
            .append(TestUser.key())
            .append(
                "\n  StrictHostKeyChecking no\n  UserKnownHostsFile /dev/null\n  LogLevel ERROR\n"
                    + "  BatchMode yes\n");
      }
      Files.writeString(work.resolve("inventory.yaml"), inv.toString());
      Files.writeString(work.resolve("jbolt-project.yaml"), "name: bench\n");
      Files.writeString(work.resolve("ssh_config"), sshConfig.toString());
      Files.createDirectories(work.resolve("services"));
      String all = String.join(",", part);
      String half = part[0] + "," + part[1];
      String quarter = part[2];
      String small = "127.0.23.[2-" + Math.min(51, per + 1) + "]";
      String tiny = "127.0.21.[2-" + Math.min(11, per + 1) + "]";
      Files.writeString(
          work.resolve("services/graph.yaml"), graph(all, half, quarter, small, tiny));

      System.out.printf(
          Locale.ROOT,
          "34 services on %d targets (4 sshds); one cell per action: wall time, peak RSS, SSH logins%n%n",
          n);
      // The same project with every command on a channel of its own, measured in turn with it.
      Path channels = Files.createDirectories(work.resolve("channels"));
      Files.writeString(
          channels.resolve("inventory.yaml"),
          inv.toString()
              .replace(
                  "    host-key-check: false\n",
                  "    host-key-check: false\n" + "    kept-shell: false\n"));
      Files.writeString(channels.resolve("jbolt-project.yaml"), "name: bench\n");
      Files.createDirectories(channels.resolve("services"));
      Files.copy(work.resolve("services/graph.yaml"), channels.resolve("services/graph.yaml"));
      System.out.println("| tool | start | status | stop |");
      System.out.println("|---|---|---|---|");
      StringBuilder row = new StringBuilder("| jbolt |");
      StringBuilder rowChannels = new StringBuilder("| jbolt, `kept-shell: false` |");
      String jbolt = repo.resolve("jbolt").toString();
      for (String a : ACTIONS) {
        row.append(' ').append(measure(sshds, work, 600, jbolt, "service", a)).append(" |");
        rowChannels
            .append(' ')
            .append(measure(sshds, channels, 600, jbolt, "service", a))
            .append(" |");
      }
      System.out.println(row);
      System.out.println(rowChannels);
      Path mc = work.resolve("milkcheck");
      String why = null;
      if (System.getenv("SKIP_MILKCHECK") != null) {
        why = "SKIP_MILKCHECK is set";
      } else if (!Files.isRegularFile(peers.resolve("milkcheck-03d3ddb.tar.gz"))) {
        why = "no MilkCheck source at " + peers;
      } else if (new ProcessBuilder("/usr/bin/python3", "-c", "import ClusterShell, yaml")
              .start()
              .waitFor()
          != 0) {
        why =
            "Debian's python3-clustershell is not installed (apt-get install python3-clustershell)";
      }
      if (why != null) {
        System.out.println("| MilkCheck | skipped: " + why + " | | |");
        return;
      }
      Files.createDirectories(mc);
      new ProcessBuilder(
              "tar",
              "xzf",
              peers.resolve("milkcheck-03d3ddb.tar.gz").toString(),
              "-C",
              mc.toString())
          .inheritIO()
          .start()
          .waitFor();
      row = new StringBuilder("| MilkCheck |");
      List<String> mcActions =
          List.of(System.getenv().getOrDefault("MC_ACTIONS", "start,status,stop").split(","));
      for (String a : ACTIONS) {
        if (!mcActions.contains(a)) {
          row.append(" not run (MC_ACTIONS) |");
          continue;
        }
        row.append(' ')
            .append(
                measure(
                    sshds,
                    work,
                    mcTimeout,
                    "env",
                    "PYTHONPATH=" + mc.resolve("milkcheck/lib"),
                    "/usr/bin/python3",
                    peers.resolve("milkcheck-run.py").toString(),
                    work.resolve("ssh_config").toString(),
                    "-c",
                    work.resolve("services").toString(),
                    a))
            .append(" |");
      }
      System.out.println(row);
    } finally {
      sshds.forEach(Sshd::close);
      new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
    }
  }

  /** The graph: 34 services, chains and fan-ins, subsets and fanout limits, three actions each. */
  static String graph(String all, String half, String quarter, String small, String tiny) {
    String actions = "    actions:\n      start,status,stop:\n        cmd: 'true'\n";
    StringBuilder y = new StringBuilder("services:\n");
    String[] chainTargets = {all, half, quarter, small, tiny};
    for (int i = 0; i < 10; i++) {
      y.append("  chain")
          .append(i)
          .append(":\n    target: '")
          .append(chainTargets[i % 5])
          .append("'\n");
      if (i > 0) {
        y.append("    require: [chain").append(i - 1).append("]\n");
      }
      y.append(actions);
    }
    List<String> fans = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      fans.add("fan" + i);
      y.append("  fan")
          .append(i)
          .append(":\n    target: '")
          .append(i % 2 == 0 ? quarter : half)
          .append("'\n")
          .append(i % 3 == 0 ? "    fanout: 16\n" : "")
          .append(actions);
    }
    y.append("  hub:\n    target: '")
        .append(all)
        .append("'\n    require: [")
        .append(String.join(", ", fans))
        .append("]\n")
        .append(actions);
    y.append("  grp:\n    require: [hub]\n    services:\n");
    for (int i = 0; i < 5; i++) {
      y.append("      g")
          .append(i)
          .append(":\n        target: '")
          .append(i % 2 == 0 ? small : tiny)
          .append("'\n")
          .append(i > 0 ? "        require: [g" + (i - 1) + "]\n" : "")
          .append(
              actions.replace("\n    ", "\n        ").replace("    actions", "        actions"));
    }
    for (int i = 0; i < 8; i++) {
      y.append("  solo")
          .append(i)
          .append(":\n    target: '")
          .append(i < 4 ? all : tiny)
          .append("'\n")
          .append(i < 2 ? "    fanout: 32\n" : "")
          .append(actions);
    }
    return y.toString();
  }

  /** "12.3 s, 210 MB, 500 logins" for one run of {@code cmd}, or why it did not finish. */
  static String measure(List<Sshd> sshds, Path work, long timeoutSecs, String... cmd)
      throws Exception {
    long before = logins(sshds);
    Process p =
        new ProcessBuilder(cmd)
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("out.txt").toFile())
            .start();
    long t0 = System.nanoTime();
    long peak = 0;
    while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
      peak = Math.max(peak, rss(p.pid()));
      if ((System.nanoTime() - t0) / 1e9 > timeoutSecs) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        return "not done in " + timeoutSecs + " s";
      }
    }
    double s = (System.nanoTime() - t0) / 1e9;
    String out = Files.readString(work.resolve("out.txt"));
    String bad = p.exitValue() == 0 ? "" : ", exit " + p.exitValue() + " (" + lastLine(out) + ")";
    return String.format(
        Locale.ROOT, "%.1f s, %d MB, %d logins%s", s, peak / 1024, logins(sshds) - before, bad);
  }

  private static String lastLine(String s) {
    String[] lines = s.strip().split("\n");
    return lines[lines.length - 1];
  }

  /** Peak RSS (kB) of the process and its descendants (MilkCheck's ssh children included). */
  private static long rss(long pid) {
    long total = status(pid);
    for (ProcessHandle h :
        ProcessHandle.of(pid).map(ph -> ph.descendants().toList()).orElse(List.of())) {
      total += status(h.pid());
    }
    return total;
  }

  private static long status(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (Exception e) {
      // gone
    }
    return 0;
  }

  private static long logins(List<Sshd> sshds) {
    return sshds.stream().mapToLong(Sshd::acceptedLogins).sum();
  }
}
