package dev.jbolt.plan;

import dev.jbolt.JboltException;
import dev.jbolt.inventory.Data;
import dev.jbolt.inventory.Target;
import dev.jbolt.output.PlanOutput;
import dev.jbolt.result.Json;
import dev.jbolt.session.Session;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Java side of the plan API: the one registry of plan functions, which the JavaScript prelude
 * calls by name with JSON arguments, to their end ({@link #call}) or as jobs of an async plan
 * ({@link #start}). Every plan and sub-plan of a run shares it, and with it the run's session: its
 * targets, options, Ctrl-C and connection pool (twenty steps on fifty targets cost fifty
 * handshakes).
 */
final class PlanApi {
  private final Session session;
  private final PlanOutput output;
  private final PlanFiles files;
  private final Map<String, PlanFunction> functions = new HashMap<>();

  /** Targets as the plan changed them (set_var, add_facts...) or made them (ad-hoc names). */
  private final Map<String, Target> targets = new ConcurrentHashMap<>();

  private final AtomicInteger jobIds = new AtomicInteger();
  private final Set<Thread> jobs = ConcurrentHashMap.newKeySet();
  final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();

  /** An async call that finished: its id, whether it worked, its JSON (or error message). */
  record Completion(int id, boolean ok, String json) {}

  PlanApi(Session session, PlanOutput output, PlanRunner runner) {
    this.session = session;
    this.output = output;
    this.files = new PlanFiles(session.project(), session.modules(), session.console().cwd());
    for (PlanFunction f :
        List.of(
            new RunCommand(this),
            new RunScript(this),
            new RunTask(this),
            new UploadFile(this),
            new DownloadFile(this),
            new WriteFile(this),
            new WaitUntilAvailable(this),
            new TargetFunctions.GetTargets(this),
            new TargetFunctions.ModifyTarget(this),
            new OtherFunctions.Message(output),
            new OtherFunctions.Sleep(),
            new OtherFunctions.RunPlan(runner),
            new RunServices(this),
            new LocalFunctions.FileRead(this),
            new LocalFunctions.FileExists(this),
            new LocalFunctions.DirChildren(this),
            new LocalFunctions.SystemEnv(session.console()),
            new LocalFunctions.Prompt(session.console(), output))) {
      functions.put(f.name(), f);
    }
  }

  Session session() {
    return session;
  }

  PlanOutput output() {
    return output;
  }

  PlanFiles files() {
    return files;
  }

  /** Calls function {@code name} to its end; its value as JSON. */
  String call(String name, String argsJson) {
    PlanFunction f = functions.get(name);
    if (f == null) {
      throw new JboltException("no plan function '" + name + "'");
    }
    return Json.write(f.call(new Args(name, Args.object(name, "its arguments", parse(argsJson)))));
  }

  /**
   * Starts function {@code name} on a virtual thread; its completion is queued for the plan's event
   * loop.
   */
  int start(String name, String argsJson) {
    int id = jobIds.incrementAndGet();
    Thread job =
        Thread.ofVirtual()
            .name("plan-job-" + id)
            .unstarted(
                () -> {
                  try {
                    completions.add(new Completion(id, true, call(name, argsJson)));
                  } catch (RuntimeException e) {
                    completions.add(
                        new Completion(
                            id, false, e.getMessage() == null ? e.toString() : e.getMessage()));
                  } finally {
                    jobs.remove(Thread.currentThread());
                  }
                });
    jobs.add(job);
    job.start();
    return id;
  }

  /**
   * Waits for the jobs still running (an async plan that failed or was interrupted leaves some):
   * their steps kill what they started and remove their temp dirs before the connections close.
   */
  void awaitJobs(long millis) {
    long deadline = System.currentTimeMillis() + millis;
    boolean interrupted = Thread.interrupted();
    for (Thread t : List.copyOf(jobs)) {
      try {
        t.join(Math.max(1, deadline - System.currentTimeMillis()));
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Resolves target specs to targets, remembering them for the rest of the run. */
  List<Target> resolve(List<String> specs) {
    Map<String, Target> out = new LinkedHashMap<>();
    for (String spec : specs) {
      Target known = targets.get(spec);
      if (known != null) {
        out.putIfAbsent(known.name(), known);
        continue;
      }
      for (Target t : session.resolve(spec)) {
        out.putIfAbsent(t.name(), targets.computeIfAbsent(t.name(), n -> t));
      }
    }
    return List.copyOf(out.values());
  }

  /** {@link #resolve}, each target run as {@code runAs} when given (a step's {@code _run_as}). */
  List<Target> targets(List<String> specs, String runAs) {
    List<Target> ts = resolve(specs);
    if (runAs == null) {
      return ts;
    }
    List<Target> out = new ArrayList<>();
    for (Target t : ts) {
      Data d = t.data();
      Map<String, Object> patch = Map.of(t.transport(), Map.of("run-as", runAs));
      out.add(
          new Target(
              t.name(),
              t.uri(),
              t.aliases(),
              new Data(Data.deepMerge(d.config(), patch), d.vars(), d.facts(), d.features()),
              t.groups()));
    }
    return out;
  }

  /** Keeps a changed target for the rest of the run. */
  Target remember(Target t) {
    targets.put(t.name(), t);
    return t;
  }

  static Object parse(String json) {
    try {
      return Json.mapper().readValue(json, Object.class);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
