package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.action.CommandAction;
import dev.jbolt.action.Streams;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import dev.jbolt.session.Console;
import dev.jbolt.session.Session;
import dev.jbolt.session.Work;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "command",
    description = "Run a shell command on targets.",
    subcommands = CommandCmd.RunCmd.class,
    mixinStandardHelpOptions = true)
final class CommandCmd {
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Run COMMAND on every target, in parallel, and report each target's output and exit code.")
  static final class RunCmd implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "COMMAND",
        description =
            "The command line, run by the target's shell; @FILE reads it from a file, - from stdin.")
    String command;

    @Option(
        names = "--local",
        description = {
          "Run COMMAND on this machine once per target, in parallel (as clush -R exec),",
          "with %%h (host), %%n (target name), %%u (user), %%p (port) replaced, shell-quoted; %%%% is a %%."
        })
    boolean local;

    @Option(
        names = {"-S", "--maxrc"},
        description =
            "Exit with the highest exit code of the command on the targets (as clush's and pdsh's"
                + " -S); a target not reached counts as 255, as ssh's.")
    boolean maxrc;

    @Mixin Options.TargetOpts targets;
    @Mixin Options.RunOpts run;
    @Mixin Options.ExecOpts exec;
    @Mixin Options.ConnectOpts connect;
    @Mixin Options.ProjectOpts project;

    private final Console ctx;

    RunCmd(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
      if (command.equals("-")) {
        targets.oneReaderOfStdin("the command (-)");
      }
      String cmd = commandText();
      try (Session s = Session.open(ctx, project.options(), connect.options(), run.options(exec))) {
        List<Target> ts = s.targets(targets.targets, targets.rerun, local);
        Streams out = s.streams(ts);
        ResultSet rs =
            local
                ? s.runLocally(
                    new Work(
                        "command",
                        cmd,
                        ts,
                        CommandAction.local(cmd, s.env(), s.timeoutMillis(), out),
                        out))
                : s.run(
                    new Work(
                        "command",
                        cmd,
                        ts,
                        CommandAction.run(cmd, s.env(), s.timeoutMillis(), out),
                        out));
        return maxrc ? maxExitCode(rs) : Main.exitCode(rs);
      }
    }

    /** The highest exit code of the targets; 255 for one that gave none (not reached). */
    static int maxExitCode(ResultSet rs) {
      int max = 0;
      for (Result r : rs.results()) {
        Object c = r.value().get("exit_code");
        max = Math.max(max, c instanceof Number n ? n.intValue() & 0xff : r.ok() ? 0 : 255);
      }
      return max;
    }

    private String commandText() throws IOException {
      if (command.equals("-")) {
        return new String(ctx.in().readAllBytes(), StandardCharsets.UTF_8);
      }
      if (command.startsWith("@")) {
        Path file = ctx.cwd().resolve(command.substring(1));
        if (!Files.isRegularFile(file)) {
          throw new JboltException("command file " + command.substring(1) + ": no such file");
        }
        return Files.readString(file);
      }
      if (command.isBlank()) {
        throw new JboltException("the command is empty");
      }
      return command;
    }
  }
}
