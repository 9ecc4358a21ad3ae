package dev.jbolt.task;

import dev.jbolt.JboltException;
import dev.jbolt.exec.Actions;
import dev.jbolt.exec.RunSettings;
import dev.jbolt.exec.TargetAction;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.ErrorInfo;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.result.Json;
import dev.jbolt.result.Result;
import dev.jbolt.transport.Posix;
import dev.jbolt.shell.Shell;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.TransportException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs a task on targets, as Bolt does: the task's file (and its {@code files}) go into a fresh
 * temp dir on the target, it runs with its parameters as {@code PT_*} environment variables and/or
 * one JSON object on stdin, and what it prints becomes its result. The files are staged locally
 * once per run, per implementation, so each target costs one upload; the environment goes in a
 * private file in that upload, never on a command line.
 */
public final class TaskRun implements TargetAction, AutoCloseable {
  public static final String SENSITIVE_MASK = "Sensitive [value redacted]";
  private static final String ENV_FILE = ".jbolt-task-env";

  private final Task task;
  private final Map<String, Object> params;
  private final boolean noop;
  private final long timeoutMillis;
  private final Actions.Streams streams;
  private final ModulePath modules;
  private final Map<String, Staged> staged = new LinkedHashMap<>(); // guarded by this
  private final Path stagingRoot;

  /** One implementation laid out for upload: the directory and where the executable sits in it. */
  private record Staged(Path dir, String executable, boolean installdir, String inputMethod) {}

