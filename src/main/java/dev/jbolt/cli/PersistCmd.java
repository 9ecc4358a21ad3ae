package dev.jbolt.cli;

import dev.jbolt.project.Project;
import dev.jbolt.session.Console;
import dev.jbolt.warm.WarmControl;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jbolt persist status|stop [--all]}: the warm processes of this user (docs/warm.md). */
@Command(
    name = "persist",
    description = "See or stop the warm processes that keep jbolt and its SSH sessions up.",
    mixinStandardHelpOptions = true,
    subcommands = {PersistCmd.Status.class, PersistCmd.Stop.class})
final class PersistCmd {
  static int ask(Console ctx, char verb, String project) {
    WarmControl.ask(ctx, verb, project);
    return Main.OK;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show each warm process: its project, idle time, kept SSH sessions, memory.")
  static final class Status implements Callable<Integer> {
    private final Console ctx;

    Status(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      return ask(ctx, 'Q', null);
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = {
        "Stop this project's warm processes, closing their SSH sessions.",
        "With --all, every warm process of this user, in every project."
      })
  static final class Stop implements Callable<Integer> {
    private final Console ctx;

    @Option(names = "--all", description = "Stop the warm processes of every project.")
    boolean all;

    @Option(
        names = "--project",
        paramLabel = "DIR",
        description = "The project whose warm processes stop (default: the current one).")
    Path project;

    Stop(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      if (all) {
        return ask(ctx, 'K', null);
      }
      Path dir = Project.locate(project == null ? ctx.cwd() : ctx.cwd().resolve(project));
      return ask(ctx, 'K', dir == null ? "-" : dir.toString());
    }
  }
}
