package dev.jbolt.service;

import dev.jbolt.Cancelled;
import dev.jbolt.JboltException;
import dev.jbolt.inventory.Target;
import dev.jbolt.session.Session;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One action over the graph, as MilkCheck runs it: each service's action starts the moment what it
 * waits on is done, in parallel with every other, on the session's connection pool (one SSH
 * connection per target, however many services touch it), with the service's {@code fanout} as its
 * own concurrency. A failed strong dependency ({@code require}, {@code check}) gives DEP_ERROR; a
 * weak one ({@code require_weak}, {@code after}, {@code filter}) does not; the nodes where a
 * non-weak dependency failed are left out of its dependents. {@code errors} and {@code warnings}
 * are how many failed nodes an action tolerates before it is ERROR or WARNING.
 */
final class ServiceRun {
  private final Session session;
  private final Graph graph;
  private final Vars vars;
  private final Services.Options opts;
  private final Services.Listener listener;
  private final boolean reversed;
  private final Map<Graph.Node, String> actionOf = new HashMap<>();
  private final Map<Graph.Node, Status> status = new ConcurrentHashMap<>();
  private final Map<Graph.Node, Set<String>> failed = new ConcurrentHashMap<>();
  private final Set<String> only;
  private final Set<String> excluded;
  private final LinkedBlockingQueue<Object> done = new LinkedBlockingQueue<>();
  private final List<Services.Outcome> outcomes = new ArrayList<>();
  private final Context context;

  /** What every action of the run shares. */
  record Context(
      Session session,
      Vars vars,
      Services.Options opts,
      Services.Listener listener,
      Set<String> only,
      Set<String> excluded) {}

  ServiceRun(
      Session session, Graph graph, Vars vars, Services.Options opts, Services.Listener listener) {
    this.session = session;
    this.graph = graph;
    this.vars = vars;
    this.opts = opts;
    this.listener = listener;
    this.reversed = opts.reverseActions().contains(opts.action());
    this.only = opts.only() == null ? null : names(opts.only());
    this.excluded = opts.exclude() == null ? Set.of() : names(opts.exclude());
    this.context = new Context(session, vars, opts, listener, only, excluded);
  }

  private Set<String> names(String spec) {
    Set<String> out = new LinkedHashSet<>();
    session.inventory().resolve(spec(spec)).forEach(t -> out.add(t.name()));
    return out;
  }

  /** MilkCheck's node sets as jbolt target specs: {@code @group} is the inventory's group. */
  static String spec(String nodeset) {
    return nodeset.replaceAll("(^|,)\\s*@", "$1");
  }

