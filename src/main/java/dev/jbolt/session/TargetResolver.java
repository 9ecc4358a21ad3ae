package dev.jbolt.session;

import dev.jbolt.action.RunSettings;
import dev.jbolt.inventory.Data;
import dev.jbolt.inventory.Target;
import dev.jbolt.transports.Transports;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What turns the inventory's targets into the run's: relative paths in their config made absolute
 * (the inventory's from the project directory, as Bolt does, the command line's from the current
 * one), the command line's connection flags laid under each target's config, then each checked (its
 * transport's settings, run-as), with a warning, once, for each setting jbolt does not know or the
 * inventory overrides.
 */
final class TargetResolver {
  /** The settings that name local files. */
  private static final List<String> PATHS = List.of("private-key", "known-hosts-file");

  private final Map<String, Object> cli;
  private final Path base;
  private final Transports transports;
  private final PrintStream warnings;
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  /**
   * {@code cli}: the command line's config by transport, its paths relative to {@code cwd}; {@code
   * base}: what the inventory's relative paths are relative to (the project directory); {@code
   * transports} check each target.
   */
  TargetResolver(
      Map<String, Object> cli, Path cwd, Path base, Transports transports, PrintStream warnings) {
    this.cli = absolute(cli, cwd);
    this.base = base;
    this.transports = transports;
    this.warnings = warnings;
  }

  /** {@code config} with its relative {@code ssh} file paths resolved against {@code dir}. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> absolute(Map<String, Object> config, Path dir) {
    if (dir == null || !(config.get("ssh") instanceof Map<?, ?> ssh)) {
      return config;
    }
    Map<String, Object> fixed = null;
    for (String key : PATHS) {
      if (ssh.get(key) instanceof String p
          && !p.isEmpty()
          && !p.startsWith("/")
          && !p.equals("~")
          && !p.startsWith("~/")) {
        if (fixed == null) {
          fixed = new LinkedHashMap<>((Map<String, Object>) ssh);
        }
        fixed.put(key, dir.resolve(p).normalize().toString());
      }
    }
    if (fixed == null) {
      return config;
    }
    Map<String, Object> out = new LinkedHashMap<>(config);
    out.put("ssh", fixed);
    return out;
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
      for (var w : Transports.settingWarnings(t).entrySet()) {
        if (warned.add(w.getKey())) {
          warnings.println(w.getValue());
        }
      }
    }
    return out;
  }

  /**
   * Lays the inventory over the command line's connection flags: as in Bolt, the inventory's value
   * wins, and a warning says so when the two differ.
   */
  private List<Target> withCliConfig(List<Target> targets) {
    List<Target> out = new ArrayList<>(targets.size());
    for (Target t : targets) {
      for (String transport : Target.TRANSPORTS) {
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
              new Data(
                  Data.deepMerge(cli, absolute(d.config(), base)),
                  d.vars(),
                  d.facts(),
                  d.features()),
              t.groups()));
    }
    return out;
  }
}
