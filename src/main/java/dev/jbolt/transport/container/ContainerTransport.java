package dev.jbolt.transport.container;

import dev.jbolt.JboltException;
import dev.jbolt.inventory.Target;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.OutputBudget;
import dev.jbolt.transport.Transport;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Containers as targets, through a container engine's own command line ({@code podman} or {@code
 * docker}): Bolt's podman and docker transports. One connection per target for the run; each
 * command is an {@code exec} of the engine, each transfer a {@code cp} of a tar stream.
 */
public final class ContainerTransport implements Transport {
  /** A container's name or ID as the engines allow them; never an option to the engine. */
  static final String NAME = "[a-zA-Z0-9][a-zA-Z0-9_.-]*";

  /** The keys of Bolt's podman transport, and the run-as family jbolt adds (sudo in the image). */
  private static final Set<String> PODMAN_KEYS =
      Set.of(
          "host",
          "cleanup",
          "interpreters",
          "shell-command",
          "tmpdir",
          "tty",
          "script-dir",
          "run-as",
          "sudo-password",
          "sudo-executable",
          "run-as-command");

  private final String engine;
  private final OutputBudget budget;
  private final Map<String, ContainerConnection> connections = new ConcurrentHashMap<>();

  /** {@code engine}: podman or docker, the command run (found on PATH). */
  public ContainerTransport(String engine, OutputBudget budget) {
    this.engine = engine;
    this.budget = budget;
  }

  /** The settings jbolt knows for {@code engine}'s targets: Bolt's, and run-as. */
  public static Set<String> keys(String engine) {
    if (engine.equals("docker")) {
      Set<String> docker = new HashSet<>(PODMAN_KEYS);
      docker.add("service-url");
      return Set.copyOf(docker);
    }
    return PODMAN_KEYS;
  }

  /** Why a known setting is not honoured (a warning), or null. */
  public static String notHonoured(String key, Object value) {
    return key.equals("tty") && !String.valueOf(value).equals("false")
        ? "jbolt runs commands without a terminal"
        : null;
  }

  /**
   * Checks a target before anything runs: a container's name, a shell command; bad input throws.
   */
  public void validate(Target t) {
    String name = t.host();
    if (name == null || !name.matches(NAME)) {
      throw new JboltException(
          "target '"
              + t.safeName()
              + "': '"
              + name
              + "' is not a container's name or ID (letters, digits, '_', '.', '-', not first)");
    }
    ContainerConnection.shellCommand(t);
  }

  @Override
  public Connection connection(Target target) {
    return connections.computeIfAbsent(
        target.name(), n -> new ContainerConnection(engine, target, budget));
  }

  @Override
  public void close() {
    connections.clear();
  }
}
