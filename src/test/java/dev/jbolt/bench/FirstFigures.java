package dev.jbolt.bench;

import dev.jbolt.action.CommandAction;
import dev.jbolt.exec.Executor;
import dev.jbolt.exec.RunListener;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.InventoryParser;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.ResultSet;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.transport.ssh.SshTransport;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * First figures for docs/performance.md: 1 and 10 commands on 1 and 50 targets over real OpenSSH on
 * loopback, with the connection pool and with reuse off (a new session per action, as Bolt), in one
 * JVM; then whole-process wall times of ./jbolt. Run by bench/first-figures.
 */
public final class FirstFigures {
  private static final int RUNS = 5;

  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
    try (Sshd sshd = Sshd.builder().anyAddress().start()) {
      String[] hosts = new String[50];
      for (int i = 0; i < hosts.length; i++) {
        hosts[i] = "127.0.0." + (i + 2);
      }
      Path project = Files.createTempDirectory("jbolt-bench");
      String inv =
          Projects.sshConfig(sshd)
              + "groups:\n  - name: one\n    targets: [127.0.0.2]\n"
              + "  - name: fifty\n    targets: ["
              + String.join(", ", hosts)
              + "]\n";
      Projects.withInventory(project, inv);
      sshd.knownHosts(hosts);
      Inventory inventory =
          InventoryParser.parse(
              inv, "inventory.yaml", new PrintStream(PrintStream.nullOutputStream()));
      System.out.printf(
          "sshd: OpenSSH on 0.0.0.0:%d standing in for 127.0.0.2-51; %d runs each, median%n%n",
          sshd.port(), RUNS);
      System.out.println("| in one JVM | pool (jbolt) | reuse off (Bolt-like) |");
      System.out.println("|---|---|---|");
      for (String group : List.of("one", "fifty")) {
        List<Target> targets = inventory.groupTargets(group);
        for (int commands : new int[] {1, 10}) {
          double pooled = median(() -> rounds(targets, commands, true));
          double fresh = median(() -> rounds(targets, commands, false));
          System.out.printf(
              "| %d command%s on %d target%s | %.0f ms | %.0f ms |%n",
              commands,
              commands == 1 ? "" : "s",
              targets.size(),
              targets.size() == 1 ? "" : "s",
              pooled,
              fresh);
        }
      }
      System.out.println();
      System.out.println("| whole process, ./jbolt ... | wall |");
      System.out.println("|---|---|");
      for (String[] cmd :
          new String[][] {
            {"--version"},
            {"command", "run", "true", "-t", "localhost"},
            {"command", "run", "true", "-t", "one"},
            {"command", "run", "true", "-t", "fifty"}
          }) {
        List<String> argv = new ArrayList<>(List.of(repo.resolve("jbolt").toString()));
        argv.addAll(Arrays.asList(cmd));
        double ms = median(() -> process(argv, project));
        System.out.printf("| `jbolt %s` | %.0f ms |%n", String.join(" ", cmd), ms);
      }
    }
  }

  /** A fresh transport (cold: connections included), {@code commands} rounds on all targets. */
  private static double rounds(List<Target> targets, int commands, boolean reuse) {
    long t0 = System.nanoTime();
    try (SshTransport transport = new SshTransport(new SshTransport.Options(8, 2, reuse))) {
      Executor ex = new Executor(transport::connection, 100);
      for (int i = 0; i < commands; i++) {
        ResultSet rs =
            ex.run(
                targets,
                "command",
                "true",
                CommandAction.run("true", Map.of(), 0, null),
                RunListener.NONE);
        if (!rs.ok()) {
          throw new IllegalStateException("bench run failed: " + rs.errorSet().get(0));
        }
      }
    }
    return (System.nanoTime() - t0) / 1e6;
  }

  private static double process(List<String> argv, Path cwd) {
    try {
      long t0 = System.nanoTime();
      Process p =
          new ProcessBuilder(argv)
              .directory(cwd.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(argv + " failed with " + p.exitValue());
      }
      return (System.nanoTime() - t0) / 1e6;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private interface Timed {
    double run() throws Exception;
  }

  private static double median(Timed t) throws Exception {
    t.run(); // warm-up, not counted
    double[] xs = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      xs[i] = t.run();
    }
    Arrays.sort(xs);
    return xs[RUNS / 2];
  }
}
