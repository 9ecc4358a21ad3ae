package dev.jbolt.plan.yaml;

import dev.jbolt.JboltException;
import dev.jbolt.Yaml;
import dev.jbolt.result.Json;
import dev.jbolt.task.TaskMetadata;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A Bolt YAML plan ({@code plans/NAME.yaml}), read as Bolt reads it and compiled to the JavaScript
 * plan it stands for, which runs on the same engine as every plan: {@code description}, {@code
 * parameters}, {@code private}, {@code steps} and {@code return}. Each step is one call of a plan
 * function ({@link Step}); a step's values are YAML literals, or Puppet expressions by Bolt's
 * string rules: a plain string starting with {@code $} and a {@code |} block are code, a
 * double-quoted string is interpolated, a single-quoted one is literal ({@link PuppetExpr}). All of
 * it is checked when the plan is read: a step jbolt cannot run (Puppet code past what {@link
 * PuppetExpr} knows, a {@code resources} step) fails the plan before its first step, naming the
 * step.
 */
public final class YamlPlan {
  private static final Set<String> TOP_KEYS =
      Set.of("description", "parameters", "private", "steps", "return");

  private final String label;
  private final String description;
  private final boolean isPrivate;
  private final Map<String, TaskMetadata.Param> params;
  private final String javascript;

  private YamlPlan(
      String label,
      String description,
      boolean isPrivate,
      Map<String, TaskMetadata.Param> params,
      String javascript) {
    this.label = label;
    this.description = description;
    this.isPrivate = isPrivate;
    this.params = params;
    this.javascript = javascript;
  }

  /**
   * Reads and compiles {@code file}, named relative to {@code projectDir} in errors (Bolt's kind
   * for them: {@code bolt/invalid-plan}).
   */
  public static YamlPlan load(Path file, Path projectDir) {
    String label =
        projectDir != null && file.startsWith(projectDir)
            ? projectDir.relativize(file).toString()
            : file.toString();
    try {
      return read(file, label);
    } catch (JboltException e) {
      throw e.withKind("bolt/invalid-plan", Map.of("file", file.toString()));
    }
  }

  /** Reads and compiles {@code file}; errors name {@code label} and the line. */
  public static YamlPlan read(Path file, String label) {
    Yaml y = Yaml.read(file, label);
    Map<String, Node> top = y.mapping(y.root(), "a YAML plan");
    checkTopKeys(y, top);
    String description =
        Yaml.isNull(top.get("description"))
            ? null
            : y.string(top.get("description"), "'description'");
    boolean isPrivate = Boolean.TRUE.equals(y.value(top.get("private")));
    Map<String, String> names = new LinkedHashMap<>(); // Puppet variable -> JavaScript name
    Map<String, TaskMetadata.Param> params = new LinkedHashMap<>();
    Map<String, Object> paramSpecs = new LinkedHashMap<>();
    readParams(y, top, label, names, params, paramSpecs);
    StringBuilder body = new StringBuilder();
    names.forEach(
        (p, js) -> body.append("  const ").append(js).append(" = args.").append(p).append(";\n"));
    compileSteps(y, top, names, body);
    body.append("  return ").append(compileReturn(y, top, names)).append(";\n");
    return new YamlPlan(
        label, description, isPrivate, params, module(label, description, paramSpecs, body));
  }

  private static void checkTopKeys(Yaml y, Map<String, Node> top) {
    for (var e : top.entrySet()) {
      if (!TOP_KEYS.contains(e.getKey())) {
        throw y.error(
            e.getValue(),
            "a YAML plan has no key '"
                + e.getKey()
                + "' (it has "
                + String.join(", ", TOP_KEYS)
                + ")");
      }
    }
  }

  /** The parameters: their metadata into {@code params}, as given into {@code specs}. */
  private static void readParams(
      Yaml y,
      Map<String, Node> top,
      String label,
      Map<String, String> names,
      Map<String, TaskMetadata.Param> params,
      Map<String, Object> paramSpecs) {
    if (!Yaml.isNull(top.get("parameters"))) {
      for (var e : y.mapping(top.get("parameters"), "'parameters'").entrySet()) {
        Object spec = Yaml.isNull(e.getValue()) ? Map.of() : y.value(e.getValue());
        if (!(spec instanceof Map<?, ?> m)
            || !Set.of("type", "default", "description", "sensitive").containsAll(m.keySet())) {
          throw y.error(
              e.getValue(),
              "parameter '"
                  + e.getKey()
                  + "' takes type, default and description, not "
                  + Json.write(spec));
        }
        try {
          params.put(e.getKey(), TaskMetadata.param(e.getKey(), spec, label));
        } catch (JboltException ex) {
          throw y.error(
              e.getValue(), ex.getMessage().replaceFirst("^" + Pattern.quote(label) + ": ", ""));
        }
        paramSpecs.put(e.getKey(), spec);
        names.put(e.getKey(), jsName(e.getKey()));
      }
    }
  }

