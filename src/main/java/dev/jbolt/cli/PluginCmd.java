package dev.jbolt.cli;

import dev.jbolt.result.Json;
import dev.jbolt.session.Console;
import dev.jbolt.session.RunOptions;
import dev.jbolt.session.Session;
import dev.jbolt.task.Task;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
        Map<String, String> all = new LinkedHashMap<>(s.plugins().described());
        Task.all(s.modules()).keySet().stream()
            .filter(t -> t.endsWith("::resolve_reference"))
            .map(t -> t.substring(0, t.indexOf("::")))
            .forEach(m -> all.putIfAbsent(m, "module plugin: task " + m + "::resolve_reference"));
        if (format == RunOptions.Format.json) {
          Map<String, Object> out = new LinkedHashMap<>();
          out.put("reference", all);
          out.put("secret", Map.of("pkcs7", "jbolt secret createkeys|encrypt|decrypt"));
          ctx.out().println(Json.pretty(out));
          return Main.OK;
        }
        int width = all.keySet().stream().mapToInt(String::length).max().orElse(0);
        ctx.out()
            .println("Reference plugins ({_plugin: NAME, ...} in inventory and project files)");
        all.forEach((k, v) -> ctx.out().printf("  %-" + width + "s  %s%n", k, v));
        ctx.out().println();
        ctx.out().println("Secret plugins (jbolt secret createkeys|encrypt|decrypt)");
        ctx.out().println("  pkcs7");
        return Main.OK;
      }
    }
  }
}
