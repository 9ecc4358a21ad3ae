package dev.jbolt.cli;

import dev.jbolt.result.Json;
import dev.jbolt.session.Console;
import dev.jbolt.session.Session;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

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
  static final class Show extends ShowCmd {
    Show(Console ctx) {
      super(ctx);
    }

    @Override
    void show(Session s) {
      {
        List<String> groups = s.inventory().groupNames();
        if (json()) {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("count", groups.size());
          out.put("groups", groups);
          ctx.out().println(Json.pretty(out));
        } else {
          groups.forEach(ctx.out()::println);
          ctx.out().println(groups.size() + (groups.size() == 1 ? " group" : " groups"));
        }
      }
    }
  }
}
