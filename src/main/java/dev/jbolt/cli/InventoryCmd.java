package dev.jbolt.cli;

import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.Target;
import dev.jbolt.inventory.TargetUri;
import dev.jbolt.project.Project;
import dev.jbolt.result.Json;
import dev.jbolt.result.Printable;
import dev.jbolt.session.Console;
import dev.jbolt.session.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "inventory",
    description = "Look at the inventory.",
    mixinStandardHelpOptions = true,
    subcommands = InventoryCmd.Show.class)
final class InventoryCmd {
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "List the targets a spec selects (all by default), with --detail their merged config (secrets masked).")
  static final class Show extends ShowCmd {
    @Option(
        names = {"-t", "--targets"},
        paramLabel = "SPEC",
        description = "Targets to show (default: all).")
    List<String> targets = new ArrayList<>();

    @Option(
        names = "--detail",
        description = "Show each target's merged config, vars, facts, features and groups.")
    boolean detail;

    Show(Console ctx) {
      super(ctx);
    }

    @Override
    void show(Session s) {
      show(s.project(), s.inventory(), s.spec(targets, null));
    }

    private void show(Project p, Inventory inv, String spec) {
      List<Target> selected = spec == null ? inv.targets() : inv.resolve(spec);
      List<Target> known = selected.stream().filter(t -> inv.target(t.name()).isPresent()).toList();
      List<Target> adhoc = selected.stream().filter(t -> inv.target(t.name()).isEmpty()).toList();
      if (json()) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(
            "inventory",
            Map.of(
                "targets",
                names(known),
                "count",
                known.size(),
                "file",
                p.inventoryFile() == null ? "" : p.inventoryFile().toString()));
        out.put("adhoc", Map.of("targets", names(adhoc), "count", adhoc.size()));
        out.put("targets", detail ? selected.stream().map(Show::detail).toList() : names(selected));
        out.put("count", selected.size());
        ctx.out().println(Json.pretty(out));
        return;
      }
      for (Target t : selected) {
        ctx.out()
            .println(
                detail
                    ? Printable.name(t.safeName()) + "\n" + indent(Json.pretty(detail(t)))
                    : Printable.name(t.safeName()));
      }
      ctx.out()
          .println(
              selected.size()
                  + (selected.size() == 1 ? " target" : " targets")
                  + (adhoc.isEmpty() ? "" : " (" + adhoc.size() + " not in the inventory)"));
      return;
    }

    private static List<String> names(List<Target> ts) {
      return ts.stream().map(Target::safeName).toList();
    }

    static Map<String, Object> detail(Target t) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", t.safeName());
      m.put("uri", Target.masked(t.uri() == null ? null : TargetUri.safe(t.uri())));
      m.put("alias", t.aliases());
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("transport", t.transport());
      config.putAll(t.config());
      config.put("transport", t.transport());
      m.put("config", Target.masked(config));
      m.put("vars", t.vars());
      m.put("facts", t.facts());
      m.put("features", t.features());
      m.put("groups", t.groups());
      return m;
    }

    private static String indent(String s) {
      return "  " + s.replace("\n", "\n  ");
    }
  }
}
