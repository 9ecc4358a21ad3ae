package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.session.ConnectOptions;
import dev.jbolt.session.ProjectOptions;
import dev.jbolt.session.RunOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Option groups shared by commands, as picocli mixins. */
final class Options {
  private Options() {}

  /** Where the project and inventory are. */
  static final class ProjectOpts {
    @Option(
        names = "--project",
        paramLabel = "DIR",
        description =
            "The project directory (default: the current one, when it holds jbolt-project.yaml or inventory.yaml).")
    Path project;

    @Option(
        names = {"-i", "--inventoryfile"},
        paramLabel = "FILE",
        description = "The inventory file (default: PROJECT/inventory.yaml).")
    Path inventory;

    @Option(
        names = {"-m", "--modulepath"},
        paramLabel = "DIRS",
        description =
            "More directories of modules, separated by ':' (searched with PROJECT/modules and PROJECT/.modules).")
    String modulepath;

    ProjectOptions options() {
      return new ProjectOptions(project, inventory, modulepath);
    }
  }

  /** Which targets. */
  static final class TargetOpts {
    @Option(
        names = {"-t", "--targets"},
        paramLabel = "SPEC",
        description =
            "Targets: names, groups, aliases, globs (web*), ranges (web[01-20]), URIs, !exclusions; comma separated, repeatable; @FILE or - (stdin) for a list.")
    List<String> targets = new ArrayList<>();

    @Option(
        names = "--rerun",
        paramLabel = "FILTER",
        description = "Instead of -t: the targets of the last run: all, failure or success.")
    String rerun;

    /** Bad input when {@code what} also reads stdin and so does {@code -t -}. */
    void oneReaderOfStdin(String what) {
      if (targets.contains("-")) {
        throw new JboltException(
            "--targets - and "
                + what
                + " cannot both read stdin: give one of them in a file (@FILE)");
      }
    }
  }

  /** How to reach targets: the command line's side of config.ssh. */
  static final class ConnectOpts {
    @Option(
        names = {"-u", "--user"},
        description = "The user to log in as.")
    String user;

    @Option(
        names = {"-p", "--password"},
        arity = "0..1",
        interactive = true,
        prompt = "SSH password: ",
        description = "The login password (prompted for when given without a value).")
    char[] password;

    @Option(
        names = "--password-prompt",
        arity = "0",
        interactive = true,
        prompt = "SSH password: ",
        description = "Ask for the login password (as Bolt's --password-prompt).")
    char[] passwordPrompt;

    @Option(
        names = "--private-key",
        paramLabel = "FILE",
        description = "The private key to log in with.")
    String privateKey;

    @Option(
        names = "--no-host-key-check",
        description = "Accept any host key (unsafe; for throw-away hosts).")
    boolean noHostKeyCheck;

    @Option(
        names = "--host-key-check",
        paramLabel = "MODE",
        description =
            "strict (default: an unknown host fails), accept-new (record unknown hosts' keys in"
                + " known_hosts, refuse changed ones, as ssh's StrictHostKeyChecking=accept-new),"
                + " or off.")
    String hostKeyCheck;

    @Option(
        names = "--connect-timeout",
        paramLabel = "SECS",
        description = "Time to connect and log in (default 10).")
    Double connectTimeout;

    @Option(
        names = "--run-as",
        paramLabel = "USER",
        description = "Run as this user, through sudo.")
    String runAs;

    @Option(
        names = "--sudo-password",
        arity = "0..1",
        interactive = true,
        prompt = "sudo password: ",
        description = "The password sudo asks for (prompted for when given without a value).")
    char[] sudoPassword;

    @Option(
        names = "--sudo-password-prompt",
        arity = "0",
        interactive = true,
        prompt = "sudo password: ",
        description = "Ask for the password sudo asks for (as Bolt's --sudo-password-prompt).")
    char[] sudoPasswordPrompt;

    @Option(
        names = "--sudo-executable",
        paramLabel = "EXEC",
        description = "What to run instead of sudo for --run-as (dzdo, pbrun, ...).")
    String sudoExecutable;

    @Option(
        names = "--cleanup",
        negatable = true,
        description =
            "Remove the temp dirs of scripts, tasks and uploads on the targets (the default);"
                + " --no-cleanup keeps them.")
    Boolean cleanup;

    @Option(
        names = "--tty",
        negatable = true,
        description =
            "Bolt's ssh 'tty': accepted; a terminal is not requested (a warning says so).")
    Boolean tty;

    @Option(
        names = "--native-ssh",
        negatable = true,
        description =
            "Bolt's native SSH: accepted; jbolt always uses its own client (a warning says so).")
    Boolean nativeSsh;

    @Option(
        names = "--tmpdir",
        paramLabel = "DIR",
        description = "Where temp dirs are made on targets (default /tmp).")
    String tmpdir;

    @Option(
        names = "--transport",
        paramLabel = "NAME",
        description = "ssh or local, for targets that don't say.")
    String transport;

    @Option(
        names = "--connect-retries",
        paramLabel = "N",
        defaultValue = "2",
        description =
            "Retries of a failed connection (refused, reset, timeout): default ${DEFAULT-VALUE}.")
    int connectRetries;

    @Option(
        names = "--connect-concurrency",
        paramLabel = "N",
        defaultValue = "8",
        description =
            "Connections in their handshake at once: default ${DEFAULT-VALUE} (sshd drops past 10).")
    int connectConcurrency;

    @Option(
        names = "--no-reuse",
        hidden = true,
        description = "A new SSH session for every action, as Bolt does (benchmarks).")
    boolean noReuse;

    ConnectOptions options() {
      return new ConnectOptions(config(), connectRetries, connectConcurrency, !noReuse);
    }