  /** {@code modules}: where the modules named in the task's {@code files} are found. */
  public TaskRun(Task task, ModulePath modules, Map<String, Object> params, boolean noop, long timeoutMillis,
      Actions.Streams streams) {
    if (noop && !task.metadata().supportsNoop()) {
      throw new JboltException("task " + task.name() + " does not support noop (its metadata has no supports_noop)");
    }
    this.task = task;
    this.modules = modules;
    this.params = params;
    this.noop = noop;
    this.timeoutMillis = timeoutMillis;
    this.streams = streams;
    try {
      stagingRoot = Files.createTempDirectory("jbolt-task");
      Files.setPosixFilePermissions(stagingRoot, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new JboltException("cannot make a local staging dir: " + e.getMessage());
    }
  }

  /** The implementation for a target: the first whose requirements its features meet. */
  TaskMetadata.Implementation implementation(Target t) {
    List<TaskMetadata.Implementation> impls = task.metadata().implementations();
    if (impls.isEmpty()) {
      String file = task.executables().keySet().iterator().next();
      return new TaskMetadata.Implementation(file, List.of(), null, List.of());
    }
    Set<String> features = new LinkedHashSet<>(t.features());
    features.add("shell");
    for (TaskMetadata.Implementation impl : impls) {
      if (features.containsAll(impl.requirements())) {
        return impl;
      }
    }
    return null;
  }

  @Override
  public Result run(Target t, Connection c) throws TransportException {
    long start = System.nanoTime();
    TaskMetadata.Implementation impl = implementation(t);
    if (impl == null) {
      return Result.failure(t.safeName(), "task", task.name(), ErrorKind.NO_IMPLEMENTATION.error(
          "no implementation of " + task.name() + " fits this target's features " + features(t)), 0);
    }
    Staged s = stage(impl);
    RunSettings rs = RunSettings.of(t);
    Shell sh = new Shell(c, rs.runAs());
    String dir = sh.mktemp(rs.tmpdir());
    try {
      c.upload(s.dir(), dir, timeoutMillis);
      String root = dir + "/" + s.dir().getFileName();
      sh.handOver(dir);
      StringBuilder cmd = new StringBuilder();
      if (s.installdir()) {
        cmd.append("PT__installdir=").append(Posix.quote(root)).append("; export PT__installdir; ");
      }
      if (!s.inputMethod().equals("stdin")) {
        cmd.append(". ").append(Posix.quote(root + "/" + ENV_FILE)).append(" && ");
      }
      cmd.append(interpreter(t, s.executable())).append(Posix.quote(root + "/" + s.executable()));
      byte[] stdin = s.inputMethod().equals("environment") ? null : stdinJson(s.installdir() ? root : null);
      Exec.Output out = sh.run(cmd.toString(), Map.of(), stdin, timeoutMillis,
          streams == null ? null : streams.forTarget(t));
      return result(t, out, (System.nanoTime() - start) / 1_000_000);
    } finally {
      sh.removeQuietly(dir);
    }
  }

  private static String features(Target t) {
    Set<String> f = new LinkedHashSet<>(t.features());
    f.add("shell");
    return f.toString();
  }

  /** {@code interpreters} from the target's config, by the file's extension, as in Bolt. */
  @SuppressWarnings("unchecked")
  private static String interpreter(Target t, String executable) {
    if (!(t.transportConfig().get("interpreters") instanceof Map<?, ?> m)) {
      return "";
    }
    String file = executable.substring(executable.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    if (dot < 0) {
      return "";
    }
    String ext = file.substring(dot + 1);
    Object v = ((Map<String, Object>) m).get("." + ext);
    if (v == null) {
      v = ((Map<String, Object>) m).get(ext);
    }
    if (v == null) {
      return "";
    }
    List<String> words = v instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of(String.valueOf(v));
    return Posix.join(words) + " ";
  }

  private Map<String, Object> meta(String installdir) {
    Map<String, Object> m = new LinkedHashMap<>(params);
    m.put("_task", task.name());
    if (installdir != null) {
      m.put("_installdir", installdir);
    }
    if (noop) {
      m.put("_noop", true);
    }
    return m;
  }

  private byte[] stdinJson(String installdir) {
    return Json.write(meta(installdir)).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Linux's limits on what a program starts with: one environment string (MAX_ARG_STRLEN, "NAME=value"
   * and its NUL), and, well below ARG_MAX (2 MiB with the usual 8 MiB stack), all of them.
   */
  static final int MAX_ENV_STRING = 128 * 1024;
  static final int MAX_ENV_TOTAL = 1536 * 1024;

  /** The {@code PT_*} variables: strings as they are, everything else as JSON. */
  private Map<String, String> envVars() {
    Map<String, String> out = new LinkedHashMap<>();
    meta(null).forEach((k, v) -> out.put("PT_" + k, v instanceof String str ? str : Json.write(v)));
    return out;
  }

  private static int envBytes(String name, String value) {
    return name.length() + 2 + value.getBytes(StandardCharsets.UTF_8).length;
  }

  /**
   * The variables that fit the environment's limits. With {@code environment} as the only input,
   * one that does not fit is bad input (the task could never start: E2BIG); with {@code both}, it
   * is left out of the environment (and said so once), since the task also gets it on stdin.
   */
  private Map<String, String> fittingEnv(String input, String implementation) {
    Map<String, String> vars = new LinkedHashMap<>(envVars());
    List<String> tooBig = new ArrayList<>();
    vars.entrySet().removeIf(e -> envBytes(e.getKey(), e.getValue()) > MAX_ENV_STRING && tooBig.add(e.getKey()));
    while (vars.values().stream().mapToLong(v -> v.length()).sum() + 64L * vars.size() > MAX_ENV_TOTAL) {
      String largest = vars.entrySet().stream().max(java.util.Comparator.comparingInt(e -> envBytes(e.getKey(),
          e.getValue()))).orElseThrow().getKey();
      vars.remove(largest);
      tooBig.add(largest);
    }
    if (tooBig.isEmpty()) {
      return vars;
    }
    String which = String.join(", ", tooBig.stream().map(n -> n.substring(3)).toList());
    if (input.equals("environment")) {
      throw new JboltException("task " + task.name() + ": parameter " + which + " is too large for an environment variable"
          + " (Linux takes at most 128 KiB each and about 2 MiB in all), and " + implementation + " takes its parameters"
          + " from the environment only (input_method: environment); give it a smaller value, or a task that reads"
          + " stdin (input_method: stdin or both)");
    }
    warnings.add("task " + task.name() + ": parameter " + which + " is too large for the environment: its PT_ variable"
        + " is left out, and the task gets it on stdin only");
    return vars;
  }

  private final List<String> warnings = new ArrayList<>();

  /** What staging had to say (parameters left out of the environment), once each. */
  public synchronized List<String> warnings() {
    return List.copyOf(new java.util.LinkedHashSet<>(warnings));
  }

  /** {@code PT_name='value'; export PT_name} lines, sourced before the task runs. */
  private static String envFile(Map<String, String> vars) {
    StringBuilder sb = new StringBuilder();
    vars.forEach((name, text) -> sb.append(name).append('=').append(Posix.quote(text)).append("; export ").append(name)
        .append('\n'));
    return sb.toString();
  }

  /**
   * Stages, before anything runs, every implementation that {@code targets} will use: a file that
   * is missing, or leaves its module (by {@code ..} or a symbolic link), is bad input here, not a
   * failure of each target later. Implementations no target uses are never looked at.
   */
  public TaskRun prepare(List<Target> targets) {
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
  private synchronized Staged stage(TaskMetadata.Implementation impl) throws TransportException {
    Staged s = staged.get(impl.name());
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
      Files.copy(inside(task.executables().get(impl.name()), task.moduleDir().resolve("tasks"), impl.name()), exe);
      Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwx------"));
      for (String f : files) {
        copyModuleFile(f, dir);
      }
      String input = impl.inputMethod() != null ? impl.inputMethod()
          : task.metadata().inputMethod() != null ? task.metadata().inputMethod() : "both";
      if (!input.equals("stdin")) {
        Path env = dir.resolve(ENV_FILE);
        Files.writeString(env, envFile(fittingEnv(input, impl.name())));
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));
      }
      s = new Staged(dir, executable, installdir, input);
      staged.put(impl.name(), s);
      return s;
    } catch (IOException e) {
      throw new TransportException(ErrorKind.FILE_ERROR, "WRITE_ERROR",
          "cannot stage the files of " + task.name() + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code file}'s real path, which must lie inside {@code root}'s (symbolic links resolved): a
   * task never ships a file from outside its modules.
   */
  private Path inside(Path file, Path root, String ref) throws IOException {
    Path real = file.toRealPath();
    if (!real.startsWith(root.toRealPath())) {
      throw new JboltException("task " + task.name() + ": file '" + ref + "' leaves its module: it is " + real
          + ", outside " + root);
    }
    return real;
  }

  /**
   * {@code mod/files/x}, {@code mod/lib/dir/}: from the files/, lib/, tasks/ or scripts/ of module
   * mod, any module on the modulepath, laid out as {@code mod/files/x} under the install dir.
   */
  private void copyModuleFile(String ref, Path dir) throws IOException {
    String[] parts = ref.split("/", 3);
    if (parts.length < 3 || !Set.of("files", "lib", "tasks", "scripts").contains(parts[1]) || parts[2].isEmpty()
        || List.of(parts[2].split("/")).contains("..")) {
      throw new JboltException("task " + task.name() + ": file '" + ref
          + "' must be MODULE/files|lib|tasks|scripts/PATH (without '..')");
    }
    Path moduleDir = modules.module(parts[0]);
    if (moduleDir == null) {
      throw new JboltException("task " + task.name() + ": file '" + ref + "' is in module '" + parts[0]
          + "', which is not on the modulepath " + modules.dirs() + " (install it, or add its directory with --modulepath)");
    }
    Path src = moduleDir.resolve(parts[1]).resolve(parts[2]);
    Path dest = dir.resolve(parts[0]).resolve(parts[1]).resolve(parts[2]);
    if (ref.endsWith("/")) {
      if (!Files.isDirectory(src)) {
        throw new JboltException("task " + task.name() + ": '" + ref + "' is not a directory (" + src + ")");
      }
      Path root = inside(src, moduleDir, ref);
      try (Stream<Path> walk = Files.walk(root, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
        for (Path p : walk.toList()) {
          Path to = dest.resolve(root.relativize(p).toString());
          inside(p, moduleDir, ref + root.relativize(p));
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
          }
        }
      } catch (java.io.UncheckedIOException e) {
        throw new JboltException("task " + task.name() + ": cannot read '" + ref + "': " + e.getCause().getMessage());
      }
    } else {
      if (!Files.isRegularFile(src)) {
        throw new JboltException("task " + task.name() + ": file '" + ref + "' not found at " + src);
      }
      Files.createDirectories(dest.getParent());
      Files.copy(inside(src, moduleDir, ref), dest, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  /** Bolt's rules: one JSON object on stdout is the value; _error or a non-zero exit fails. */
  @SuppressWarnings("unchecked")
  Result result(Target t, Exec.Output out, long elapsed) {
    Map<String, Object> value = new LinkedHashMap<>();
    ErrorInfo error = null;
    String stdout;
    try {
      stdout = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.stdout())).toString();
    } catch (CharacterCodingException e) {
      return Result.failure(t.safeName(), "task", task.name(), ErrorKind.TASK_ERROR.error(
          "The task result contained invalid UTF-8 on stdout"), elapsed);
    }
    Object parsed = null;
    try {
      parsed = stdout.isBlank() ? null : Json.mapper().readValue(stdout, Object.class);
    } catch (IOException e) {
      // not JSON: the output as text
    }
    if (parsed instanceof Map<?, ?> m) {
      value.putAll((Map<String, Object>) m);
    } else {
      value.put("_output", stdout);
    }
    Object err = value.remove("_error");
    if (err != null) {
      if (err instanceof Map<?, ?> em && em.get("msg") instanceof String msg) {
        Map<String, Object> details = em.get("details") instanceof Map<?, ?> d ? (Map<String, Object>) d : Map.of();
        error = new ErrorInfo(em.get("kind") instanceof String k ? k : "bolt/error", msg, details,
            em.get("issue_code") instanceof String ic ? ic : null);
      } else {
        error = ErrorKind.INVALID_TASK_ERROR.error("Invalid error returned from task " + task.name() + ": "
            + Json.write(err), Map.of("original_error", err));
      }
    } else if (out.exitCode() == null || out.exitCode() != 0) {
      Object code = out.exitCode() == null ? "unknown" : out.exitCode();
      String stderr = out.stderrText();
      String msg = "The task failed with exit code " + code;
      if (stdout.isEmpty() && stderr.isEmpty()) {
        msg += " and no output";
      } else if (stdout.isEmpty()) {
        msg += " and no stdout, but stderr contained:\n" + stderr;
      }
      if (stderr.contains("Argument list too long")) {
        msg += " (it could not start: its environment is over the system's size limit; give the parameters on"
            + " stdin: input_method stdin or both)";
      } else if (Integer.valueOf(126).equals(out.exitCode())) {
        msg += " (the temp dir may be mounted noexec: set tmpdir)";
      }
      error = ErrorKind.TASK_ERROR.error(msg, Map.of("exit_code", code));
    }
    if (value.containsKey("_sensitive")) {
      value.put("_sensitive", SENSITIVE_MASK);
    }
    Actions.truncation(value, out);
    return new Result(t.safeName(), "task", task.name(), value, error, elapsed, 1);
  }

  @Override
  public void close() {
    dev.jbolt.transport.LocalFiles.deleteTree(stagingRoot);
  }
}
