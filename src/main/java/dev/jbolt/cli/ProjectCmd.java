package dev.jbolt.cli;

import dev.jbolt.project.ProjectFiles;
import dev.jbolt.session.Console;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "project",
    description = "Set up a jbolt project.",
    mixinStandardHelpOptions = true,
    subcommands = ProjectCmd.Init.class)
final class ProjectCmd {
  @Command(
      name = "init",
      mixinStandardHelpOptions = true,
      description =
          "Create jbolt-project.yaml, an inventory.yaml with commented examples, tasks/ and plans/ here.")
  static final class Init implements Callable<Integer> {
    @Parameters(
        index = "0",
        arity = "0..1",
        paramLabel = "NAME",
        description = "The project's name (default: this directory's).")
    String name;

    private final Console ctx;

    Init(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      String n =
          name != null
              ? name
              : ctx.cwd()
                  .getFileName()
                  .toString()
                  .toLowerCase()
                  .replaceAll("[^a-z0-9_]", "_")
                  .replaceAll("^[^a-z]+", "");
      for (Path p : ProjectFiles.init(ctx.cwd(), n.isEmpty() ? "project" : n)) {
        ctx.out().println("created " + ctx.cwd().relativize(p));
      }
      return Main.OK;
    }
  }
}
