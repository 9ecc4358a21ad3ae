package dev.jbolt.session;

import dev.jbolt.action.RunSettings;
import dev.jbolt.inventory.Data;
import dev.jbolt.inventory.Target;
import dev.jbolt.transport.Transports;
import dev.jbolt.transport.ssh.SshSettings;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What turns the inventory's targets into the run's: the command line's connection flags laid under
 * each target's config, then each checked (its transport's settings, run-as), with a warning, once,
 * for each setting jbolt does not know or the inventory overrides.
 */
final class TargetResolver {
  private final Map<String, Object> cli;
  private final Transports transports;
  private final PrintStream warnings;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /** {@code cli}: the command line's config by transport; {@code transports} check each target. */
  TargetResolver(Map<String, Object> cli, Transports transports, PrintStream warnings) {
    this.cli = cli;
    this.transports = transports;
    this.warnings = warnings;
  }

  /**
   * {@code targets} with the command line's flags, checked; with {@code local}, transports are not.
   */
  List<Target> resolve(List<Target> targets, boolean local) {
    List<Target> out = withCliConfig(targets);
    for (Target t : out) {
      if (!local) {
        transports.validate(t);
      }
      RunSettings.of(t);
      if (t.config().get("ssh") instanceof Map<?, ?> ssh) {
        ssh.keySet().stream()
            .map(String::valueOf)
            .filter(k -> !SshSettings.KEYS.contains(k))
            .sorted()
            .filter(warned::add)
            .forEach(
                k ->
                    warnings.println("jbolt: warning: unknown ssh setting '" + k + "' is ignored"));
      }
    }
    return out;
  }

  /**
   * Lays the inventory over the command line's connection flags: as in Bolt, the inventory's value
   * wins, and a warning says so when the two differ.
   */
  private List<Target> withCliConfig(List<Target> targets) {
    if (cli.isEmpty()) {
      return targets;
    }
    List<Target> out = new ArrayList<>(targets.size());
    for (Target t : targets) {
      for (String transport : List.of("ssh", "local")) {
        if (cli.get(transport) instanceof Map<?, ?> flags
            && t.config().get(transport) instanceof Map<?, ?> inv) {
          for (Object key : flags.keySet()) {
            if (inv.containsKey(key)
                && !Objects.equals(String.valueOf(inv.get(key)), String.valueOf(flags.get(key)))
                && warned.add(transport + "." + key)) {
              warnings.println(
                  "jbolt: warning: the inventory's "
                      + transport
                      + "."
                      + key
                      + " overrides the command line's for some targets (first: "
                      + t.safeName()
                      + ")");
            }
          }
        }
      }
      Data d = t.data();
      out.add(
          new Target(
              t.name(),
              t.uri(),
              t.aliases(),
              new Data(Data.deepMerge(cli, d.config()), d.vars(), d.facts(), d.features()),
              t.groups()));
    }
    return out;
  }
}
