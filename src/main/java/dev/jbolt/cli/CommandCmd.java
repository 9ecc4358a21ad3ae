package dev.jbolt.cli;

import dev.jbolt.action.CommandAction;
import dev.jbolt.JboltException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "command", description = "Run a shell command on targets.", subcommands = CommandCmd.RunCmd.class,
    mixinStandardHelpOptions = true)
final class CommandCmd {
  @Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Run COMMAND on every target, in parallel, and report each target's output and exit code.")
  static final class RunCmd implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "COMMAND",
        description = "The command line, run by the target's shell; @FILE reads it from a file, - from stdin.")
    String command;

    @Option(names = "--env-var", paramLabel = "NAME=VALUE", description = "An environment variable for the command; repeatable.")
    List<String> envVars = new ArrayList<>();

    @Option(names = "--local", description = {"Run COMMAND on this machine once per target, in parallel (as clush -R exec),",
        "with %h (host), %n (target name), %u (user), %p (port) replaced, shell-quoted; %% is a %."})
    boolean local;

    @Mixin Options.TargetOpts targets;
    @Mixin Options.RunOpts run;
    @Mixin Options.ConnectOpts connect;
    @Mixin Options.ProjectOpts project;

    private final Context ctx;

    RunCmd(Context ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
      String cmd = commandText();
      var env = EnvVars.parse(envVars);
      try (Run r = Run.prepare(ctx, project, targets, connect, run, local)) {
        return r.execute("command", cmd, local ? CommandAction.local(cmd, env, r.timeoutMillis, r.streams)
            : CommandAction.run(cmd, env, r.timeoutMillis, r.streams));
      }
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
