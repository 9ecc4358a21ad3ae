package dev.jbolt.service;

import dev.jbolt.Cancelled;
import dev.jbolt.JboltException;
import dev.jbolt.action.CommandAction;
import dev.jbolt.exec.TargetAction;
import dev.jbolt.inventory.Data;
import dev.jbolt.inventory.NodeSet;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.result.Json;
import dev.jbolt.result.Result;
import dev.jbolt.result.ResultSet;
import dev.jbolt.session.Work;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** One service's action: its checks, its delay, its runs and retries, and its status. */
final class ActionRun {
  private final ServiceRun.Context ctx;
  private final Entity action;
  private final Set<String> filtered;

  ActionRun(ServiceRun.Context ctx, Entity action, Set<String> filtered) {
    this.ctx = ctx;
    this.action = action;
    this.filtered = filtered;
  }

  private final Set<String> checkFailed = new TreeSet<>();

  /** The nodes where this action's checks failed: MilkCheck leaves them out of the dependents. */
  Set<String> checkFailed() {
    return checkFailed;
  }

  /**
   * The action, after its {@code check} actions as MilkCheck runs them: when every check is done
   * the action is done without running (the service is already in the state it brings); when one
   * failed (or warned) the action runs, on all its targets. An action skipped (no targets left, or
   * not tagged) runs no check.
   */
  Services.Outcome run() {
    // %TARGET is the action's nodes after -n and -x, before the nodes its dependencies failed on
    // are left out (MilkCheck resolves it before the run); the action runs on the latter.
    List<Target> unfiltered = targets();
    List<Target> targets =
        unfiltered == null
            ? null
            : unfiltered.stream().filter(t -> !filtered.contains(t.name())).toList();
    Set<String> tags = ctx.opts().tags();
    if (targets != null && targets.isEmpty() || !tags.isEmpty() && !matches(tags)) {
      return outcome(Status.SKIPPED, names(targets), List.of(), 0, 0, null);
    }
    if (!action.checks.isEmpty() && checksAllDone()) {
      return outcome(Status.DONE, names(targets), List.of(), 0, 0, null);
    }
    String mode = mode(action);
    if (!mode.equals("standard") && targets != null) {
      checkLocalNames(names(targets));
    }
    String folded = targets == null ? "" : NodeSet.fold(names(targets));
    String cmd =
        ctx.vars()
            .resolve(
                action.cmd,
                action,
                Map.of("TARGET", unfiltered == null ? "" : NodeSet.fold(names(unfiltered))));
    if (!cmd.equals(action.cmd)) {
      ctx.listener().resolved(action.cmd, cmd);
    }
    if (ctx.opts().dryRun()) {
      ctx.listener()
          .dry(
              action.name
                  + " "
                  + action.fullname()
                  + " on "
                  + (folded.isEmpty() ? "localhost" : folded)
                  + "\n > "
                  + cmd);
      return outcome(Status.DONE, names(targets), List.of(), 0, 1, List.of());
    }
    long start = System.nanoTime();
    Tried tried = runWithRetries(targets, mode, cmd, folded.isEmpty() ? "localhost" : folded);
    return judged(targets, tried.rs(), (System.nanoTime() - start) / 1_000_000, tried.tries(), cmd);
  }

  /**
   * Runs the action's {@code check} actions as MilkCheck does; whether every one is done (or
   * skipped): then the service is already where the action would bring it.
   */
  private boolean checksAllDone() {
    boolean allDone = true;
    for (String c : action.checks) {
      Entity other = action.parent.children.get(c);
      if (other == null) {
        throw new JboltException(
            action.where + ": action " + action.name + " checks unknown action '" + c + "'");
      }
      ActionRun check = new ActionRun(ctx, other, filtered);
      Services.Outcome o = check.run();
      ctx.listener().action(o);
      checkFailed.addAll(o.failed());
      checkFailed.addAll(check.checkFailed());
      allDone &= o.status() == Status.DONE || o.status() == Status.SKIPPED;
    }
    return allDone;
  }

  /**
   * Runs {@code cmd} where the action's mode says (on the targets; here for each, exec; here once,
   * delegate or no targets), after its delay, again up to its retry count while a target fails;
   * gives the last run's results and how many runs there were.
   */
  private Tried runWithRetries(List<Target> targets, String mode, String cmd, String shown) {
    List<Target> on;
    TargetAction fn;
    long timeout = Math.round(action.numberProp("timeout", 0) * 1000);
    if (targets == null || mode.equals("delegate")) {
      on = List.of(local("localhost", null));
      fn = CommandAction.run(cmd, Map.of(), timeout, null);
    } else if (mode.equals("exec")) {
      on = targets.stream().map(t -> local(t.name(), t)).toList();
      fn = CommandAction.local(cmd, Map.of(), timeout, null);
    } else {
      on = targets;
      fn = CommandAction.run(cmd, Map.of(), timeout, null);
    }
    int fanout = action.intProp("fanout", ctx.opts().fanout());
    int retry = action.intProp("retry", 0);
    long delay = Math.round(action.numberProp("delay", 0) * 1000);
    ResultSet rs;
    int tries = 0;
    do {
      if (delay > 0) {
        ctx.listener().delayed(action.name, action.fullname(), action.prop("delay"));
        sleep(delay);
      }
      ctx.listener().command(action.name, action.fullname(), shown, cmd);
      tries++;
      rs =
          ctx.session()
              .quietStep(
                  new Work("service", action.fullname() + "." + action.name, on, fn, null), fanout);
    } while (!rs.ok() && tries <= retry);
    return new Tried(rs, tries);
  }