    private Object hostKeyCheck() {
      if (hostKeyCheck == null) {
        return noHostKeyCheck ? Boolean.FALSE : null;
      }
      if (noHostKeyCheck) {
        throw new JboltException("give either --host-key-check or --no-host-key-check, not both");
      }
      return switch (hostKeyCheck) {
        case "strict" -> Boolean.TRUE;
        case "accept-new" -> "accept-new";
        case "off" -> Boolean.FALSE;
        default ->
            throw new JboltException(
                "--host-key-check must be strict, accept-new or off, not '" + hostKeyCheck + "'");
      };
    }

    /** The transport config these flags set, by transport name. */
    Map<String, Object> config() {
      Map<String, Object> ssh = new LinkedHashMap<>();
      Map<String, Object> common = new LinkedHashMap<>();
      put(ssh, "user", user);
      char[] pw = password != null ? password : passwordPrompt;
      put(ssh, "password", pw == null ? null : new String(pw)); // a secret: Session.open
      put(ssh, "tty", tty);
      put(ssh, "native-ssh", nativeSsh);
      put(ssh, "private-key", privateKey);
      put(ssh, "host-key-check", hostKeyCheck());
      put(ssh, "connect-timeout", connectTimeout);
      put(common, "run-as", runAs);
      char[] sudoPw = sudoPassword != null ? sudoPassword : sudoPasswordPrompt;
      put(common, "sudo-password", sudoPw == null ? null : new String(sudoPw));
      put(common, "sudo-executable", sudoExecutable);
      put(common, "tmpdir", tmpdir);
      put(common, "cleanup", cleanup);
      ssh.putAll(common);
      Map<String, Object> out = new LinkedHashMap<>();
      if (transport != null) {
        out.put("transport", transport);
      }
      if (!ssh.isEmpty()) {
        out.put("ssh", ssh);
      }
      if (!common.isEmpty()) {
        out.put("local", common);
        out.put("podman", common);
        out.put("docker", common);
      }
      return out;
    }

    private static void put(Map<String, Object> m, String k, Object v) {
      if (v != null) {
        m.put(k, v);
      }
    }
  }

  /** How to run and show it. */
  static final class RunOpts {
    @Option(
        names = {"-v", "--verbose"},
        description =
            "Say what starts and ends where, with timings (--log-level info); a plan also prints"
                + " its out.verbose() and log.info() messages.")
    boolean verbose;

    @Option(
        names = {"-c", "--concurrency"},
        paramLabel = "N",
        description =
            "Targets worked on at once (default 100, or 'concurrency' in jbolt-project.yaml).")
    Integer concurrency;

    @Mixin FormatOpt format;

    @Option(
        names = "--timeout",
        paramLabel = "SECS",
        description = "Kill an action still running after this long.")
    Double timeout;

    @Option(
        names = "--no-gather",
        description = "Print each target's output on its own, even when identical.")
    boolean noGather;

    @Option(
        names = "--color",
        paramLabel = "WHEN",
        description =
            "auto (on a terminal, unless NO_COLOR is set; the default, or 'color' in jbolt-project.yaml), always or never.")
    RunOptions.ColorMode color;

    @Option(names = "--no-color", description = "No colour: --color never (as Bolt's).")
    boolean noColor;

    @Option(
        names = "--save-rerun",
        negatable = true,
        description =
            "Write .jbolt/rerun.json for --rerun (the default, or 'save-rerun' in"
                + " jbolt-project.yaml); --no-save-rerun leaves the last one as it is.")
    Boolean saveRerun;

    @Option(
        names = "--output-dir",
        paramLabel = "DIR",
        description = "Also write DIR/<target>/stdout, stderr and result.json.")
    Path outputDir;

    /**
     * These options, with {@code exec}'s when the command runs things (null for file transfers).
     */
    @Option(
        names = "--output-memory",
        paramLabel = "MIB",
        description =
            "Output kept in memory, all targets together, before the rest goes to temp files"
                + " (default: a quarter of the heap, at most 256; or 'output-memory' in"
                + " jbolt-project.yaml).")
    Integer outputMemory;

    @Option(
        names = "--report",
        paramLabel = "FILE.html",
        description =
            "Also write a page of the run to FILE.html: the summary, a timeline with a bar per"
                + " target, the outputs and the failed targets with their reasons.")
    Path report;

    RunOptions options(ExecOpts exec) {
      if (noColor && color != null && color != RunOptions.ColorMode.never) {
        throw new JboltException("give either --no-color or --color " + color + ", not both");
      }
      return RunOptions.builder()
          .concurrency(concurrency)
          .format(format.format)
          .timeout(timeout)
          .noGather(noGather)
          .stream(exec != null && exec.stream)
          .color(noColor ? RunOptions.ColorMode.never : color)
          .outputDir(outputDir)
          .env(exec == null ? Map.of() : EnvVars.parse(exec.envVars))
          .outputMemory(outputMemory)
          .report(report)
          .saveRerun(saveRerun)
          .build();
    }
  }

  /** What running commands adds: their output as it comes, their environment. */
  static final class ExecOpts {
    @Option(
        names = "--stream",
        description = "Print output lines as they arrive, prefixed with the target's name.")
    boolean stream;

    @Option(
        names = "--env-var",
        paramLabel = "NAME=VALUE",
        description = "An environment variable for every command, script and task run; repeatable.")
    List<String> envVars = new ArrayList<>();
  }

  /** {@code --format}: human or json; null when not given (a project may set the default). */
  static final class FormatOpt {
    @Option(names = "--format", paramLabel = "FORMAT", description = "human (default) or json.")
    RunOptions.Format format;
  }
}
