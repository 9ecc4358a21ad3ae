package dev.jbolt.service;

import dev.jbolt.JboltException;
import dev.jbolt.inventory.NodeSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A service, a group of services, or an action, as MilkCheck's configuration declares them. Each
 * knows its parent, so that the properties MilkCheck inherits ({@code target}, {@code fanout},
 * {@code timeout}, {@code errors}, {@code warnings}, {@code mode}, {@code desc}, {@code delay},
 * {@code retry}, {@code tags}) and the variables come from the nearest level that sets them.
 */
final class Entity {
  enum Kind {
    ROOT,
    GROUP,
    SERVICE,
    ACTION
  }

  /** MilkCheck's dependency kinds; {@code after} (and the old {@code before}) is REQUIRE_WEAK. */
  enum DepType {
    REQUIRE,
    REQUIRE_WEAK,
    FILTER,
    CHECK;

    /** A failed strong dependency stops its dependents (DEP_ERROR). */
    boolean strong() {
      return this == REQUIRE || this == CHECK;
    }
  }

  record Dep(DepType type, String name) {}

  final String name;
  final Kind kind;
  final Entity parent;
  final String where; // file:line, for errors
  final Map<String, Object> props = new LinkedHashMap<>();
  final Map<String, String> variables = new LinkedHashMap<>();
  final Map<String, Entity> children = new LinkedHashMap<>(); // sub-services, or actions
  final List<Dep> deps = new ArrayList<>();
  final List<String> checks = new ArrayList<>(); // an action's 'check': sibling actions first
  String cmd; // an action's command

  Entity(String name, Kind kind, Entity parent, String where) {
    this.name = name;
    this.kind = kind;
    this.parent = parent;
    this.where = where;
  }

  /** {@code group.sub.service}; the root's is empty. */
  String fullname() {
    if (kind == Kind.ROOT) {
      return "";
    }
    if (kind == Kind.ACTION) {
      return parent.fullname();
    }
    String up = parent.fullname();
    return up.isEmpty() ? name : up + "." + name;
  }

  /** The property as set here or inherited from the nearest level above; null if none. */
  Object prop(String key) {
    for (Entity e = this; e != null; e = e.parent) {
      if (e.props.get(key) != null) {
        return e.props.get(key);
      }
    }
    return null;
  }

  int intProp(String key, int dflt) {
    Object v = prop(key);
    return v == null ? dflt : ((Number) v).intValue();
  }

  double numberProp(String key, double dflt) {
    Object v = prop(key);
    return v == null ? dflt : ((Number) v).doubleValue();
  }

  boolean isGroup() {
    return kind == Kind.GROUP || kind == Kind.ROOT;
  }

  /** Every service (not group) under this one, depth first in file order. */
  List<Entity> services() {
    List<Entity> out = new ArrayList<>();
    for (Entity c : children.values()) {
      if (c.kind == Kind.SERVICE) {
        out.add(c);
      } else if (c.kind == Kind.GROUP) {
        out.addAll(c.services());
      }
    }
    return out;
  }

  private static final Pattern DIGITS = Pattern.compile("\\d+");

  private static final Comparator<String> NODESET_ORDER =
      Comparator.comparing((String n) -> DIGITS.matcher(n).replaceAll("%s"))
          .thenComparing(
              (a, b) -> {
                var ma = DIGITS.matcher(a);
                var mb = DIGITS.matcher(b);
                while (ma.find() && mb.find()) {
                  int c = new BigInteger(ma.group()).compareTo(new BigInteger(mb.group()));
                  if (c != 0) {
                    return c;
                  }
                }
                return a.compareTo(b);
              });

  /**
   * MilkCheck's name lists: comma-separated, each part NodeSet-style ({@code foo,bar}, {@code
   * da[1-15]}, {@code change[01-10]}).
   */
  static List<String> names(String spec) {
    List<String> out = new ArrayList<>();
    int depth = 0;
    int start = 0;
    for (int i = 0; i <= spec.length(); i++) {
      char c = i < spec.length() ? spec.charAt(i) : ',';
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      } else if (c == ',' && depth == 0) {
        String part = spec.substring(start, i).strip();
        if (!part.isEmpty()) {
          out.addAll(NodeSet.expand(part));
        }
        start = i + 1;
      }
    }
    if (out.isEmpty()) {
      throw new JboltException("an empty name");
    }
    // In ClusterShell's NodeSet order, as MilkCheck iterates 'foo,bar,baz' or 'da[1-15]': by the
    // name's text around its numbers, then by the numbers.
    out = new ArrayList<>(new LinkedHashSet<>(out));
    out.sort(NODESET_ORDER);
    return out;
  }

  @Override
  public String toString() {
    return kind == Kind.ACTION ? fullname() + "." + name : fullname();
  }
}
