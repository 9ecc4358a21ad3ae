package dev.jbolt.cli;

import dev.jbolt.action.ScriptAction;
import dev.jbolt.JboltException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "script", description = "Upload a local script and run it on targets.",
    subcommands = ScriptCmd.RunCmd.class, mixinStandardHelpOptions = true)
final class ScriptCmd {
  @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
      description = {"Upload SCRIPT to a fresh temp dir on every target, run it with ARGS (each quoted), remove it.",
          "Put -- before arguments that start with a dash."})
  static final class RunCmd implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCRIPT", description = "The local script; its #! line picks the interpreter.")
    Path script;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments, passed as they are.")
    List<String> args = new ArrayList<>();

    @Option(names = "--env-var", paramLabel = "NAME=VALUE", description = "An environment variable for the script; repeatable.")
    List<String> envVars = new ArrayList<>();

    @Mixin Options.TargetOpts targets;
    @Mixin Options.RunOpts run;
    @Mixin Options.ConnectOpts connect;
    @Mixin Options.ProjectOpts project;

    private final Context ctx;

    RunCmd(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      Path file = ctx.cwd().resolve(script);
      if (!Files.isRegularFile(file)) {
        throw new JboltException("script " + script + ": no such file");
      }
      var env = EnvVars.parse(envVars);
      try (Run r = Run.prepare(ctx, project, targets, connect, run)) {
        return r.execute("script", script.toString(), ScriptAction.run(file, args, env, r.timeoutMillis, r.streams));
      }
    }
  }
}
