package dev.jbolt.transport.container;

import dev.jbolt.JboltException;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.OutputBudget;
import dev.jbolt.transport.OutputListener;
import dev.jbolt.transport.PidFilter;
import dev.jbolt.transport.Posix;
import dev.jbolt.transport.Pump;
import dev.jbolt.transport.RemoteProcess;
import dev.jbolt.transport.TransportException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One container, reached through its engine's command line: {@code ENGINE exec -i ID sh -c ...} for
 * each command (in the PID framing of {@link PidFilter}: killing the engine's client stops nothing
 * inside, so a kill is a second exec that signals the command's process group), and {@code ENGINE
 * cp} of tar streams for files, staged beside the destination and moved into place. Opening it
 * finds the container (by name or ID), checks that it runs and has the shell, and learns the user,
 * home and working directory that paths are resolved against.
 */
final class ContainerConnection implements Connection {
  private final String engine;
  private final String name;
  private final List<String> shell;
  private final Map<String, String> env;
  private final OutputBudget budget;
  private final String marker = PidFilter.newMarker();
  private final ContainerFiles files = new ContainerFiles(this);
  private volatile Opened opened;

  /**
   * What opening the connection learnt: the container (its name or ID as given), its user, home and
   * cwd.
   */
  record Opened(String id, String user, String home, String cwd) {}

  ContainerConnection(String engine, Target target, OutputBudget budget) {
    this.engine = engine;
    this.name = target.host();
    this.shell = shellCommand(target);
    Object url = target.transportConfig().get("service-url");
    this.env =
        engine.equals("docker") && url != null ? Map.of("DOCKER_HOST", url.toString()) : Map.of();
    this.budget = budget;
  }

  /**
   * Bolt's {@code shell-command}: the command and options the user's command line is given to
   * (default {@code sh -c}).
   */
  static List<String> shellCommand(Target t) {
    Object v = t.transportConfig().get("shell-command");
    if (v == null || String.valueOf(v).isBlank()) {
      return List.of("sh", "-c");
    }
    List<String> words = List.of(String.valueOf(v).strip().split("\\s+"));
    if (words.get(0).startsWith("-")) {
      throw new JboltException(
          "target '" + t.safeName() + "': shell-command '" + v + "' must start with a command");
    }
    return words;
  }

  Map<String, String> env() {
    return env;
  }

  String where() {
    return engine + " container '" + name + "'";
  }

  @Override
  public OutputBudget outputBudget() {
    return budget;
  }

  @Override
  public String loginUser() {
    Opened o = opened;
    return o == null ? null : o.user();
  }

  @Override
  public void connect() throws TransportException {
    open();
  }

  synchronized Opened open() throws TransportException {
    if (opened != null) {
      return opened;
    }
    if (name == null || !name.matches(ContainerTransport.NAME)) {
      // checked before a run (ContainerTransport.validate); again here for targets a plan makes
      throw new TransportException(
          ErrorKind.CONNECT_ERROR,
          "CONNECT_ERROR",
          "'" + name + "' is not a container's name or ID: nothing was run",
          null);
    }
    Engine.Result who;
    try {
      who =
          Engine.run(
              exec(
                  name,
                  "u=$(id -un 2>/dev/null) || u=$(id -u);"
                      + " printf '%s\\n%s\\n%s\\n' \"$u\" \"$HOME\" \"$PWD\""),
              env);
    } catch (TransportException e) {
      if (e.kind() == ErrorKind.CANCELLED) {
        throw e;
      }
      throw new TransportException(
          e.kind(), "CONNECT_ERROR", "Failed to connect to " + where() + ": " + e.getMessage(), e);
    }
    List<String> lines = who.out().lines().toList();
    if (who.code() != 0 || lines.size() != 3) {
      throw openError(who);
    }
    opened = new Opened(name, lines.get(0), lines.get(1), lines.get(2));
    return opened;
  }

