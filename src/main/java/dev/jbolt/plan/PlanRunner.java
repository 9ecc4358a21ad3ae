package dev.jbolt.plan;

import dev.jbolt.Cancelled;
import dev.jbolt.JboltException;
import dev.jbolt.exec.Cancellation;
import dev.jbolt.output.PlanOutput;
import dev.jbolt.plan.yaml.YamlPlan;
import dev.jbolt.result.Json;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import dev.jbolt.session.Session;
import dev.jbolt.task.Params;
import dev.jbolt.task.TaskMetadata;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;
import org.graalvm.polyglot.proxy.ProxyObject;

/**
 * Runs JavaScript plans on GraalVM. Each plan (and sub-plan) gets its own context on one shared
 * engine, sandboxed: no host classes, no files, no processes, no threads; the world is reached only
 * through the plan functions of {@link PlanApi}, on the run's {@link Session}. A plan whose default
 * export is async is driven by an event loop here, at the top level, where GraalJS runs promise
 * continuations. Ctrl-C (the session's cancellation) stops the JavaScript wherever it is.
 */
public final class PlanRunner implements AutoCloseable {
  private static final String PRELUDE = resource("prelude.js");

  private final PlanApi api;
  private final PlanOutput output;
  private final Session session;
  private final Engine engine;
  private final Set<Context> live = ConcurrentHashMap.newKeySet();
  private final Thread thread = Thread.currentThread();
  private final Cancellation.Registration onCancel;

  /** What a plan declares: its description and parameters. */
  public record Info(
      String description, Map<String, TaskMetadata.Param> params, boolean isPrivate) {}

  /**
   * A plan's outcome: its return value as JSON (and as a ResultSet, with timing, when it is one),
   * or its failure.
   */
  public record Outcome(String valueJson, ResultSet resultSet, PlanFailure failure) {}

  /** A runner on {@code session}; plans show their steps and messages through {@code output}. */
  public PlanRunner(Session session, PlanOutput output) {
    this.session = session;
    this.output = output;
    this.engine = Engine.newBuilder("js").option("engine.WarnInterpreterOnly", "false").build();
    this.api = new PlanApi(session, output, this);
    this.onCancel = session.cancellation().onCancel(this::stop);
  }

  /**
   * Ctrl-C: the plan's thread is woken (from a sleep or the event loop's wait) and its contexts are
   * closed, which stops the JavaScript where it stands; running steps are stopped by their
   * executors. Closing waits for the plan's thread to leave a host call, so it has a thread of its
   * own.
   */
  private void stop() {
    thread.interrupt();
    Thread.ofPlatform()
        .daemon()
        .name("jbolt-plan-stop")
        .start(
            () ->
                live.forEach(
                    c -> {
                      try {
                        c.close(true);
                      } catch (RuntimeException e) {
                        // already closed
                      }
                    }));
  }

  private static String resource(String name) {
    try (InputStream in = PlanRunner.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing resource " + name, e);
    }
  }

  private Context context() {
    return context(false);
  }

  /**
   * A context for a plan; when {@code readOnly}, every plan function refuses: reading a plan's
   * parameters (plan show, completion) evaluates its module, and that must run nothing.
   */
  private Context context(boolean readOnly) {
    Context c =
        Context.newBuilder("js")
            .engine(engine)
            .allowHostAccess(HostAccess.NONE)
            .allowHostClassLookup(name -> false)
            .allowIO(IOAccess.NONE)
            .allowCreateProcess(false)
            .allowCreateThread(false)
            .allowNativeAccess(false)
            .option("js.esm-eval-returns-exports", "true")
            .build();
    Map<String, Object> host = new LinkedHashMap<>();
    if (readOnly) {
      host.put("call", fn(a -> refuse(a[0].asString())));
      host.put("start", fn(a -> refuse(a[0].asString())));
    } else {
      host.put("call", fn(a -> api.call(a[0].asString(), a[1].asString())));
      host.put("start", fn(a -> api.start(a[0].asString(), a[1].asString())));
    }
    c.getBindings("js").putMember("__jbolt", ProxyObject.fromMap(host));
    c.eval(Source.newBuilder("js", PRELUDE, "jbolt-prelude.js").buildLiteral());
    return c;
  }

