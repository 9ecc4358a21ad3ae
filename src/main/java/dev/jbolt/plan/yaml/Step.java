package dev.jbolt.plan.yaml;

import dev.jbolt.Yaml;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * One step of a YAML plan, as Bolt defines it: its action key (exactly one of {@link #KINDS}), the
 * keys that kind takes, and the plan-function call it stands for. Common to all: {@code name} (the
 * variable that keeps its result), {@code description}, {@code targets} (or the older {@code
 * target}); and, where Bolt has them, {@code catch_errors}, {@code run_as}, {@code env_vars},
 * {@code noop}.
 */
final class Step {
  static final List<String> KINDS =
      List.of(
          "command",
          "task",
          "script",
          "upload",
          "download",
          "plan",
          "message",
          "verbose",
          "eval",
          "prompt",
          "resources");

  private static final Set<String> COMMON = Set.of("name", "description", "targets", "target");

  /** The keys each kind takes besides the common ones; those it needs are listed first. */
  private static final Map<String, List<String>> KEYS =
      Map.ofEntries(
          Map.entry("command", List.of("command", "catch_errors", "run_as", "env_vars")),
          Map.entry("task", List.of("task", "parameters", "catch_errors", "run_as", "noop")),
          Map.entry(
              "script",
              List.of("script", "arguments", "pwsh_params", "catch_errors", "run_as", "env_vars")),
          Map.entry("upload", List.of("upload", "source", "destination", "catch_errors", "run_as")),
          Map.entry("download", List.of("download", "destination", "catch_errors", "run_as")),
          Map.entry("plan", List.of("plan", "parameters", "catch_errors", "run_as")),
          Map.entry("message", List.of("message")),
          Map.entry("verbose", List.of("verbose")),
          Map.entry("eval", List.of("eval")),
          Map.entry("prompt", List.of("prompt", "default", "menu", "sensitive")),
          Map.entry("resources", List.of("resources")));

  /** The kinds that act on targets, which they must be given. */
  private static final Set<String> ON_TARGETS =
      Set.of("command", "task", "script", "upload", "download", "resources");

  private final Yaml yaml;
  private final Node node;
  private final int number;
  private final String kind;
  private final Map<String, Node> body;

  private Step(Yaml yaml, Node node, int number, String kind, Map<String, Node> body) {
    this.yaml = yaml;
    this.node = node;
    this.number = number;
    this.kind = kind;
    this.body = body;
  }

  static Step of(Yaml y, Node node, int number) {
    Map<String, Node> body = y.mapping(node, "step " + number);
    List<String> kinds = KINDS.stream().filter(body::containsKey).toList();
    if (kinds.size() != 1 && !(kinds.isEmpty() && body.containsKey("source"))) {
      throw y.error(
          node,
          "step "
              + number
              + (kinds.isEmpty()
                  ? " has no action: give one of " + String.join(", ", KINDS)
                  : " has several actions: " + String.join(", ", kinds)));
    }
    String kind = kinds.isEmpty() ? "upload" : kinds.get(0); // Bolt 2's upload: source
    Step step = new Step(y, node, number, kind, body);
    for (var e : body.entrySet()) {
      if (!COMMON.contains(e.getKey()) && !KEYS.get(kind).contains(e.getKey())) {
        throw y.error(
            e.getValue(),
            step.what()
                + ": a "
                + kind
                + " step has no key '"
                + e.getKey()
                + "' (it takes "
                + String.join(", ", KEYS.get(kind))
                + ", name, description, targets)");
      }
    }
    if (ON_TARGETS.contains(kind) && !body.containsKey("targets") && !body.containsKey("target")) {
      throw y.error(node, step.what() + ": a " + kind + " step needs 'targets'");
    }
    for (String needed : List.of("destination")) {
      if (KEYS.get(kind).contains(needed) && !body.containsKey(needed)) {
        throw y.error(node, step.what() + ": a " + kind + " step needs '" + needed + "'");
      }
    }
    if (step.name() != null && !step.name().matches("[a-z_][a-z0-9_]*")) {
      throw y.error(
          body.get("name"),
          step.what()
              + ": the name must be a variable name ([a-z_][a-z0-9_]*), not '"
              + step.name()
              + "'");
    }
    return step;
  }

  Node node() {
    return node;
  }

  /** The variable that keeps the step's result, or null. */
  String name() {
    Node n = body.get("name");
    return n == null || Yaml.isNull(n) ? null : String.valueOf(yaml.value(n));
  }

  /** "step 3 (deploy)", for messages. */
  String what() {
    return "step " + number + (name() == null ? "" : " (" + name() + ")");
  }

  /** The comment the JavaScript gets: what the step does. */
  String comment() {
    Node d = body.get("description");
    return ": " + kind + (d instanceof ScalarNode s ? ", " + s.getValue() : "");
  }

  /** The plan-function call, as JavaScript. */
  String javascript(YamlPlan.Values v) {
    String targets =
        body.containsKey("targets")
            ? v.of(body.get("targets"))
            : body.containsKey("target") ? v.of(body.get("target")) : null;
    String description = body.containsKey("description") ? v.of(body.get("description")) : null;
    return switch (kind) {
      case "command" ->
          call(
              "run_command",
              v,
              List.of(v.of(body.get("command")), targets),
              description,
              options(v, "catch_errors", "run_as", "env_vars"));
      case "task" -> task(v, targets, description);
      case "script" -> script(v, targets, description);
      case "upload" ->
          call(
              "upload_file",
              v,
              List.of(
                  v.of(body.containsKey("upload") ? body.get("upload") : body.get("source")),
                  v.of(body.get("destination")),
                  targets),
              description,
              options(v, "catch_errors", "run_as"));
      case "download" ->
          call(
              "download_file",
              v,
              List.of(v.of(body.get("download")), v.of(body.get("destination")), targets),
              description,
              options(v, "catch_errors", "run_as"));
      case "plan" -> plan(v, targets);
      case "message" -> "out.message(" + v.of(body.get("message")) + ")";
      case "verbose" -> "out.verbose(" + v.of(body.get("verbose")) + ")";
      case "eval" -> v.of(body.get("eval"));
      case "prompt" -> prompt(v);
      case "resources" -> throw resources();
      default -> throw new IllegalStateException(kind);
    };
  }

  private String task(YamlPlan.Values v, String targets, String description) {
    List<String> args = new ArrayList<>(List.of(v.of(body.get("task")), targets));
    if (description != null) {
      args.add(description);
    }
    args.add(body.containsKey("parameters") ? v.of(body.get("parameters")) : "{}");
    String opts = options(v, "catch_errors", "run_as", "noop");
    if (opts != null) {
      args.add(opts);
    }
    return "run_task(" + String.join(", ", args) + ")";
  }

  private String script(YamlPlan.Values v, String targets, String description) {
    if (body.containsKey("pwsh_params")) {
      throw new PuppetCursor.Unsupported("pwsh_params, which are for PowerShell scripts");
    }
    Map<String, String> extra = new LinkedHashMap<>();
    if (body.containsKey("arguments")) {
      extra.put("arguments", v.of(body.get("arguments")));
    }
    return call(
        "run_script",
        v,
        List.of(v.of(body.get("script")), targets),
        description,
        options(v, extra, "catch_errors", "run_as", "env_vars"));
  }

  private String plan(YamlPlan.Values v, String targets) {
    List<String> parts = new ArrayList<>();
    if (body.containsKey("parameters")) {
      parts.add("..." + v.of(body.get("parameters")));
    }
    if (targets != null) {
      parts.add("targets: " + targets);
    }
    for (String opt : List.of("catch_errors", "run_as")) {
      if (body.containsKey(opt)) {
        parts.add("_" + opt + ": " + v.of(body.get(opt)));
      }
    }
    return "run_plan(" + v.of(body.get("plan")) + ", {" + String.join(", ", parts) + "})";
  }

  private String prompt(YamlPlan.Values v) {
    if (body.containsKey("menu")) {
      return "prompt.menu("
          + v.of(body.get("prompt"))
          + ", "
          + v.of(body.get("menu"))
          + (body.containsKey("default") ? ", {default: " + v.of(body.get("default")) + "}" : "")
          + ")";
    }
    String opts = options(v, "default", "sensitive");
    return "prompt(" + v.of(body.get("prompt")) + (opts == null ? "" : ", " + opts) + ")";
  }

  private PuppetCursor.Unsupported resources() {
    PuppetCursor.Unsupported e =
        new PuppetCursor.Unsupported(
            "a resources step applies Puppet resources, which needs Puppet's compiler and agent");
    e.node = body.get("resources");
    return e;
  }

  private static String call(
      String fn, YamlPlan.Values v, List<String> args, String description, String opts) {
    List<String> all = new ArrayList<>(args);
    if (description != null) {
      all.add(description);
    }
    if (opts != null) {
      all.add(opts);
    }
    return fn + "(" + String.join(", ", all) + ")";
  }

  private String options(YamlPlan.Values v, String... keys) {
    return options(v, new LinkedHashMap<>(), keys);
  }

  /** {@code {key: value, ...}} of the keys the step gives, after {@code extra}; null for none. */
  private String options(YamlPlan.Values v, Map<String, String> extra, String... keys) {
    Map<String, String> out = new LinkedHashMap<>(extra);
    for (String k : keys) {
      if (body.containsKey(k)) {
        out.put(k, v.of(body.get(k)));
      }
    }
    if (out.isEmpty()) {
      return null;
    }
    List<String> parts = new ArrayList<>();
    out.forEach((k, js) -> parts.add(k + ": " + js));
    return "{" + String.join(", ", parts) + "}";
  }
}
