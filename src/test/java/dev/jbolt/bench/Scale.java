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
 * jbolt at 10 to 1,000 targets: four OpenSSH sshds, each answering for 250 loopback addresses.
 * Reports wall time, peak RSS and peak thread count (sampled from /proc while it runs), and that
 * every target succeeded. Run by bench/scale.
 */
public final class Scale {
  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
    int runs = Integer.parseInt(System.getenv().getOrDefault("RUNS", "3"));
    Path work = Files.createTempDirectory("jbolt-scale");
    List<Sshd> sshds = new ArrayList<>();
    try {
      StringBuilder inv =
          new StringBuilder(
              "config:\n  ssh:\n    user: "
                  + TestUser.get().name()
                  + "\n    private-key: "
                  + TestUser.key()
                  + "\n    host-key-check: false\ngroups:\n");
      List<String> all = new ArrayList<>();
      for (int s = 0; s < 4; s++) {
        Sshd sshd = Sshd.builder().anyAddress().start();
        sshds.add(sshd);
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
          hosts.add("127.0." + (10 + s) + "." + (i + 2));
        }
        inv.append("  - name: sshd")
            .append(s)
            .append("\n    config: {ssh: {port: ")
            .append(sshd.port())
            .append("}}\n    targets: [")
            .append(String.join(", ", hosts))
            .append("]\n");
        all.addAll(hosts);
      }
      for (int n : new int[] {10, 100, 500, 1000}) {
        List<String> pick = new ArrayList<>(); // spread over the four sshds
        for (int i = 0; i < n; i++) {
          pick.add(all.get((i % 4) * 250 + i / 4));
        }
        inv.append("  - name: n")
            .append(n)
            .append("\n    targets: [")
            .append(String.join(", ", pick))
            .append("]\n");
      }
      Files.writeString(work.resolve("inventory.yaml"), inv.toString());
      System.out.println(
          "| targets | wall (median of "
              + runs
              + ") | per target | peak RSS | peak threads | result |");
      System.out.println("|---|---|---|---|---|---|");
      for (int n : new int[] {10, 100, 500, 1000}) {
        List<double[]> samples = new ArrayList<>();
        String result = "";
        for (int r = 0; r < runs; r++) {
          Process p =
              new ProcessBuilder(
                      repo.resolve("jbolt").toString(),
                      "command",
                      "run",
                      "true",
                      "-t",
                      "n" + n,
                      "--format",
                      "json")
                  .directory(work.toFile())
                  .redirectErrorStream(true)
                  .redirectOutput(work.resolve("out.json").toFile())
                  .start();
          long t0 = System.nanoTime();
          long peakRss = 0;
          long peakThreads = 0;
          while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            for (String line : readStatus(p.pid())) {
              if (line.startsWith("VmHWM:")) {
                peakRss = Math.max(peakRss, Long.parseLong(line.replaceAll("\\D", "")));
              } else if (line.startsWith("Threads:")) {
                peakThreads = Math.max(peakThreads, Long.parseLong(line.replaceAll("\\D", "")));
              }
            }
          }
          double ms = (System.nanoTime() - t0) / 1e6;
          String out = Files.readString(work.resolve("out.json"));
          long ok = out.split("\"status\":\"success\"", -1).length - 1;
          result =
              (ok == n ? "all " : ok + " of ")
                  + n
                  + " ok"
                  + (p.exitValue() == 0 ? "" : ", exit " + p.exitValue());
          samples.add(new double[] {ms, peakRss / 1024.0, peakThreads});
        }
        samples.sort((a, b) -> Double.compare(a[0], b[0]));
        double[] m = samples.get(samples.size() / 2);
        System.out.printf(
            Locale.ROOT,
            "| %d | %.2f s | %.1f ms | %.0f MB | %.0f | %s |%n",
            n,
            m[0] / 1000,
            m[0] / n,
            m[1],
            m[2],
            result);
      }
    } finally {
      sshds.forEach(Sshd::close);
      new ProcessBuilder("rm", "-rf", work.toString()).start().waitFor();
    }
  }

  private static List<String> readStatus(long pid) {
    try {
      return Files.readAllLines(Path.of("/proc/" + pid + "/status"));
    } catch (Exception e) {
      return List.of();
    }
  }
}