  private static Object refuse(String function) {
    String name = function.matches("command|script|task") ? "run_" + function : function;
    throw new JboltException(
        (name.matches("upload|download") ? name + "_file" : name)
            + " was called while the plan was only read: plan functions run in 'plan run', not at"
            + " the top level of a plan file");
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
    String source = plan.file().toString();
    if (plan.isYaml()) {
      text = yaml(plan).javascript();
      source = plan.file() + " (as JavaScript)";
    } else {
      try {
        text = Files.readString(plan.file());
      } catch (IOException e) {
        throw new JboltException(plan.file() + ": cannot read: " + e.getMessage());
      }
    }
    try {
      Source src =
          Source.newBuilder("js", text, source).mimeType("application/javascript+module").build();
      return c.eval(src);
    } catch (PolyglotException e) {
      throw new JboltException(
              PlanFailure.where(e, plan) + ": " + e.getMessage().lines().findFirst().orElse(""))
          .withKind("bolt/pal-error", Map.of("file", plan.file().toString()));
    } catch (IOException e) {
      throw new JboltException(plan.file() + ": " + e.getMessage());
    }
  }

  /** A YAML plan, read and compiled (errors name its file and line, before any step runs). */
  private YamlPlan yaml(Plan plan) {
    return YamlPlan.load(plan.file(), session.project().dir());
  }

  /** A plan's description and parameters; its top level runs with every plan function refusing. */
  public Info info(Plan plan) {
    if (plan.isPuppet()) {
      throw new JboltException(
          plan.file() + ": a Puppet-language plan, which needs Puppet-language code support");
    }
    if (plan.isYaml()) {
      YamlPlan y = yaml(plan);
      return new Info(y.description(), y.params(), y.isPrivate());
    }
    try (Context c = context(true)) {
      Value exports = load(c, plan);
      String label = plan.file().getFileName().toString();
      Value d = exports.getMember("description");
      Map<String, TaskMetadata.Param> params = null;
      Value p = exports.getMember("params");
      if (p != null && !p.isNull()) {
        params = new LinkedHashMap<>();
        Map<String, Object> raw =
            map(c.getBindings("js").getMember("JSON").invokeMember("stringify", p).asString());
        for (var e : raw.entrySet()) {
          params.put(e.getKey(), TaskMetadata.param(e.getKey(), e.getValue(), label));
        }
      }
      if (!exports.hasMember("default") || !exports.getMember("default").canExecute()) {
        throw new JboltException(label + ": a plan must export a default function");
      }
      return new Info(d == null || d.isNull() ? null : d.toString(), params, false);
    }
  }

  /** Runs a plan with checked parameters; Ctrl-C throws {@link Cancelled}. */
  public Outcome run(Plan plan, Map<String, Object> params) {
    return run(plan, params, null);
  }

  /** {@link #run}, every step as {@code runAs} (when not null) unless it says otherwise. */
  private Outcome run(Plan plan, Map<String, Object> params, String runAs) {
    Context c = context();
    if (runAs != null) {
      c.getBindings("js").getMember("__jbolt_loop").invokeMember("runAs", runAs);
    }
    live.add(c);
    try {
      if (session.cancellation().cancelled()) {
        throw new Cancelled("interrupted");
      }
      return run(c, plan, params);
    } finally {
      live.remove(c);
      try {
        c.close();
      } catch (RuntimeException e) {
        // closed by a cancel already
      }
    }
  }

  private Outcome run(Context c, Plan plan, Map<String, Object> params) {
    Value exports = load(c, plan);
    Value loop = c.getBindings("js").getMember("__jbolt_loop");
    Value jsonParse = c.getBindings("js").getMember("JSON").getMember("parse");
    try {
      Value main = exports.getMember("default");
      boolean async = loop.invokeMember("isAsync", main).asBoolean();
      if (async) {
        loop.invokeMember("begin"); // every run_* now returns a promise the loop settles
      }
      Value result = main.execute(jsonParse.execute(Json.write(params)));
      if (result.hasMember("then") && result.getMember("then").canExecute()) {
        result = drive(c, loop, result);
      }
      Map<String, Object> out = map(loop.invokeMember("value", result).asString());
      if (out.get("resultset") instanceof Map<?, ?> json) {
        ResultSet rs = PlanFailure.resultSet(json);
        return new Outcome(Json.write(rs.results().stream().map(Result::toMap).toList()), rs, null);
      }
      return new Outcome(Json.write(out.get("value")), null, null);
    } catch (PolyglotException e) {
      return new Outcome(null, null, failure(e, loop, plan));
    } catch (PlanFailure f) {
      return new Outcome(null, null, f);
    }
  }

