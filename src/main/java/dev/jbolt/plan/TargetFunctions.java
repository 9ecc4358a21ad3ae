package dev.jbolt.plan;

import dev.jbolt.inventory.Data;
import dev.jbolt.inventory.Target;
import dev.jbolt.inventory.TargetUri;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The plan functions about targets themselves, not actions on them. */
final class TargetFunctions {
  private TargetFunctions() {}

  /** {@code get_targets(spec)}: the targets as the prelude's Target objects are made from. */
  static final class GetTargets implements PlanFunction {
    private final PlanApi api;

    GetTargets(PlanApi api) {
      this.api = api;
    }

    @Override
    public String name() {
      return "get_targets";
    }

    @Override
    public Object call(Args a) {
      return api.resolve(a.strings("targets")).stream().map(TargetFunctions::data).toList();
    }
  }

  /**
   * {@code target.set_var}, {@code add_facts}, {@code set_feature}, {@code set_config}: for the
   * rest of the run, never written back.
   */
  static final class ModifyTarget implements PlanFunction {
    private final PlanApi api;

    ModifyTarget(PlanApi api) {
      this.api = api;
    }

    @Override
    public String name() {
      return "modify_target";
    }

    @Override
    @SuppressWarnings("unchecked")
    public Object call(Args a) {
      Target t = api.resolve(List.of(a.string("name"))).get(0);
      Object value = a.get("value");
      String key = a.optionalString("key");
      Data d = t.data();
      Data changed =
          switch (a.string("what")) {
            case "var" -> {
              Map<String, Object> vars = new LinkedHashMap<>(d.vars());
              vars.put(key, value);
              yield new Data(d.config(), vars, d.facts(), d.features());
            }
            case "facts" ->
                new Data(
                    d.config(),
                    d.vars(),
                    Data.deepMerge(d.facts(), Args.object(name(), "the facts", value)),
                    d.features());
            case "feature" -> {
              Set<String> f = new LinkedHashSet<>(d.features());
              if (Boolean.FALSE.equals(value)) {
                f.remove(key);
              } else {
                f.add(key);
              }
              yield new Data(d.config(), d.vars(), d.facts(), f);
            }
            case "config" -> {
              Map<String, Object> patch = new LinkedHashMap<>();
              String[] path = key.split("\\.");
              Map<String, Object> cur = patch;
              for (int i = 0; i < path.length - 1; i++) {
                Map<String, Object> next = new LinkedHashMap<>();
                cur.put(path[i], next);
                cur = next;
              }
              cur.put(path[path.length - 1], value);
              yield new Data(Data.deepMerge(d.config(), patch), d.vars(), d.facts(), d.features());
            }
            default -> throw new IllegalArgumentException(a.string("what"));
          };
      return data(api.remember(new Target(t.name(), t.uri(), t.aliases(), changed, t.groups())));
    }
  }

  static Map<String, Object> data(Target t) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", t.safeName());
    d.put("uri", t.uri() == null ? null : TargetUri.safe(t.uri()));
    d.put("host", t.host());
    Object port = t.transportConfig().get("port");
    d.put("port", port == null ? (t.transport().equals("ssh") ? 22 : null) : port);
    d.put("user", t.transportConfig().get("user"));
    d.put("transport", t.transport());
    d.put("vars", t.vars());
    d.put("facts", t.facts());
    d.put("features", t.features());
    return d;
  }
}
