package dev.jbolt.plan;

import dev.jbolt.action.CommandAction;
import dev.jbolt.action.ScriptAction;
import dev.jbolt.action.UploadAction;
import dev.jbolt.action.DownloadAction;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.jbolt.JboltException;

import dev.jbolt.exec.Executor;
import dev.jbolt.exec.RunListener;
import dev.jbolt.exec.TargetAction;
import dev.jbolt.inventory.Data;
import dev.jbolt.inventory.Target;
import dev.jbolt.project.Project;
import dev.jbolt.result.ErrorInfo;
import dev.jbolt.result.Json;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import dev.jbolt.task.ModulePath;
import dev.jbolt.task.Task;
import dev.jbolt.task.TaskRun;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.Transports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java side of the plan API: every plan and sub-plan of a run shares it, and with it one
 * connection pool, so that twenty steps on fifty targets cost fifty handshakes. Calls take and
 * return JSON text; the JavaScript prelude turns it into Bolt's objects.
 */
public final class PlanHost {
  private final Project project;
  private final java.util.function.Function<String, List<Target>> inventory;
  private final ModulePath modules;
  private final Transports transports;
  private final PlanOutput output;
  private final int concurrency;
  private final long timeoutMillis;
  /** Targets as the plan changed them (set_var, add_facts...) or made them (ad-hoc names). */
  private final Map<String, Target> targets = new ConcurrentHashMap<>();
  private final AtomicInteger jobIds = new AtomicInteger();
  final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();

  /** An async call that finished: its id, whether it worked, its JSON (or error message). */
  record Completion(int id, boolean ok, String json) {}

  /**
   * @param inventory resolves a target spec (the inventory, with the command line's connection
   *     flags laid under each target's config)
   */
  public PlanHost(Project project, java.util.function.Function<String, List<Target>> inventory, ModulePath modules,
      Transports transports, PlanOutput output, int concurrency, long timeoutMillis) {
    this.project = project;
    this.inventory = inventory;
    this.modules = modules;
    this.transports = transports;
    this.output = output;
    this.concurrency = concurrency;
    this.timeoutMillis = timeoutMillis;
  }

  Project project() {
    return project;
  }

  ModulePath modules() {
    return modules;
  }

  PlanOutput output() {
    return output;
  }

  // ---- targets

  /** Resolves target specs to targets, remembering them for the rest of the run. */
  List<Target> resolve(List<String> specs) {
    Map<String, Target> out = new LinkedHashMap<>();
    for (String spec : specs) {
      Target known = targets.get(spec);
      if (known != null) {
        out.putIfAbsent(known.name(), known);
        continue;
      }
      for (Target t : inventory.apply(spec)) {
        out.putIfAbsent(t.name(), targets.computeIfAbsent(t.name(), n -> t));
      }
    }
    return List.copyOf(out.values());
  }

  String targets(String specsJson) {
    return Json.write(resolve(strings(specsJson)).stream().map(PlanHost::data).toList());
  }

  static Map<String, Object> data(Target t) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("name", t.safeName());
    d.put("uri", t.uri() == null ? null : dev.jbolt.inventory.TargetUri.safe(t.uri()));
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

  /** set_var, add_facts, set_feature, set_config: for the rest of the run, never written back. */
  @SuppressWarnings("unchecked")
  String modify(String name, String what, String key, String valueJson) {
    Target t = resolve(List.of(name)).get(0);
    Object value = parse(valueJson);
    Data d = t.data();
    Data changed = switch (what) {
      case "var" -> {
        Map<String, Object> vars = new LinkedHashMap<>(d.vars());
        vars.put(key, value);
        yield new Data(d.config(), vars, d.facts(), d.features());
      }
      case "facts" -> new Data(d.config(), d.vars(), Data.deepMerge(d.facts(), (Map<String, Object>) value), d.features());
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
      default -> throw new IllegalArgumentException(what);
    };
    Target updated = new Target(t.name(), t.uri(), t.aliases(), changed, t.groups());
    targets.put(t.name(), updated);
    return Json.write(data(updated));
  }

  // ---- actions