  /** Runs the graph; the outcome of every action run, in the order they finished. */
  List<Services.Outcome> run() {
    select();
    check();
    ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
    try {
      for (Graph.Node n : List.copyOf(actionOf.keySet())) {
        if (!status.containsKey(n) && ready(n)) {
          start(n, pool);
        }
      }
      for (int finished = 0; finished < actionOf.size(); finished++) {
        Object o = take();
        if (o instanceof RuntimeException e) {
          throw e;
        }
        Graph.Node n = (Graph.Node) o;
        for (Graph.Edge e : reversed ? n.out : n.in) {
          Graph.Node next = Graph.other(e, n);
          if (actionOf.containsKey(next) && !status.containsKey(next) && ready(next)) {
            status.put(next, Status.WAITING);
            start(next, pool);
          }
        }
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
      pool.close();
    }
  }

  private Object take() {
    try {
      return done.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Cancelled("interrupted");
    }
  }

  /**
   * The nodes this run touches, each with the action it runs: the chosen services (or all) and what
   * they wait on, through {@code check} dependencies with their {@code status} action.
   */
  private void select() {
    List<Graph.Node> roots = new ArrayList<>();
    if (opts.services().isEmpty()) {
      // As MilkCheck's graph does: from the services nothing waits on (going forward, those no one
      // depends on; in reverse, those that depend on nothing), so that what is reached only
      // through an excluded (-X) service is not run either.
      for (Entity e : graph.root.children.values()) {
        Graph.Node n = reversed ? graph.first.get(e) : graph.last.get(e);
        if ((reversed ? n.out : n.in).isEmpty()) {
          roots.add(n);
        }
      }
    } else {
      for (String s : opts.services()) {
        Entity e = graph.find(graph.root, s);
        if (e == null) {
          throw new JboltException("unknown service '" + s + "'");
        }
        roots.add(reversed ? graph.first.get(e) : graph.last.get(e));
      }
    }
    List<Graph.Node> todo = new ArrayList<>(roots);
    roots.forEach(n -> actionOf.put(n, opts.action()));
    Set<Entity> named = new LinkedHashSet<>();
    roots.forEach(n -> named.add(n.entity));
    while (!todo.isEmpty()) {
      Graph.Node n = todo.remove(todo.size() - 1);
      if (isExcluded(n.entity)) {
        continue;
      }
      for (Graph.Edge e : Graph.waits(n, reversed)) {
        Graph.Node next = Graph.other(e, n);
        // --nodeps drops the named services' own dependencies, as MilkCheck's does; a group's
        // members still run, in their order.
        if (opts.nodeps() && !e.internal() && named.contains(n.entity)) {
          continue;
        }
        String a = e.type() == Entity.DepType.CHECK ? "status" : actionOf.get(n);
        if (!actionOf.containsKey(next)) {
          actionOf.put(next, a);
          todo.add(next);
        }
      }
    }
  }

  /**
   * Every command and target of the run resolved once before anything runs, so that an undefined
   * variable or a bad target is bad input, not a failure halfway through.
   */
  private void check() {
    for (Map.Entry<Graph.Node, String> e : actionOf.entrySet()) {
      Entity action =
          e.getKey().role == Graph.Role.SERVICE
              ? e.getKey().entity.children.get(e.getValue())
              : null;
      if (action == null || isExcluded(action.parent)) {
        continue;
      }
      try {
        Object t = action.prop("target");
        String target = t == null ? "" : vars.resolve(String.valueOf(t), action, Map.of());
        if (t != null) {
          var resolved = session.inventory().resolve(spec(target));
          if (!ActionRun.mode(action).equals("standard")) {
            ActionRun.checkLocalNames(resolved.stream().map(Target::name).toList());
          }
        }
        vars.resolve(action.cmd, action, Map.of("TARGET", target));
        for (String c : action.checks) {
          if (!action.parent.children.containsKey(c)) {
            throw new JboltException("checks unknown action '" + c + "'");
          }
        }
      } catch (JboltException ex) {
        throw new JboltException(
            action.where
                + ": action "
                + action.name
                + " of "
                + action.parent.fullname()
                + ": "
                + ex.getMessage());
      }
    }
  }

  private boolean isExcluded(Entity e) {
    for (Entity x = e; x != null && x.kind != Entity.Kind.ROOT; x = x.parent) {
      if (opts.excludedServices().contains(x.fullname())
          || opts.excludedServices().contains(x.name)) {
        return true;
      }
    }
    return false;
  }

  private boolean ready(Graph.Node n) {
    for (Graph.Edge e : Graph.waits(n, reversed)) {
      Graph.Node o = Graph.other(e, n);
      if (actionOf.containsKey(o) && !final_(o)) {
        return false;
      }
    }
    return true;
  }

  private boolean final_(Graph.Node n) {
    Status s = status.get(n);
    return s != null && s != Status.WAITING;
  }

  /** MilkCheck's reading of the dependencies' results: the worst, a failed weak one as done. */
  private Status depStatus(Graph.Node n) {
    Status worst = null;
    for (Graph.Edge e : Graph.waits(n, reversed)) {
      Graph.Node o = Graph.other(e, n);
      if (!actionOf.containsKey(o)) {
        continue;
      }
      Status s = status.get(o);
      Status ds = s.failed() ? (e.type().strong() ? Status.DEP_ERROR : Status.DONE) : s;
      if (worst == null || ds.order > worst.order) {
        worst = ds;
      }
    }
    return worst == null ? Status.MISSING : worst;
  }

  /** The nodes where a dependency (other than require_weak) failed: left out here. */
  private Set<String> filtered(Graph.Node n) {
    Set<String> out = new TreeSet<>();
    for (Graph.Edge e : Graph.waits(n, reversed)) {
      Graph.Node o = Graph.other(e, n);
      if (actionOf.containsKey(o) && e.type() != Entity.DepType.REQUIRE_WEAK) {
        out.addAll(failed.getOrDefault(o, Set.of()));
      }
    }
    return out;
  }

  private void start(Graph.Node n, ExecutorService pool) {
    status.put(n, Status.WAITING);
    Status deps = depStatus(n);
    Set<String> filtered = filtered(n);
    if (n.role != Graph.Role.SERVICE || isExcluded(n.entity)) {
      Status s = isExcluded(n.entity) ? Status.LOCKED : deps;
      finish(n, s, filtered, null);
      return;
    }
    Entity action = n.entity.children.get(actionOf.get(n));
    if (action == null) {
      finish(n, Status.MISSING, filtered, null);
    } else if (deps == Status.DEP_ERROR) {
      finish(n, Status.DEP_ERROR, filtered, null);
    } else {
      listener.started(n.entity.fullname());
      pool.submit(
          () -> {
            try {
              ActionRun run = new ActionRun(context, action, filtered);
              Services.Outcome o = run.run();
              Set<String> f = new TreeSet<>(filtered);
              f.addAll(o.failed());
              f.addAll(run.checkFailed());
              finish(n, o.status(), f, o);
            } catch (RuntimeException e) {
              done.add(e);
            }
          });
    }
  }

  private void finish(Graph.Node n, Status s, Set<String> f, Services.Outcome o) {
    synchronized (this) {
      failed.put(n, f);
      status.put(n, s);
      if (o != null) {
        outcomes.add(o);
      }
      if (n.shown(reversed)) {
        listener.status(n.entity.fullname(), desc(n.entity), s, o);
      }
    }
    done.add(n);
  }

  private String desc(Entity e) {
    Object d = e.prop("desc");
    return d == null ? null : vars.resolve(String.valueOf(d), e, Map.of());
  }
}