  /** The last run of an action's command, and how many runs it took. */
  private record Tried(ResultSet rs, int tries) {}

  /**
   * The outcome by MilkCheck's thresholds: TIMEOUT when only timeouts passed {@code errors}, ERROR
   * when failures did, WARNING past {@code warnings}, else DONE.
   */
  private Services.Outcome judged(
      List<Target> targets, ResultSet rs, long ms, int tries, String cmd) {
    List<String> errors = new ArrayList<>();
    List<String> timeouts = new ArrayList<>();
    for (Result r : rs.results()) {
      if (!r.ok()) {
        (ErrorKind.TIMEOUT.id().equals(r.error().kind()) ? timeouts : errors).add(r.target());
      }
    }
    int failedCount = errors.size() + timeouts.size();
    int tolerated = action.intProp("errors", 0);
    Status s =
        timeouts.size() > tolerated && errors.isEmpty()
            ? Status.TIMEOUT
            : failedCount > tolerated
                ? Status.ERROR
                : failedCount > action.intProp("warnings", 0) ? Status.WARNING : Status.DONE;
    List<String> bad = new ArrayList<>(errors);
    bad.addAll(timeouts);
    return outcome(
        s, names(targets == null ? List.of() : targets), bad, ms, tries, rs.results(), cmd);
  }

  /** The action's targets after -n and -x; null when it has none (it runs here). */
  private List<Target> targets() {
    Object spec = action.prop("target");
    if (spec == null) {
      return null;
    }
    String resolved = ctx.vars().resolve(String.valueOf(spec), action, Map.of());
    List<Target> targets = new ArrayList<>();
    for (Target t : ctx.session().resolve(ServiceRun.spec(resolved))) {
      if ((ctx.only() == null || ctx.only().contains(t.name()))
          && !ctx.excluded().contains(t.name())) {
        targets.add(t);
      }
    }
    return targets;
  }

  /** standard (over SSH on the targets), or delegate or exec (this machine's shell). */
  static String mode(Entity action) {
    if (Boolean.FALSE.equals(action.prop("remote"))) {
      return "exec";
    }
    return action.prop("mode") == null ? "standard" : String.valueOf(action.prop("mode"));
  }

  /** Characters a target name may have where it becomes a word of a command run here. */
  private static final Pattern LOCAL_SAFE = Pattern.compile("[A-Za-z0-9._@:,+=/\\[\\]-]+");

  /**
   * In delegate and exec modes {@code %TARGET} is put, as MilkCheck puts it, unquoted into a
   * command that this machine's shell runs: a name (from a plugin, a CMDB) that holds shell syntax
   * would run as code here, so it is refused, before anything runs.
   */
  static void checkLocalNames(List<String> names) {
    for (String n : names) {
      if (!LOCAL_SAFE.matcher(n).matches() || n.startsWith("-")) {
        throw new JboltException(
            "target name "
                + Json.write(n)
                + " holds characters this machine's shell would read as syntax, and this action"
                + " runs here (delegate or exec mode) with %TARGET unquoted: rename the target"
                + " (letters, digits and . _ @ : , + = / [ ] -)");
      }
    }
  }

  private boolean matches(Set<String> tags) {
    return action.prop("tags") instanceof List<?> l && l.stream().anyMatch(tags::contains);
  }

  private Services.Outcome outcome(
      Status s, List<String> targets, List<String> bad, long ms, int tries, List<Result> rs) {
    return outcome(s, targets, bad, ms, tries, rs, action.cmd);
  }

  private Services.Outcome outcome(
      Status s,
      List<String> targets,
      List<String> bad,
      long ms,
      int tries,
      List<Result> rs,
      String cmd) {
    Object desc = action.prop("desc");
    return new Services.Outcome(
        action.fullname(),
        action.name,
        desc == null ? null : ctx.vars().resolve(String.valueOf(desc), action, Map.of()),
        s,
        targets,
        bad,
        ms,
        tries,
        rs == null ? List.of() : rs,
        cmd);
  }

  private static List<String> names(List<Target> ts) {
    return ts == null ? List.of() : ts.stream().map(Target::name).toList();
  }

  /** {@code name} on this machine: for delegate and exec modes, and services without targets. */
  private static Target local(String name, Target like) {
    Data local = new Data(Map.of("transport", "local"), Map.of(), Map.of(), Set.of());
    return like == null
        ? new Target(name, null, List.of(), local, List.of())
        : new Target(
            like.name(), like.uri(), like.aliases(), like.data().with(local), like.groups());
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Cancelled("interrupted");
    }
    if (ctx.session().cancellation().cancelled()) {
      throw new Cancelled("interrupted");
    }
  }
}
