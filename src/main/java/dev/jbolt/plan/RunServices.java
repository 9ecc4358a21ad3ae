package dev.jbolt.plan;

import dev.jbolt.JboltException;
import dev.jbolt.service.Services;
import dev.jbolt.session.Session;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * {@code run_services(action, {services, config_dir, only_nodes, exclude_nodes, exclude_services,
 * tags, variables, nodeps})}: a MilkCheck service graph run from a plan, on the plan's session and
 * connection pool, as {@code jbolt service} runs it; each service's status line goes to the plan's
 * output. Gives the overall status and, per service, its status, targets, failed targets and
 * results.
 */
final class RunServices implements PlanFunction {
  private final PlanApi api;

  RunServices(PlanApi api) {
    this.api = api;
  }

  @Override
  public String name() {
    return "run_services";
  }

  @Override
  public Object call(Args a) {
    Session s = api.session();
    Map<String, Object> o = a.object("opts");
    Args opts = new Args("run_services", o);
    String dir = opts.optionalString("config_dir");
    Path base = s.project().dir() == null ? s.console().cwd() : s.project().dir();
    Path path = dir == null ? base.resolve("services") : base.resolve(dir);
    Services services = Services.load(path, dir == null ? "services" : dir, s.console().err());
    Map<String, String> vars = new LinkedHashMap<>();
    if (o.get("variables") instanceof Map<?, ?> m) {
      m.forEach((k, v) -> vars.put(String.valueOf(k), String.valueOf(v)));
    } else if (o.get("variables") != null) {
      throw new JboltException("run_services: 'variables' must be an object of names and values");
    }
    Services.Options options =
        Services.Options.of(a.string("action"), opts.strings("services"))
            .only(opts.optionalString("only_nodes"))
            .exclude(opts.optionalString("exclude_nodes"))
            .excludedServices(new LinkedHashSet<>(opts.strings("exclude_services")))
            .tags(new LinkedHashSet<>(opts.strings("tags")))
            .defines(vars)
            .nodeps(Boolean.TRUE.equals(o.get("nodeps")))
            .build();
    Services.Report r =
        services.run(
            s,
            options,
            (service, desc, status, outcome) ->
                api.output()
                    .message(
                        "info",
                        service + (desc == null ? "" : " - " + desc) + ": " + status.shown()));
    return r.toMap(options.action());
  }
}