  /** Each step as a JavaScript statement; a named step's result becomes a constant. */
  private static void compileSteps(
      Yaml y, Map<String, Node> top, Map<String, String> names, StringBuilder body) {
    List<Node> steps =
        Yaml.isNull(top.get("steps")) ? List.of() : y.sequence(top.get("steps"), "'steps'");
    for (int i = 0; i < steps.size(); i++) {
      Step step = Step.of(y, steps.get(i), i + 1);
      String code;
      try {
        code = step.javascript(new Values(y, names::get));
      } catch (PuppetCursor.Unsupported e) {
        throw y.error(
            e.node instanceof Node at ? at : step.node(),
            step.what()
                + ": "
                + (e.expression == null ? "" : "'" + e.expression + "' is ")
                + "Puppet-language code that jbolt cannot run ("
                + e.getMessage()
                + "); write the plan in JavaScript (docs/plans.md)");
      } catch (PuppetExpr.UnknownVariable e) {
        throw y.error(step.node(), step.what() + ": " + e.getMessage());
      }
      body.append("  // ").append(JsText.comment(step.what() + step.comment())).append('\n');
      String name = step.name();
      if (name != null) {
        if (names.containsKey(name)) {
          throw y.error(
              step.node(),
              step.what()
                  + ": Duplicate step name or parameter detected: \""
                  + name
                  + "\" (a parameter or an earlier step has that name)");
        }
        names.put(name, jsName(name));
        body.append("  const ").append(names.get(name)).append(" = ").append(code).append(";\n");
      } else {
        body.append("  ").append(code).append(";\n");
      }
    }
  }

  /** The plan's 'return' as a JavaScript expression ("null" without one). */
  private static String compileReturn(Yaml y, Map<String, Node> top, Map<String, String> names) {
    String ret = "null";
    if (top.containsKey("return")) {
      try {
        ret = new Values(y, names::get).of(top.get("return"));
      } catch (PuppetCursor.Unsupported e) {
        throw y.error(
            top.get("return"),
            "'return': "
                + (e.expression == null ? "" : "'" + e.expression + "' is ")
                + "Puppet-language code that jbolt cannot run ("
                + e.getMessage()
                + ")");
      } catch (PuppetExpr.UnknownVariable e) {
        throw y.error(top.get("return"), "'return': " + e.getMessage());
      }
    }
    return ret;
  }

  /** The JavaScript module: a comment naming the plan, its description and parameters, its body. */
  private static String module(
      String label, String description, Map<String, Object> paramSpecs, StringBuilder body) {
    StringBuilder js = new StringBuilder();
    js.append("// ")
        .append(JsText.comment(label))
        .append(", as a JavaScript plan (jbolt plan convert)\n");
    if (description != null) {
      js.append("export const description = ").append(JsText.value(description)).append(";\n");
    }
    js.append("export const params = ").append(JsText.value(paramSpecs)).append(";\n\n");
    js.append("export default function (args) {\n").append(body).append("}\n");
    return js.toString();
  }

  /**
   * A plan variable (a parameter, a named step's result) in JavaScript: {@code $name}, as Puppet
   * writes it. No plan function, global or keyword starts with {@code $}, so a step named {@code
   * run_task} (as Bolt's docs name one) or {@code command} shadows nothing.
   */
  static String jsName(String puppetName) {
    return "$" + puppetName;
  }

  public String description() {
    return description;
  }

  public boolean isPrivate() {
    return isPrivate;
  }

  /** The declared parameters (an empty map for none: then no parameter is accepted). */
  public Map<String, TaskMetadata.Param> params() {
    return params;
  }

  /** The equivalent JavaScript plan, as an ES module. */
  public String javascript() {
    return javascript;
  }

  public String label() {
    return label;
  }

  /** Compiles a step's YAML values to JavaScript by Bolt's string rules. */
  static final class Values {
    private final Yaml yaml;
    private final PuppetExpr.Scope scope;

    Values(Yaml yaml, PuppetExpr.Scope scope) {
      this.yaml = yaml;
      this.scope = scope;
    }

    String of(Node n) {
      if (n instanceof MappingNode m) {
        List<String> entries = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
          Object key = yaml.value(t.getKeyNode());
          entries.add(JsText.value(String.valueOf(key)) + ": " + of(t.getValueNode()));
        }
        return "{" + String.join(", ", entries) + "}";
      }
      if (n instanceof SequenceNode s) {
        List<String> items = new ArrayList<>();
        s.getValue().forEach(v -> items.add(of(v)));
        return "[" + String.join(", ", items) + "]";
      }
      ScalarNode s = (ScalarNode) n;
      String text = s.getValue();
      try {
        return scalar(s, text);
      } catch (PuppetCursor.Unsupported e) {
        if (e.expression == null) {
          e.expression = text.strip();
          e.node = n;
        }
        throw e;
      }
    }

    private String scalar(ScalarNode s, String text) {
      Node n = s;
      return switch (s.getScalarStyle()) {
        case SINGLE_QUOTED -> JsText.value(text);
        case DOUBLE_QUOTED ->
            text.contains("$") ? PuppetStrings.interpolate(text, scope) : JsText.value(text);
        case LITERAL -> PuppetExpr.compile(text.strip(), scope);
        case PLAIN ->
            text.startsWith("$") ? PuppetExpr.compile(text, scope) : JsText.value(yaml.value(n));
        default -> JsText.value(yaml.value(n));
      };
    }

    /** A key that must be a plain value (a name, a task), whatever its style. */
    static boolean isCode(Node n) {
      return n instanceof ScalarNode s
          && (s.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
              || (s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN
                  && s.getValue().startsWith("$")));
    }
  }
}
