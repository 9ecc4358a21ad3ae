package dev.jbolt.inventory;

import dev.jbolt.JboltException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The resolved inventory: every target with its merged data, the groups by name, the aliases.
 * Immutable; {@link #resolve} turns a target spec into targets, adding ad-hoc ones for host names
 * that no inventory knows.
 */
public final class Inventory {
  public static final String ALL = "all";

  private final Path file;
  private final Map<String, Target> targets;
  private final Map<String, List<String>> groups;
  private final Map<String, String> aliases;
  private final Data allData;

  Inventory(
      Path file,
      Map<String, Target> targets,
      Map<String, List<String>> groups,
      Map<String, String> aliases,
      Data allData) {
    this.file = file;
    this.targets = targets;
    this.groups = groups;
    this.aliases = aliases;
    this.allData = allData;
  }

  public static Inventory empty() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    groups.put(ALL, List.of());
    return new Inventory(null, new LinkedHashMap<>(), groups, Map.of(), Data.EMPTY);
  }

  /** The inventory file, or null when there is none. */
  public Path file() {
    return file;
  }

  public List<Target> targets() {
    return List.copyOf(targets.values());
  }

  public Optional<Target> target(String name) {
    return Optional.ofNullable(targets.get(name));
  }

  /**
   * The target named {@code name}, carrying it as an alias, or shown as it: a target whose name is
   * a URI with a password is shown (and written to the rerun file) without it, and that name finds
   * it again.
   */
  public Optional<Target> targetOrAlias(String name) {
    Target t = targets.get(name);
    if (t == null && aliases.containsKey(name)) {
      t = targets.get(aliases.get(name));
    }
    if (t == null) {
      t = bySafeName(name);
    }
    return Optional.ofNullable(t);
  }

  /** The one target whose name without its password is {@code name}, if exactly one. */
  private Target bySafeName(String name) {
    Target found = null;
    for (Target t : targets.values()) {
      if (!t.name().equals(t.safeName()) && t.safeName().equals(name)) {
        if (found != null) {
          return null;
        }
        found = t;
      }
    }
    return found;
  }

  /** Every group's name, {@code all} first, then in the inventory's order. */
  public List<String> groupNames() {
    return List.copyOf(groups.keySet());
  }

  public boolean hasGroup(String name) {
    return groups.containsKey(name);
  }

  public List<Target> groupTargets(String name) {
    List<String> names = groups.get(name);
    if (names == null) {
      throw new JboltException("unknown group '" + name + "'");
    }
    return names.stream().map(targets::get).toList();
  }

  public Map<String, String> aliases() {
    return aliases;
  }

  /**
   * A target for a name or URI that the inventory does not define: it gets the data of group {@code
   * all}, and {@code localhost} uses the local transport.
   */
  public Target adhoc(String nameOrUri) {
    TargetUri u = TargetUri.parse(nameOrUri);
    Data data = allData;
    if (u.transport() == null
        && u.host().equals("localhost")
        && u.user() == null
        && u.port() == null) {
      data = data.with(new Data(Map.of("transport", "local"), Map.of(), Map.of(), Set.of()));
    }
    return new Target(nameOrUri, nameOrUri, List.of(), data, List.of(ALL));
  }

  /** Resolves a target spec (see {@link TargetSpec}); never empty. */
  public List<Target> resolve(String spec) {
    return new TargetSpec(this).resolve(spec);
  }

  /** As {@link #resolve(String)}, refusing more than {@code maxTargets} targets. */
  public List<Target> resolve(String spec, int maxTargets) {
    return new TargetSpec(this, maxTargets).resolve(spec);
  }

  /** All names a glob may match: targets, aliases and groups. */
  List<String> globbable() {
    List<String> out = new ArrayList<>(targets.keySet());
    out.addAll(aliases.keySet());
    out.addAll(groups.keySet());
    return out;
  }
}
