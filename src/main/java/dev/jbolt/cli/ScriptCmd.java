package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.action.ScriptAction;
import dev.jbolt.action.Streams;
import dev.jbolt.inventory.Target;
import dev.jbolt.session.Console;
import dev.jbolt.session.Session;
import dev.jbolt.session.Work;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "script",
    description = "Upload a local script and run it on targets.",
    subcommands = ScriptCmd.RunCmd.class,
    mixinStandardHelpOptions = true)
final class ScriptCmd {
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Upload SCRIPT to a fresh temp dir on every target, run it with ARGS (each quoted), remove it.",
        "Put -- before arguments that start with a dash."
      })
  static final class RunCmd implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "SCRIPT",
        description = "The local script; its #! line picks the interpreter.")
    Path script;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments, passed as they are.")
    List<String> args = new ArrayList<>();

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
    public Integer call() {
      Path file = ctx.cwd().resolve(script);
      if (!Files.isRegularFile(file)) {
        throw new JboltException("script " + script + ": no such file");
      }
      try (Session s = Session.open(ctx, project.options(), connect.options(), run.options(exec))) {
        List<Target> ts = s.targets(targets.targets, targets.rerun, false);
        Streams out = s.streams(ts);
        return Main.exitCode(
            s.run(
                new Work(
                    "script",
                    script.toString(),
                    ts,
                    ScriptAction.run(file, args, s.env(), s.timeoutMillis(), out),
                    out)));
      }
    }
  }
}
