package dev.jbolt.task;

import dev.jbolt.JboltException;
import dev.jbolt.action.Streams;
import dev.jbolt.action.TaskAction;
import dev.jbolt.files.LocalFiles;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.TransportException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A task made ready to run on a run's targets, as Bolt does it: the implementation each target's
 * features choose, its file and its {@code files} (from any module on the modulepath) laid out
 * locally under Bolt's paths once per implementation (so each target costs one upload), and the
 * private file of its {@code PT_*} variables. The running itself is {@link TaskAction}'s.
 */
public final class TaskRun implements TaskAction.Staging, AutoCloseable {
  private final Task task;
  private final Map<String, Object> params;
  private final boolean noop;
  private final ModulePath modules;
  private final Map<String, TaskAction.Staged> staged = new LinkedHashMap<>(); // guarded by this
  private final Path stagingRoot;
  private final TaskAction action;

  /** {@code modules}: where the modules named in the task's {@code files} are found. */
  public TaskRun(
      Task task,
      ModulePath modules,
      Map<String, Object> params,
      boolean noop,
      Map<String, String> env,
      long timeoutMillis,
      Streams streams) {
    if (noop && !task.metadata().supportsNoop()) {
      throw new JboltException(
          "task " + task.name() + " does not support noop (its metadata has no supports_noop)");
    }
    this.task = task;
    this.modules = modules;
    this.params = params;
    this.noop = noop;
    this.action = new TaskAction(task.name(), params, noop, env, this, timeoutMillis, streams);
    task.metadata()
        .unknownKeys()
        .forEach(
            k ->
                warnings.add(
                    "task "
                        + task.name()
                        + ": metadata key '"
                        + k
                        + "' is not one of Bolt's and is ignored"));
    try {
      stagingRoot = Files.createTempDirectory("jbolt-task");
      Files.setPosixFilePermissions(stagingRoot, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new JboltException("cannot make a local staging dir: " + e.getMessage());
    }
  }

  /** What runs the task on each target. */
  public TaskAction action() {
    return action;
  }

  /** The implementation for a target: the first whose requirements its features meet. */
  TaskMetadata.Implementation implementation(Target t) {
    List<TaskMetadata.Implementation> impls = task.metadata().implementations();
    if (impls.isEmpty()) {
      String file = task.executables().keySet().iterator().next();
      return new TaskMetadata.Implementation(file, List.of(), null, List.of());
    }
    Set<String> features = features(t);
    for (TaskMetadata.Implementation impl : impls) {
      if (features.containsAll(impl.requirements())) {
        return impl;
      }
    }
    return null;
  }

  @Override
  public TaskAction.Staged staged(Target t) throws TransportException {
    TaskMetadata.Implementation impl = implementation(t);
    if (impl == null) {
      throw new TransportException(ErrorKind.NO_IMPLEMENTATION, noImplementation(t), null);
    }
    return stage(impl);
  }

  /**
   * Bolt's "No suitable implementation of TASK for TARGET", with what each implementation needs
   * that the target lacks.
   */
  private String noImplementation(Target t) {
    Set<String> features = features(t);
    List<String> needs = new ArrayList<>();
    for (TaskMetadata.Implementation impl : task.metadata().implementations()) {
      List<String> missing =
          impl.requirements().stream().filter(r -> !features.contains(r)).toList();
      needs.add(impl.name() + " needs " + String.join(", ", missing));
    }
    return "No suitable implementation of "
        + task.name()
        + " for "
        + t.safeName()
        + " ("
        + String.join("; ", needs)
        + "; the target has the features "
        + String.join(", ", features)
        + ")";
  }

  private static Set<String> features(Target t) {
    Set<String> f = new LinkedHashSet<>(t.features());
    f.add("shell");
    return f;
  }

  private final List<String> warnings = new ArrayList<>();

  /** What staging had to say (parameters left out of the environment), once each. */
  public synchronized List<String> warnings() {
    return List.copyOf(new LinkedHashSet<>(warnings));
  }

  /**
   * Stages, before anything runs, every implementation that {@code targets} will use: a file that
   * is missing, or leaves its module (by {@code ..} or a symbolic link), is bad input here, not a
   * failure of each target later. Implementations no target uses are never looked at.
   */
  public TaskRun prepare(List<Target> targets) {
    if (task.metadata().raw().get("extensions") instanceof Map<?, ?> ext
        && ext.get("jbolt") instanceof Map<?, ?> jbolt
        && Boolean.FALSE.equals(jbolt.get("local"))) {
      List<String> local =
          targets.stream()
              .filter(t -> t.transport().equals("local"))
              .map(Target::safeName)
              .toList();
      if (!local.isEmpty()) {
        throw new JboltException(
            "task "
                + task.name()
                + " does not run on the local transport (its metadata says extensions.jbolt.local:"
                + " false), and "
                + String.join(", ", local)
                + " would be this machine: give it SSH targets");
      }
    }
    for (Target t : targets) {
      TaskMetadata.Implementation impl = implementation(t);
      if (impl != null) {
        try {
          stage(impl);
        } catch (TransportException e) {
          throw new JboltException(e.getMessage());
        }
      }
    }
    return this;
  }

  /** Lays out an implementation's files once: Bolt's paths under _installdir when it has files. */
  private synchronized TaskAction.Staged stage(TaskMetadata.Implementation impl)
      throws TransportException {
    TaskAction.Staged s = staged.get(impl.name());
    if (s != null) {
      return s;
    }
    try {
      Path dir = Files.createDirectory(Files.createTempDirectory(stagingRoot, "t").resolve("task"));
      List<String> files = new ArrayList<>(task.metadata().files());
      files.addAll(impl.files());
      boolean installdir = !files.isEmpty();
      String executable = installdir ? task.module() + "/tasks/" + impl.name() : impl.name();
      Path exe = dir.resolve(executable);
      Files.createDirectories(exe.getParent());
      Files.copy(
          inside(
              task.executables().get(impl.name()), task.moduleDir().resolve("tasks"), impl.name()),
          exe);
      Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
      for (String f : files) {
        copyModuleFile(f, dir);
      }
      String input =
          impl.inputMethod() != null
              ? impl.inputMethod()
              : task.metadata().inputMethod() != null ? task.metadata().inputMethod() : "both";
      if (input.equals("powershell")) {
        throw new JboltException(
            "task "
                + task.name()
                + ": implementation "
                + impl.name()
                + " takes its parameters as PowerShell arguments (input_method: powershell),"
                + " which a POSIX shell cannot pass; it needs input_method environment, stdin or both"
                + " to run on this target");
      }
      if (!input.equals("stdin")) {
        Path env = dir.resolve(TaskAction.ENV_FILE);
        Files.writeString(
            env,
            TaskEnv.file(
                task.name(),
                TaskAction.input(task.name(), params, noop, null),
                input,
                impl.name(),
                warnings));
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
      }
      s = new TaskAction.Staged(dir, executable, installdir, input);
      staged.put(impl.name(), s);
      return s;
    } catch (IOException e) {
      throw new TransportException(
          ErrorKind.FILE_ERROR,
          "WRITE_ERROR",
          "cannot stage the files of " + task.name() + ": " + e.getMessage(),
          e);
    }
  }

  /**
   * {@code file}'s real path, which must lie inside {@code root}'s (symbolic links resolved): a
   * task never ships a file from outside its modules.
   */
  private Path inside(Path file, Path root, String ref) throws IOException {
    Path real = file.toRealPath();
    if (!real.startsWith(root.toRealPath())) {
      throw new JboltException(
          "task "
              + task.name()
              + ": file '"
              + ref
              + "' leaves its module: it is "
              + real
              + ", outside "
              + root);
    }
    return real;
  }

  /**
   * {@code mod/files/x}, {@code mod/lib/dir/}: from the files/, lib/, tasks/ or scripts/ of module
   * mod, any module on the modulepath, laid out as {@code mod/files/x} under the install dir.
   */
  private void copyModuleFile(String ref, Path dir) throws IOException {
    String[] parts = ref.split("/", 3);
    if (parts.length < 3
        || !Set.of("files", "lib", "tasks", "scripts").contains(parts[1])
        || (parts[2].isEmpty() && !ref.endsWith("/")) // mod/lib/ is the whole of lib, as in Bolt
        || List.of(parts[2].split("/")).contains("..")) {
      throw new JboltException(
          "task "
              + task.name()
              + ": file '"
              + ref
              + "' must be MODULE/files|lib|tasks|scripts/PATH (without '..')");
    }
    Path moduleDir = modules.module(parts[0]);
    if (moduleDir == null) {
      throw new JboltException(
          "task "
              + task.name()
              + ": file '"
              + ref
              + "' is in module '"
              + parts[0]
              + "', which is not on the modulepath "
              + modules.dirs()
              + " (install it, or add its directory with --modulepath)");
    }
    Path src = moduleDir.resolve(parts[1]).resolve(parts[2]);
    Path dest = dir.resolve(parts[0]).resolve(parts[1]).resolve(parts[2]);
    if (ref.endsWith("/")) {
      if (!Files.isDirectory(src)) {
        throw new JboltException(
            "task " + task.name() + ": '" + ref + "' is not a directory (" + src + ")");
      }
      Path root = inside(src, moduleDir, ref);
      try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
        for (Path p : walk.toList()) {
          Path to = dest.resolve(root.relativize(p).toString());
          inside(p, moduleDir, ref + root.relativize(p));
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to, StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      } catch (UncheckedIOException e) {
        throw new JboltException(
            "task " + task.name() + ": cannot read '" + ref + "': " + e.getCause().getMessage());
      }
    } else {
      if (!Files.isRegularFile(src)) {
        throw new JboltException(
            "task " + task.name() + ": file '" + ref + "' not found at " + src);
      }
      Files.createDirectories(dest.getParent());
      Files.copy(inside(src, moduleDir, ref), dest, StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  @Override
  public void close() {
    LocalFiles.deleteTree(stagingRoot);
  }
}
