package dev.jbolt.service;

import dev.jbolt.JboltException;
import dev.jbolt.result.Result;
import dev.jbolt.session.Session;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Service graphs as MilkCheck runs them, read from its configuration unchanged ({@link
 * ServiceConfig}), checked as a graph ({@link Graph}) and run over the session ({@link
 * ServiceRun}).
 */
public final class Services {
  /**
   * What to run: {@code action} on {@code services} (all when empty) and what they depend on;
   * {@code only}/{@code exclude}: node specs (-n/-x); {@code excludedServices} (-X) are LOCKED;
   * {@code tags}: only services with one of them; {@code defines}: -D variables; actions in {@code
   * reverseActions} follow the dependencies backwards; {@code fanout}: for services without one.
   */
  public record Options(
      String action,
      List<String> services,
      String only,
      String exclude,
      Set<String> excludedServices,
      Set<String> tags,
      Map<String, String> defines,
      boolean dryRun,
      boolean nodeps,
      Set<String> reverseActions,
      int fanout) {

    /**
     * {@code action} on {@code services} (all when empty), by name from there: no node or service
     * excluded, no tag, no variable, a real run with dependencies, stop as the reverse action,
     * fanout 64.
     */
    public static Builder of(String action, List<String> services) {
      return new Builder(action, services);
    }
  }

  /** {@link Options} by name: each setter is the option of the same name. */
  public static final class Builder {
    private final String action;
    private final List<String> services;
    private String only;
    private String exclude;
    private Set<String> excludedServices = Set.of();
    private Set<String> tags = Set.of();
    private Map<String, String> defines = Map.of();
    private boolean dryRun;
    private boolean nodeps;
    private Set<String> reverseActions = Set.of("stop");
    private int fanout = 64;

    private Builder(String action, List<String> services) {
      this.action = action;
      this.services = List.copyOf(services);
    }

    public Builder only(String nodes) {
      only = nodes;
      return this;
    }

    public Builder exclude(String nodes) {
      exclude = nodes;
      return this;
    }

    public Builder excludedServices(Set<String> names) {
      excludedServices = new LinkedHashSet<>(names);
      return this;
    }

    public Builder tags(Set<String> t) {
      tags = new LinkedHashSet<>(t);
      return this;
    }

    public Builder defines(Map<String, String> vars) {
      defines = new LinkedHashMap<>(vars);
      return this;
    }

    public Builder dryRun(boolean b) {
      dryRun = b;
      return this;
    }

    public Builder nodeps(boolean b) {
      nodeps = b;
      return this;
    }

    public Builder reverseActions(Set<String> actions) {
      reverseActions = new LinkedHashSet<>(actions);
      return this;
    }

    public Builder fanout(int n) {
      fanout = n;
      return this;
    }

    public Options build() {
      return new Options(
          action,
          services,
          only,
          exclude,
          excludedServices,
          tags,
          defines,
          dryRun,
          nodeps,
          reverseActions,
          fanout);
    }
  }

