package dev.jbolt.cli;

import dev.jbolt.result.Json;
import dev.jbolt.session.Console;
import dev.jbolt.session.Session;
import dev.jbolt.task.Task;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(
    name = "plugin",
    description = "Look at the reference plugins inventories and project files can use.",
    mixinStandardHelpOptions = true,
    subcommands = PluginCmd.Show.class)
final class PluginCmd {
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "List the plugins a {_plugin: NAME, ...} reference can name: built-in ones and modules"
              + " with a resolve_reference task.")
  static final class Show extends ShowCmd {
    Show(Console ctx) {
      super(ctx);
    }

    @Override
    void show(Session s) {
      {
        Map<String, String> all = new LinkedHashMap<>(s.plugins().described());
        Task.all(s.modules()).keySet().stream()
            .filter(t -> t.endsWith("::resolve_reference"))
            .map(t -> t.substring(0, t.indexOf("::")))
            .forEach(m -> all.putIfAbsent(m, "module plugin: task " + m + "::resolve_reference"));
        if (json()) {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("reference", all);
          out.put("secret", Map.of("pkcs7", "jbolt secret createkeys|encrypt|decrypt"));
          ctx.out().println(Json.pretty(out));
          return;
        }
        int width = all.keySet().stream().mapToInt(String::length).max().orElse(0);
        ctx.out()
            .println("Reference plugins ({_plugin: NAME, ...} in inventory and project files)");
        all.forEach((k, v) -> ctx.out().printf("  %-" + width + "s  %s%n", k, v));
        ctx.out().println();
        ctx.out().println("Secret plugins (jbolt secret createkeys|encrypt|decrypt)");
        ctx.out().println("  pkcs7");
      }
    }
  }
}
