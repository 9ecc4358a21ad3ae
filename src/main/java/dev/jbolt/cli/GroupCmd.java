package dev.jbolt.cli;

import dev.jbolt.result.Json;
import dev.jbolt.session.Console;
import dev.jbolt.session.RunOptions;
import dev.jbolt.session.Session;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "group",
    description = "Look at the inventory's groups.",
    mixinStandardHelpOptions = true,
    subcommands = GroupCmd.Show.class)
final class GroupCmd {
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "List the inventory's groups, as Bolt's 'group show' does.")
  static final class Show implements Callable<Integer> {
    @Option(names = "--format", paramLabel = "FORMAT", description = "human (default) or json.")
    RunOptions.Format format = RunOptions.Format.human;

    @Mixin Options.ProjectOpts project;

    private final Console ctx;

    Show(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      try (Session s = Session.open(ctx, project.options())) {
        List<String> groups = s.inventory().groupNames();
        if (format == RunOptions.Format.json) {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("count", groups.size());
          out.put("groups", groups);
          ctx.out().println(Json.pretty(out));
        } else {
          groups.forEach(ctx.out()::println);
          ctx.out().println(groups.size() + (groups.size() == 1 ? " group" : " groups"));
        }
        return Main.OK;
      }
    }
  }
}