  /**
   * One service's action, run: its status, its targets, the ones that failed, Bolt's results; its
   * {@code desc} (the service's or a group's, as MilkCheck's actions inherit it) or null.
   */
  public record Outcome(
      String service,
      String action,
      String desc,
      Status status,
      List<String> targets,
      List<String> failed,
      long elapsedMillis,
      int tries,
      List<Result> results,
      String command) {
    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("service", service);
      m.put("action", action);
      m.put("status", status.shown());
      m.put("targets", targets);
      m.put("failed", failed);
      m.put("elapsed_ms", elapsedMillis);
      m.put("tries", tries);
      m.put("items", results.stream().map(Result::toMap).toList());
      return m;
    }
  }

  /** What a run tells as it goes: each shown service's final status, and dry-run lines. */
  public interface Listener {
    void status(String service, String desc, Status status, Outcome outcome);

    /** An action run as another's {@code check}. */
    default void action(Outcome outcome) {}

    /** A service's action has started (for a progress line). */
    default void started(String service) {}

    /** An action runs {@code cmd} on {@code target} (folded; "localhost" when it runs here). */
    default void command(String action, String service, String target, String cmd) {}

    /** An action waits its {@code delay} (seconds, as configured) before it runs. */
    default void delayed(String action, String service, Object delay) {}

    /** An action's command had variables: {@code before} became {@code after}. */
    default void resolved(String before, String after) {}

    default void dry(String line) {}
  }

  /** Every service's final status, shown ones only, and the actions run. */
  public record Report(Map<String, Status> statuses, List<Outcome> outcomes) {
    /** ERROR when any shown service failed, else WARNING when one warned, else DONE (OK). */
    public Status overall() {
      if (statuses.values().stream().anyMatch(Status::failed)) {
        return Status.ERROR;
      }
      return statuses.containsValue(Status.WARNING) ? Status.WARNING : Status.DONE;
    }

    /**
     * What {@code --format json} and {@code run_services} give: the overall status and an item per
     * service shown, with its action's outcome when it ran.
     */
    public Map<String, Object> toMap(String action) {
      List<Object> items = new ArrayList<>();
      statuses.forEach(
          (svc, st) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            outcomes.stream()
                .filter(o -> o.service().equals(svc))
                .findFirst()
                .ifPresentOrElse(o -> m.putAll(o.toMap()), () -> m.put("service", svc));
            m.put("status", st.shown());
            items.add(m);
          });
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("action", action);
      out.put("status", overall().shown());
      out.put("services", items);
      return out;
    }
  }

  /** What MilkCheck does not show: services not in the graph's run, excluded, or never reached. */
  private static final Set<Status> HIDDEN =
      EnumSet.of(Status.MISSING, Status.LOCKED, Status.WAITING);

  private final Entity root;

  private Services(Entity root) {
    this.root = root;
  }

  /**
   * The configuration in {@code dir}, read and checked key by key; its graph (dependencies, which
   * may name services through -D variables, and cycles) is checked by {@link #run} and {@link
   * #dot}, before anything runs.
   */
  public static Services load(Path dir, String shown, PrintStream warnings) {
    return new Services(ServiceConfig.load(dir, shown, warnings));
  }

  public Report run(Session session, Options opts, Listener listener) {
    Map<String, String> runVars = new TreeMap<>(opts.defines());
    runVars.put("SELECTED_NODES", opts.only() == null ? "" : opts.only());
    runVars.put("EXCLUDED_NODES", opts.exclude() == null ? "" : opts.exclude());
    Vars vars = new Vars(runVars, !opts.dryRun(), session.console().cwd());
    Map<String, Status> statuses = new LinkedHashMap<>();
    Listener recording =
        new Listener() {
          @Override
          public void status(String service, String desc, Status status, Outcome outcome) {
            if (!HIDDEN.contains(status)) {
              statuses.put(service, status);
              listener.status(service, desc, status, outcome);
            }
          }

          @Override
          public void action(Outcome outcome) {
            listener.action(outcome);
          }

          @Override
          public void dry(String line) {
            listener.dry(line);
          }

          @Override
          public void started(String service) {
            listener.started(service);
          }

          @Override
          public void command(String action, String service, String target, String cmd) {
            listener.command(action, service, target, cmd);
          }

          @Override
          public void delayed(String action, String service, Object delay) {
            listener.delayed(action, service, delay);
          }

          @Override
          public void resolved(String before, String after) {
            listener.resolved(before, after);
          }
        };
    List<Outcome> outcomes =
        new ServiceRun(session, new Graph(root, vars), vars, opts, recording).run();
    return new Report(statuses, outcomes);
  }

  /**
   * What a command line may name: every service and group (members as GROUP.NAME), and every
   * action, sorted, for completion.
   */
  public SortedSet<String> names() {
    SortedSet<String> out = new TreeSet<>();
    names(root, out);
    return out;
  }

  private static void names(Entity e, SortedSet<String> out) {
    for (Entity c : e.children.values()) {
      out.add(c.kind == Entity.Kind.ACTION ? c.name : c.fullname());
      names(c, out);
    }
  }

  /** The dependency graph in Graphviz DOT, as MilkCheck's {@code -g} prints it. */
  public String dot(List<String> services, Set<String> excluded) {
    Graph g = new Graph(root, new Vars(Map.of(), false, null));
    StringBuilder out =
        new StringBuilder("digraph dependency {\ncompound=true;\nnode [style=filled];\n");
    List<Entity> top = new ArrayList<>();
    if (services.isEmpty()) {
      new TreeMap<>(root.children).values().forEach(top::add);
    } else {
      for (String s : services) {
        Entity e = g.find(root, s);
        if (e == null) {
          throw new JboltException("unknown service '" + s + "'");
        }
        top.add(e);
      }
    }
    for (Entity e : top) {
      if (!excluded.contains(e.fullname())) {
        dot(g, e, excluded, out);
      }
    }
    return out.append("}\n").toString();
  }

  private static void dot(Graph g, Entity e, Set<String> excluded, StringBuilder out) {
    List<Graph.Edge> deps = g.first.get(e).out.stream().filter(d -> !d.internal()).toList();
    if (e.kind == Entity.Kind.GROUP) {
      out.append("subgraph \"cluster_")
          .append(e.fullname())
          .append("\" {\nlabel=\"")
          .append(e.fullname())
          .append("\";\nstyle=rounded;\nnode [style=filled];\n\"")
          .append(e.fullname())
          .append(".__hook\" [style=invis];\n");
      for (Entity c : e.children.values()) {
        if (!excluded.contains(c.fullname())) {
          dot(g, c, excluded, out);
        }
      }
      out.append("}\n");
    } else if (deps.isEmpty()) {
      out.append('"').append(e.fullname()).append("\";\n");
    }
    for (Graph.Edge d : deps) {
      Entity t = d.to().entity;
      if (excluded.contains(t.fullname())) {
        continue;
      }
      out.append('"').append(hook(e)).append("\" -> \"").append(hook(t)).append('"');
      List<String> opts = new ArrayList<>();
      if (d.type() == Entity.DepType.REQUIRE_WEAK || d.type() == Entity.DepType.FILTER) {
        opts.add("style=dashed");
      }
      if (e.kind == Entity.Kind.GROUP) {
        opts.add("ltail=\"cluster_" + e.fullname() + "\"");
      }
      if (t.kind == Entity.Kind.GROUP) {
        opts.add("lhead=\"cluster_" + t.fullname() + "\"");
      }
      if (!opts.isEmpty()) {
        out.append(" [").append(String.join(",", opts)).append(']');
      }
      out.append(";\n");
    }
  }

  private static String hook(Entity e) {
    return e.kind == Entity.Kind.GROUP ? e.fullname() + ".__hook" : e.fullname();
  }
}