  /** Runs an action to its end: {"items": [...]}. */
  String run(String action, String argsJson) {
    Map<String, Object> args = map(argsJson);
    if (action.equals("sleep")) {
      sleep(((Number) args.get("seconds")).doubleValue());
      return "{\"items\":[]}";
    }
    Map<String, Object> opts = args.get("opts") instanceof Map<?, ?> m ? cast(m) : Map.of();
    List<Target> ts = withRunAs(resolve(strings(args.get("targets"))), opts.get("run_as"));
    String object = String.valueOf(args.getOrDefault(switch (action) {
      case "command" -> "command";
      case "script" -> "script";
      case "task" -> "task";
      case "write_file" -> "destination";
      case "wait_until_available" -> "targets";
      default -> "source";
    }, action));
    String description = (String) args.get("description");
    String what = action.equals("wait_until_available") ? "wait until available" : action + " '" + object + "'";
    List<AutoCloseable> toClose = new ArrayList<>();
    try {
      TargetAction fn = action(action, args, opts, toClose, ts);
      output.starting(what, description, ts.stream().map(Target::safeName).toList());
      int limit = opts.get("concurrency") instanceof Number n && n.intValue() > 0 ? n.intValue() : concurrency;
      ResultSet rs = new Executor(transports::connection, limit).run(ts, action, object, fn, RunListener.NONE);
      output.finished(what, description, rs.errorSet().size(), rs.elapsedMillis());
      return Json.write(Map.of("items", rs.results().stream().map(Result::toMap).toList()));
    } finally {
      for (AutoCloseable c : toClose) {
        try {
          c.close();
        } catch (Exception e) {
          // staging dirs: best effort
        }
      }
    }
  }

  /** Starts an action on a virtual thread; its completion is queued for the plan's event loop. */
  int start(String action, String argsJson) {
    int id = jobIds.incrementAndGet();
    Thread.ofVirtual().name("plan-job-" + id).start(() -> {
      try {
        completions.add(new Completion(id, true, run(action, argsJson)));
      } catch (RuntimeException e) {
        completions.add(new Completion(id, false, e.getMessage() == null ? e.toString() : e.getMessage()));
      }
    });
    return id;
  }

  private TargetAction action(String action, Map<String, Object> args, Map<String, Object> opts, List<AutoCloseable> close,
      List<Target> ts) {
    Map<String, String> env = new LinkedHashMap<>();
    if (opts.get("env_vars") instanceof Map<?, ?> e) {
      e.forEach((k, v) -> env.put(String.valueOf(k), v instanceof String s ? s : Json.write(v)));
    }
    long timeout = timeoutMillis;
    if (opts.get("timeout") != null) {
      if (!(opts.get("timeout") instanceof Number n) || !(n.doubleValue() > 0)) {
        throw new JboltException("the timeout option must be a number of seconds above 0, not " + opts.get("timeout"));
      }
      timeout = (long) Math.ceil(n.doubleValue() * 1000);
    }
    return switch (action) {
      case "command" -> CommandAction.run((String) args.get("command"), env, timeout, null);
      case "script" -> ScriptAction.run(local((String) args.get("script")), strings(opts.getOrDefault("arguments", List.of())),
          env, timeout, null);
      case "task" -> task(args, opts, timeout, close, ts);
      case "upload" -> UploadAction.of(local((String) args.get("source")), (String) args.get("source"),
          (String) args.get("destination"), timeout);
      case "download" -> DownloadAction.of((String) args.get("source"), downloads((String) args.get("destination")),
          timeout);
      case "write_file" -> writeFile((String) args.get("content"), (String) args.get("destination"), close, timeout);
      case "wait_until_available" -> waitUntilAvailable(opts);
      default -> throw new JboltException("unknown plan action " + action);
    };
  }

  @SuppressWarnings("unchecked")
  private TargetAction task(Map<String, Object> args, Map<String, Object> opts, long timeout, List<AutoCloseable> close,
      List<Target> ts) {
    Task task = Task.load(modules, (String) args.get("task"));
    boolean noop = Boolean.TRUE.equals(opts.get("noop"));
    Map<String, Object> perTarget = args.get("per_target") instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    if (perTarget == null) {
      TaskRun run = new TaskRun(task, modules, task.validate(cast((Map<?, ?>) args.getOrDefault("params", Map.of()))),
          noop, timeout, null);
      close.add(run);
      run.prepare(ts).warnings().forEach(w -> output.message("warn", w));
      return run.action();
    }
    Map<String, TaskRun> runs = new LinkedHashMap<>();
    for (var e : perTarget.entrySet()) {
      TaskRun run = new TaskRun(task, modules, task.validate(cast((Map<?, ?>) e.getValue())), noop, timeout, null);
      close.add(run);
      run.prepare(ts.stream().filter(t -> t.name().equals(e.getKey())).toList()).warnings()
          .forEach(w -> output.message("warn", w));
      runs.put(e.getKey(), run);
    }
    return (t, c) -> runs.get(t.name()).action().run(t, c);
  }