  /**
   * Why the first exec failed, from what the engine printed: no such container, not running, the
   * daemon unreachable (connect errors), or no shell in the image.
   */
  private TransportException openError(Engine.Result who) {
    String s = who.err().strip();
    String lower = s.toLowerCase();
    String why = null;
    if (lower.contains("no such container") || lower.contains("no container with name")) {
      why = "no container has the name or ID '" + name + "'";
    } else if (lower.contains("is not running") || lower.contains("state improper")) {
      why = "the container is not running";
    } else if (s.contains("Cannot connect to the Docker daemon")
        || lower.contains("daemon running")
        || lower.contains("connection refused")) {
      why = "the " + engine + " daemon is not reachable: " + s;
    }
    if (why != null) {
      return new TransportException(
          ErrorKind.CONNECT_ERROR,
          "CONNECT_ERROR",
          "Failed to connect to " + where() + ": " + why,
          null);
    }
    return new TransportException(
        ErrorKind.SHELL_ERROR,
        "SHELL_ERROR",
        "Failed to run "
            + String.join(" ", shell)
            + " in "
            + where()
            + " (exit "
            + who.code()
            + (s.isEmpty() ? "" : ": " + s)
            + "); jbolt needs a POSIX shell in the image",
        null);
  }

  List<String> engineCommand(List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(engine);
    cmd.addAll(args);
    return cmd;
  }

  /** {@code ENGINE exec -i ID SHELL... LINE}. */
  private List<String> exec(String id, String line) {
    List<String> cmd = engineCommand(List.of("exec", "-i", id));
    cmd.addAll(shell);
    cmd.add(line);
    return cmd;
  }

  @Override
  public RemoteProcess start(String command, OutputListener listener) throws TransportException {
    Opened o = open();
    PidFilter filter = new PidFilter(marker, listener);
    Process p = Engine.start(exec(o.id(), PidFilter.wrap(marker, drained(command))), env);
    Thread out = Pump.start(p.getInputStream(), filter, OutputListener.Stream.STDOUT);
    Thread err = Pump.start(p.getErrorStream(), filter, OutputListener.Stream.STDERR);
    return new ContainerProcess(p, out, err, filter);
  }

  /**
   * {@code command} in a subshell, then whatever input it left unread read to its end: podman (4.3
   * here) drops a command's output when the command ends while input it never read is still being
   * fed to it (58 runs in 100 of a quick command given a line it ignores). The exit code stays the
   * command's; without {@code cat} in the image, the shell's own {@code read} drains.
   */
  static String drained(String command) {
    return "(eval "
        + Posix.quote(command)
        + "); jbolt_rc=$?; cat >/dev/null 2>&1 || while read -r jbolt_; do :; done; exit $jbolt_rc";
  }

  /** A command in the container, through the engine's client process. */
  private final class ContainerProcess implements RemoteProcess {
    private final Process p;
    private final Thread out;
    private final Thread err;
    private final PidFilter filter;

    ContainerProcess(Process p, Thread out, Thread err, PidFilter filter) {
      this.p = p;
      this.out = out;
      this.err = err;
      this.filter = filter;
    }

    @Override
    public OutputStream stdin() {
      return p.getOutputStream();
    }

    @Override
    public boolean waitFor(long millis) throws InterruptedException {
      if (!Pump.awaitExit(p, millis, out, err)) {
        return false;
      }
      filter.finish();
      return true;
    }

    @Override
    public Integer exitCode() {
      return p.isAlive() || connectionLost() ? null : p.exitValue();
    }

    /** The engine failed before the shell ran (the container stopped, say): no command result. */
    @Override
    public boolean connectionLost() {
      return !p.isAlive() && !filter.sawMarker() && p.exitValue() == 125;
    }

    @Override
    public boolean shellFailed() {
      return !p.isAlive() && !filter.sawMarker() && p.exitValue() != 125;
    }

    @Override
    public void kill() {
      String pid = filter.pid();
      Opened o = opened;
      if (pid != null && o != null && p.isAlive()) {
        try {
          Process k = Engine.start(exec(o.id(), PidFilter.killScript(pid)), env);
          k.getOutputStream().close();
          if (!k.waitFor(5, TimeUnit.SECONDS)) {
            k.destroyForcibly();
          }
        } catch (TransportException | IOException e) {
          // the engine's client is stopped below regardless
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      p.destroyForcibly();
    }
  }

  @Override
  public List<String> upload(Path source, String destination, long timeoutMillis)
      throws TransportException {
    return files.upload(source, destination, timeoutMillis);
  }

  @Override
  public List<String> download(String source, Path destination, long timeoutMillis)
      throws TransportException {
    return files.download(source, destination, timeoutMillis);
  }
}
