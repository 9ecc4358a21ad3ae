package dev.jbolt.plan;

import dev.jbolt.JboltException;
import dev.jbolt.task.TaskMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * Runs JavaScript plans on GraalVM. Each plan (and sub-plan) gets its own context on one shared
 * engine, sandboxed: no host classes, no files, no processes, no threads; the world is reached only
 * through the plan API of {@link PlanHost}. A plan whose default export is async is driven by an
 * event loop here, at the top level, where GraalJS runs promise continuations.
 */
public final class PlanRunner implements AutoCloseable {
  private static final String PRELUDE = resource("prelude.js");

  private final PlanHost host;
  private final Engine engine;

  /** What a plan declares: its description and parameters. */
  public record Info(String description, Map<String, TaskMetadata.Param> params) {}

  /** A plan's outcome: its return value as JSON, or its error. */
  public record Outcome(String valueJson, boolean resultSet, PlanFailure failure) {}

  /** A plan that failed: Bolt's error shape, and where in the plan when it was a JS error. */
  public static final class PlanFailure extends RuntimeException {
    private final String kind;
    private final Map<String, Object> details;

    PlanFailure(String kind, String msg, Map<String, Object> details) {
      super(msg);
      this.kind = kind;
      this.details = details;
    }

    public String kind() {
      return kind;
    }