  /** Tries each target until it answers or {@code wait_time} (default 120 s) has passed. */
  private TargetAction waitUntilAvailable(Map<String, Object> opts) {
    long waitMillis = (long) (number(opts.get("wait_time"), 120) * 1000);
    long intervalMillis = (long) (number(opts.get("retry_interval"), 1) * 1000);
    return (t, c) -> {
      long start = System.nanoTime();
      while (true) {
        try {
          Exec.run(c, "true", null, Math.max(intervalMillis, 10_000), null);
          return new Result(t.safeName(), "wait_until_available", "wait_until_available", Map.of(), null,
              (System.nanoTime() - start) / 1_000_000, 1);
        } catch (dev.jbolt.transport.TransportException e) {
          long elapsed = (System.nanoTime() - start) / 1_000_000;
          if (e.kind() == dev.jbolt.result.ErrorKind.CANCELLED || elapsed >= waitMillis) {
            return Result.failure(t.safeName(), "wait_until_available", "wait_until_available",
                dev.jbolt.result.ErrorKind.WAIT_UNTIL_AVAILABLE.error("not available after " + elapsed / 1000 + " s: "
                    + e.getMessage(), Map.of("last_error", e.toError().toMap())), elapsed);
          }
          sleep(intervalMillis / 1000.0);
        }
      }
    };
  }

  private TargetAction writeFile(String content, String destination, List<AutoCloseable> close, long timeout) {
    try {
      Path dir = Files.createTempDirectory("jbolt-write");
      String base = Path.of(destination).getFileName() == null ? "file" : Path.of(destination).getFileName().toString();
      Path f = Files.writeString(dir.resolve(base), content);
      close.add(() -> {
        Files.deleteIfExists(f);
        Files.deleteIfExists(dir);
      });
      return UploadAction.of(f, "content", destination, timeout);
    } catch (IOException e) {
      throw new JboltException("write_file: " + e.getMessage());
    }
  }

  /**
   * A local file of the plan: absolute, relative to the project, or MODULE/PATH in a module's
   * files/. A relative one must stay inside the project or module it names, links resolved.
   */
  private Path local(String ref) {
    Path p = Path.of(ref);
    if (p.isAbsolute()) {
      return p;
    }
    if (project.dir() != null && Files.exists(project.dir().resolve(ref))) {
      return within(project.dir(), ref, "the project");
    }
    int slash = ref.indexOf('/');
    Path module = slash > 0 ? modules.module(ref.substring(0, slash)) : null;
    if (module != null && Files.exists(module.resolve("files").resolve(ref.substring(slash + 1)))) {
      return within(module.resolve("files"), ref.substring(slash + 1), "module " + ref.substring(0, slash) + "'s files/");
    }
    throw new JboltException("file '" + ref + "' not found (absolute, in the project, or MODULE/PATH in a module's files/)");
  }

  private static Path within(Path root, String rel, String what) {
    try {
      Path real = root.resolve(rel).toRealPath();
      if (!real.startsWith(root.toRealPath())) {
        throw new JboltException("file '" + rel + "' leaves " + what + ": it is " + real);
      }
      return root.resolve(rel);
    } catch (IOException e) {
      throw new JboltException("file '" + rel + "' in " + what + ": " + e.getMessage());
    }
  }

  /**
   * {@code PROJECT/downloads/DESTINATION}, made where missing: a relative path that never leaves
   * PROJECT/downloads, by {@code ..} or by a symbolic link.
   */
  private Path downloads(String destination) {
    Path base = project.dir() != null ? project.dir().resolve("downloads") : Path.of("downloads").toAbsolutePath();
    if (destination == null || destination.startsWith("/")) {
      throw new JboltException("download_file: the destination '" + destination + "' must be a path relative to "
          + base + ", where downloads go");
    }
    String[] parts = java.util.Arrays.stream(destination.split("/+")).filter(p -> !p.isEmpty() && !p.equals("."))
        .toArray(String[]::new);
    try {
      return dev.jbolt.transport.LocalFiles.dir(base, parts);
    } catch (IOException e) {
      throw new JboltException("download_file: the destination '" + destination + "' must stay inside " + base + ": "
          + e.getMessage());
    }
  }

  private static List<Target> withRunAs(List<Target> ts, Object runAs) {
    if (runAs == null) {
      return ts;
    }
    List<Target> out = new ArrayList<>();
    for (Target t : ts) {
      Map<String, Object> patch = Map.of(t.transport(), Map.of("run-as", String.valueOf(runAs)));
      Data d = t.data();
      out.add(new Target(t.name(), t.uri(), t.aliases(), new Data(Data.deepMerge(d.config(), patch), d.vars(), d.facts(),
          d.features()), t.groups()));
    }
    return out;
  }

  void message(String level, String text) {
    output.message(level, text);
  }

  private static void sleep(double seconds) {
    try {
      Thread.sleep((long) (seconds * 1000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new dev.jbolt.Cancelled("interrupted");
    }
  }

  private static double number(Object v, double dflt) {
    return v instanceof Number n ? n.doubleValue() : dflt;
  }

  static Object parse(String json) {
    try {
      return Json.mapper().readValue(json, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  static Map<String, Object> map(String json) {
    try {
      return Json.mapper().readValue(json, new TypeReference<>() {});
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> m) {
    return (Map<String, Object>) m;
  }

  private static List<String> strings(Object v) {
    if (v instanceof String s) {
      return s.startsWith("[") && parse(s) instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(s);
    }
    return v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
  }
}