  /**
   * The event loop of an async plan: settles each finished job until the plan's promise settles.
   */
  private Value drive(Context c, Value loop, Value promise) {
    Value[] outcome = new Value[2];
    boolean[] done = new boolean[1];
    promise.invokeMember(
        "then",
        (ProxyExecutable)
            a -> {
              done[0] = true;
              outcome[0] = a.length > 0 ? a[0] : null;
              return null;
            },
        (ProxyExecutable)
            a -> {
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
      PlanApi.Completion next;
      try {
        next = api.completions.poll(1, TimeUnit.HOURS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new Cancelled("interrupted");
      }
      if (next != null) {
        loop.invokeMember("settle", next.id(), next.ok(), next.json());
      }
    }
    if (outcome[1] != null) {
      if (outcome[1].isException()) {
        throw outcome[1].throwException();
      }
      throw new PlanFailure(
          "bolt/plan-failure", "the plan's promise was rejected with " + outcome[1], Map.of());
    }
    return outcome[0];
  }

  private PlanFailure failure(PolyglotException e, Value loop, Plan plan) {
    if (e.isCancelled()
        || session.cancellation().cancelled()
        || e.isHostException() && e.asHostException() instanceof Cancelled) {
      throw new Cancelled("interrupted");
    }
    Value err =
        e.isGuestException() && e.getGuestObject() != null
            ? loop.invokeMember("error", e.getGuestObject())
            : null;
    return PlanFailure.of(e, err == null || err.isNull() ? null : map(err.asString()), plan);
  }

  /**
   * How deep plans may call plans. Each level holds a JavaScript context and dozens of interpreter
   * frames on one stack: a plan that calls itself without end must fail clearly, not with the JVM's
   * StackOverflowError (or the NoClassDefFoundError that it can surface as).
   */
  static final int MAX_PLAN_DEPTH = 16;

  private final Deque<String> calls = new ConcurrentLinkedDeque<>();

  /** run_plan: a sub-plan in its own context, on this run's session; {value} or {error}. */
  Map<String, Object> runNested(String name, Map<String, Object> params, String runAs) {
    if (calls.size() >= MAX_PLAN_DEPTH) {
      throw new JboltException(
          "run_plan('"
              + name
              + "'): plans nested more than "
              + MAX_PLAN_DEPTH
              + " deep ("
              + String.join(" -> ", calls.reversed())
              + " -> "
              + name
              + "); does a plan call itself without end?");
    }
    calls.push(name);
    try {
      return runNestedOnce(name, params, runAs);
    } finally {
      calls.pop();
    }
  }

  private Map<String, Object> runNestedOnce(String name, Map<String, Object> given, String runAs) {
    Plan plan = Plan.find(session.project(), session.modules(), name);
    Info info = info(plan);
    Map<String, Object> params = Params.validate("plan " + name, info.params(), given);
    output.step("Starting: plan " + name);
    long t0 = System.nanoTime();
    Outcome o = run(plan, params, runAs);
    output.step(
        String.format(
            Locale.ROOT, "Finished: plan %s in %.2f s", name, (System.nanoTime() - t0) / 1e9));
    Map<String, Object> out = new LinkedHashMap<>();
    if (o.failure() != null) {
      out.put("error", o.failure().toMap());
    } else {
      out.put("value", PlanApi.parse(o.valueJson()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(String json) {
    return (Map<String, Object>) PlanApi.parse(json);
  }

  @Override
  public void close() {
    api.awaitJobs(60_000);
    onCancel.close();
    engine.close();
  }
}
