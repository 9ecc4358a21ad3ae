package dev.jbolt.session;

import dev.jbolt.JboltException;
import dev.jbolt.Log;
import dev.jbolt.exec.Cancellation;
import dev.jbolt.exec.Executor;
import dev.jbolt.exec.RunListener;
import dev.jbolt.inventory.Data;
import dev.jbolt.inventory.Plugin;
import dev.jbolt.inventory.Plugins;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.Result;
import dev.jbolt.task.ModulePath;
import dev.jbolt.task.Task;
import dev.jbolt.task.TaskRun;
import dev.jbolt.transports.Transports;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Bolt's plugins that are tasks: {@code _plugin: task} ({@code task}, {@code parameters}) runs a
 * task on this machine and uses its result's {@code value}; {@code _plugin: MODULE} runs that
 * module's {@code resolve_reference} task with the reference's other keys as parameters, plus
 * Bolt's {@code _boltdir} and {@code _config} (the project file's {@code plugins.MODULE}). This is
 * how Bolt's custom plugins are written, so theirs run unchanged.
 */
final class TaskPlugins {
  private final Supplier<ModulePath> modules;
  private final Transports transports;
  private final Cancellation cancellation;
  private final Log log;
  private final Map<String, String> env;
  private final Path dir;
  private final Map<String, Object> settings;

  TaskPlugins(
      Supplier<ModulePath> modules,
      Transports transports,
      Cancellation cancellation,
      Log log,
      Map<String, String> env,
      Path dir,
      Map<String, Object> settings) {
    this.log = log;
    this.modules = modules;
    this.transports = transports;
    this.cancellation = cancellation;
    this.env = env;
    this.dir = dir;
    this.settings = settings;
  }

  /** {@code plugins} with the task plugin and module plugins added. */
  Plugins addTo(Plugins plugins) {
    return plugins
        .with(
            "task",
            "the 'value' of a task run on this machine (task, parameters)",
            this::taskPlugin)
        .withModules(this::modulePlugin);
  }

  private Object taskPlugin(Map<String, Object> p) {
    if (!(p.get("task") instanceof String name) || name.isBlank()) {
      throw new JboltException("needs 'task: NAME'");
    }
    Object params = p.getOrDefault("parameters", Map.of());
    if (!(params instanceof Map<?, ?> m)) {
      throw new JboltException("'parameters' must be a mapping of the task's parameters");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> given = new LinkedHashMap<>((Map<String, Object>) m);
    return value(Task.load(modules.get(), name), given, Map.of());
  }

  /** A module with a resolve_reference task is a plugin of the module's name; else null. */
  private Plugin modulePlugin(String name) {
    if (!name.matches("[a-z][a-z0-9_]*")) {
      return null;
    }
    Path module = modules.get().module(name);
    if (module == null || !hasTask(module.resolve("tasks"), "resolve_reference")) {
      return null;
    }
    return p -> {
      Task task = Task.load(modules.get(), name + "::resolve_reference");
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("_boltdir", dir.toString());
      meta.put("_config", settings.getOrDefault(name, Map.of()));
      return value(task, new LinkedHashMap<>(p), meta);
    };
  }

  private static boolean hasTask(Path tasks, String name) {
    try (var files = Files.list(tasks)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith(name + "."));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Runs {@code task} here, on the local transport, and gives its result's {@code value}. {@code
   * meta}: Bolt's metaparameters, given beside the checked ones, as Bolt does.
   */
  private Object value(Task task, Map<String, Object> given, Map<String, Object> meta) {
    Map<String, Object> params = new LinkedHashMap<>(task.validate(given));
    params.putAll(meta);
    Target here =
        new Target(
            "localhost",
            null,
            List.of(),
            new Data(Map.of("transport", "local"), Map.of(), Map.of(), Set.of()),
            List.of());
    Result r;
    try (TaskRun run = new TaskRun(task, modules.get(), params, false, env, 0, null)) {
      run.prepare(List.of(here));
      r =
          new Executor(transports::local, 1, cancellation, log)
              .run(List.of(here), "task", task.name(), run.action(), RunListener.NONE)
              .results()
              .get(0);
    }
    if (!r.ok()) {
      throw new JboltException("task " + task.name() + " failed: " + r.error().msg());
    }
    if (!r.value().containsKey("value")) {
      throw new JboltException(
          "task "
              + task.name()
              + " gave no 'value' in its result (a plugin task prints"
              + " {\"value\": ...})");
    }
    return r.value().get("value");
  }
}
