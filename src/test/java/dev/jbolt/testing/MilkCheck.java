package dev.jbolt.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * MilkCheck itself (its source in ../shared/peers, on Debian's python3 and python3-clustershell),
 * unpacked into a directory of the test's, run on the same sshd as jbolt: ClusterShell's ssh gets
 * an OpenSSH client config for it, and MilkCheck's configuration file ({@code
 * /etc/milkcheck/milkcheck.conf}, fixed in its source) is the one the test names.
 */
public final class MilkCheck {
  private final Path home;
  private final Path runner;

  /** MilkCheck unpacked into {@code dir}. */
  public MilkCheck(Path dir) throws IOException {
    Quick.skipsWhatNeeds("MilkCheck");
    Path peers = Path.of("..", "shared", "peers").toAbsolutePath().normalize();
    List<Path> tarballs;
    try (Stream<Path> s = Files.list(peers)) {
      tarballs =
          s.filter(p -> p.getFileName().toString().matches("milkcheck-.*\\.tar\\.gz")).toList();
    }
    if (tarballs.size() != 1) {
      throw new IllegalStateException("expected MilkCheck's source in " + peers);
    }
    if (!Files.isExecutable(Path.of("/usr/bin/python3"))) {
      throw new IllegalStateException("MilkCheck runs on Debian's python3 (/usr/bin/python3)");
    }
    Files.createDirectories(dir);
    Cmd.run("tar", "xzf", tarballs.get(0).toString(), "-C", dir.toString());
    home = dir.resolve("milkcheck");
    runner = dir.resolve("run-milkcheck.py");
    Files.writeString(
        runner,
        """
        import os, sys
        from ClusterShell.Task import task_self
        if os.environ.get('MC_SSH_CONFIG'):
            task_self().set_info('ssh_options', '-F ' + os.environ['MC_SSH_CONFIG'])
        from MilkCheck.config import ConfigParser
        ConfigParser.CONFIG_PATH = os.environ.get('MC_CONF', '/etc/milkcheck/milkcheck.conf')
        from MilkCheck.UI.Cli import CommandLine
        sys.exit(CommandLine().execute(sys.argv[1:]))
        """);
  }

  /** The unpacked source (conf/samples, doc, lib). */
  public Path home() {
    return home;
  }

  /**
   * An OpenSSH client config that reaches {@code sshd} on every 127.0.0.x, written to {@code f}.
   */
  public static Path sshConfig(Sshd sshd, Path f) throws IOException {
    Files.writeString(
        f,
        "Host *\n  Port "
            + sshd.port()
            + "\n  User "
            + sshd.user()
            + "\n  IdentityFile "
            + sshd.key()
            + "\n  UserKnownHostsFile "
            + sshd.dir().resolve("known_hosts")
            + "\n  StrictHostKeyChecking yes\n  BatchMode yes\n  LogLevel ERROR\n");
    return f;
  }

  /**
   * Runs MilkCheck in {@code cwd} with {@code args}; {@code sshConfig} may be null, {@code conf}
   * (its milkcheck.conf) may be null for none.
   */
  public Cli.Outcome run(Path cwd, Path sshConfig, Path conf, String... args) throws IOException {
    return runWithInput(cwd, sshConfig, conf, "", args);
  }

  /** The same, with {@code stdin} as its standard input. */
  public Cli.Outcome runWithInput(Path cwd, Path sshConfig, Path conf, String stdin, String... args)
      throws IOException {
    List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", runner.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
    pb.environment().put("PYTHONPATH", home.resolve("lib").toString());
    pb.environment().put("COLUMNS", "80");
    pb.environment().remove("LINES");
    if (sshConfig != null) {
      pb.environment().put("MC_SSH_CONFIG", sshConfig.toString());
    }
    if (conf != null) {
      pb.environment().put("MC_CONF", conf.toString());
    }
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    try {
      var err = p.getErrorStream();
      var errText = new CompletableFuture<String>();
      Thread.ofVirtual()
          .start(
              () -> {
                try {
                  errText.complete(new String(err.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  errText.complete(e.toString());
                }
              });
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("MilkCheck did not end: " + String.join(" ", args));
      }
      return new Cli.Outcome(p.exitValue(), out, errText.join());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