    public Map<String, Object> toMap() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", kind);
      m.put("msg", getMessage());
      m.put("details", details);
      return m;
    }
  }

  public PlanRunner(PlanHost host) {
    this.host = host;
    this.engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
  }

  private static String resource(String name) {
    try (InputStream in = PlanRunner.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing resource " + name, e);
    }
  }

  private Context context() {
    Context c = Context.newBuilder("js")
        .engine(engine)
        .allowHostAccess(HostAccess.NONE)
        .allowHostClassLookup(name -> false)
        .allowIO(IOAccess.NONE)
        .allowCreateProcess(false)
        .allowCreateThread(false)
        .allowNativeAccess(false)
        .option("js.esm-eval-returns-exports", "true")
        .build();
    Map<String, Object> api = new LinkedHashMap<>();
    api.put("targets", fn(a -> host.targets(a[0].asString())));
    api.put("modify", fn(a -> host.modify(a[0].asString(), a[1].asString(), a[2].asString(), a[3].asString())));
    api.put("run", fn(a -> host.run(a[0].asString(), a[1].asString())));
    api.put("start", fn(a -> host.start(a[0].asString(), a[1].asString())));
    api.put("runPlan", fn(a -> runNested(a[0].asString(), a[1].asString())));
    api.put("message", fn(a -> {
      host.message(a[0].asString(), a[1].asString());
      return null;
    }));
    c.getBindings("js").putMember("__jbolt", ProxyObject.fromMap(api));
    c.eval(Source.newBuilder("js", PRELUDE, "jbolt-prelude.js").buildLiteral());
    return c;
  }

  private interface HostFn {
    Object call(Value[] args);
  }

  /** A host function: JboltExceptions become JS errors the plan can catch (or that fail it). */
  private static ProxyExecutable fn(HostFn f) {
    return args -> f.call(args);
  }

  private Value load(Context c, Plan plan) {
    String text;
    try {
      text = Files.readString(plan.file());
    } catch (IOException e) {
      throw new JboltException(plan.file() + ": cannot read: " + e.getMessage());
    }
    try {
      Source src = Source.newBuilder("js", text, plan.file().toString()).mimeType("application/javascript+module").build();
      return c.eval(src);
    } catch (PolyglotException e) {
      throw new JboltException(where(e, plan) + ": " + e.getMessage());
    } catch (IOException e) {
      throw new JboltException(plan.file() + ": " + e.getMessage());
    }
  }

  /** Reads a plan's description and parameters (its top level runs: keep it to declarations). */
  public Info info(Plan plan) {
    try (Context c = context()) {
      Value exports = load(c, plan);
      String label = plan.file().getFileName().toString();
      Value d = exports.getMember("description");
      Map<String, TaskMetadata.Param> params = null;
      Value p = exports.getMember("params");
      if (p != null && !p.isNull()) {
        params = new LinkedHashMap<>();
        Map<String, Object> raw = PlanHost.map(c.getBindings("js").getMember("JSON").invokeMember("stringify", p).asString());
        for (var e : raw.entrySet()) {
          params.put(e.getKey(), TaskMetadata.param(e.getKey(), e.getValue(), label));
        }
      }
      if (!exports.hasMember("default") || !exports.getMember("default").canExecute()) {
        throw new JboltException(label + ": a plan must export a default function");
      }
      return new Info(d == null || d.isNull() ? null : d.toString(), params);
    }
  }

  /** Runs a plan with checked parameters. */
  public Outcome run(Plan plan, Map<String, Object> params) {
    try (Context c = context()) {
      Value exports = load(c, plan);
      Value loop = c.getBindings("js").getMember("__jbolt_loop");
      Value jsonParse = c.getBindings("js").getMember("JSON").getMember("parse");
      try {
        Value main = exports.getMember("default");
        boolean async = loop.invokeMember("isAsync", main).asBoolean();
        if (async) {
          loop.invokeMember("begin"); // every run_* now returns a promise the loop settles
        }
        Value result = main.execute(jsonParse.execute(dev.jbolt.result.Json.write(params)));
        if (result.hasMember("then") && result.getMember("then").canExecute()) {
          result = drive(c, loop, result);
        }
        Map<String, Object> out = PlanHost.map(loop.invokeMember("value", result).asString());
        boolean rs = out.containsKey("resultset");
        return new Outcome(dev.jbolt.result.Json.write(rs ? out.get("resultset") : out.get("value")), rs, null);
      } catch (PolyglotException e) {
        return new Outcome(null, false, failure(e, loop, plan));
      } catch (PlanFailure f) {
        return new Outcome(null, false, f);
      }
    }
  }

  /** The event loop of an async plan: settles each finished job until the plan's promise settles. */
  private Value drive(Context c, Value loop, Value promise) {
    Value[] outcome = new Value[2];
    boolean[] done = new boolean[1];
    promise.invokeMember("then", (ProxyExecutable) a -> {
      done[0] = true;
      outcome[0] = a.length > 0 ? a[0] : null;
      return null;
    }, (ProxyExecutable) a -> {
      done[0] = true;
      outcome[1] = a.length > 0 ? a[0] : null;
      return null;
    });
    while (!done[0]) {
      if (loop.invokeMember("pending").asInt() == 0) {
        // Let queued continuations run (an empty top-level call drains them), then look again.
        c.eval("js", "undefined");
        if (done[0] || loop.invokeMember("pending").asInt() > 0) {
          continue;
        }
        throw new JboltException("the plan waits on a promise that nothing will settle");
      }
      PlanHost.Completion next;
      try {
        next = host.completions.poll(1, TimeUnit.HOURS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new dev.jbolt.Cancelled("interrupted");
      }
      if (next != null) {
        loop.invokeMember("settle", next.id(), next.ok(), next.json());
      }
    }
    if (outcome[1] != null) {
      if (outcome[1].isException()) {
        throw outcome[1].throwException();
      }
      throw new PlanFailure("bolt/plan-failure", "the plan's promise was rejected with " + outcome[1], Map.of());
    }
    return outcome[0];
  }

  private PlanFailure failure(PolyglotException e, Value loop, Plan plan) {
    if (e.isGuestException() && e.getGuestObject() != null) {
      Value err = loop.invokeMember("error", e.getGuestObject());
      if (!err.isNull()) {
        Map<String, Object> m = PlanHost.map(err.asString());
        @SuppressWarnings("unchecked")
        Map<String, Object> details = m.get("details") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
        return new PlanFailure(String.valueOf(m.get("kind")), String.valueOf(m.get("msg")), details);
      }
    }
    if (e.isHostException() && e.asHostException() instanceof JboltException je) {
      return new PlanFailure("bolt/plan-failure", je.getMessage(), Map.of());
    }
    Map<String, Object> details = new LinkedHashMap<>();
    SourceSection at = location(e, plan);
    if (at != null) {
      details.put("file", plan.file().toString());
      details.put("line", at.getStartLine());
    }
    return new PlanFailure("bolt/plan-failure", where(e, plan) + ": " + e.getMessage(), details);
  }

  /** The innermost frame of the plan's own file. */
  private static SourceSection location(PolyglotException e, Plan plan) {
    if (e.getSourceLocation() != null && plan.file().toString().equals(e.getSourceLocation().getSource().getName())) {
      return e.getSourceLocation();
    }
    for (PolyglotException.StackFrame f : e.getPolyglotStackTrace()) {
      SourceSection s = f.getSourceLocation();
      if (s != null && plan.file().toString().equals(s.getSource().getName())) {
        return s;
      }
    }
    return null;
  }

  private static String where(PolyglotException e, Plan plan) {
    SourceSection s = location(e, plan);
    return plan.file() + (s == null ? "" : ":" + s.getStartLine());
  }

  /** run_plan: a sub-plan in its own context, sharing this run's host and connections. */
  /**
   * How deep plans may call plans. Each level holds a JavaScript context and dozens of interpreter
   * frames on one stack: a plan that calls itself without end must fail clearly, not with the
   * JVM's StackOverflowError (or the NoClassDefFoundError that it can surface as).
   */
  static final int MAX_PLAN_DEPTH = 16;

  private final java.util.Deque<String> calls = new java.util.concurrent.ConcurrentLinkedDeque<>();

  private String runNested(String name, String paramsJson) {
    if (calls.size() >= MAX_PLAN_DEPTH) {
      throw new JboltException("run_plan('" + name + "'): plans nested more than " + MAX_PLAN_DEPTH + " deep ("
          + String.join(" -> ", calls.reversed()) + " -> " + name + "); does a plan call itself without end?");
    }
    calls.push(name);
    try {
      return runNestedOnce(name, paramsJson);
    } finally {
      calls.pop();
    }
  }

  private String runNestedOnce(String name, String paramsJson) {
    Plan plan = Plan.find(host.project(), host.modules(), name);
    Info info = info(plan);
    Map<String, Object> params = dev.jbolt.task.Params.validate("plan " + name, info.params(), PlanHost.map(paramsJson));
    host.output().step("Starting: plan " + name);
    long t0 = System.nanoTime();
    Outcome o = run(plan, params);
    host.output().step(String.format(java.util.Locale.ROOT, "Finished: plan %s in %.2f s", name,
        (System.nanoTime() - t0) / 1e9));
    Map<String, Object> out = new LinkedHashMap<>();
    if (o.failure() != null) {
      out.put("error", o.failure().toMap());
    } else {
      out.put("value", PlanHost.parse(o.valueJson()));
    }
    return dev.jbolt.result.Json.write(out);
  }

  @Override
  public void close() {
    engine.close();
  }
}
