package dev.jbolt.service;

import dev.jbolt.JboltException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The dependency graph of a service configuration. A service is one node; a group is two, its start
 * (which waits on what the group depends on, and which the group's first services wait on) and its
 * end (which waits on its last services, and which whatever depends on the group waits on), so that
 * a group behaves as one service from outside, as in MilkCheck. In reverse (for {@code stop}) every
 * edge is followed the other way: dependents stop before what they depend on.
 */
final class Graph {
  enum Role {
    SERVICE,
    START,
    END
  }

  static final class Node {
    final Entity entity;
    final Role role;
    final List<Edge> out = new ArrayList<>(); // what this node waits on, going forward
    final List<Edge> in = new ArrayList<>(); // what waits on this node, going forward

    Node(Entity entity, Role role) {
      this.entity = entity;
      this.role = role;
    }

    /** Shown for the entity: a service's node, or the group's node that is reached last. */
    boolean shown(boolean reversed) {
      return role == Role.SERVICE || role == (reversed ? Role.START : Role.END);
    }

    @Override
    public String toString() {
      return entity.fullname();
    }
  }

  /** {@code from} waits on {@code to} going forward; internal edges bind a group to its members. */
  record Edge(Node from, Node to, Entity.DepType type, boolean internal) {}

  final Entity root;
  final Map<Entity, Node> first = new LinkedHashMap<>(); // a service's node, a group's start
  final Map<Entity, Node> last = new LinkedHashMap<>(); // a service's node, a group's end
  final List<Node> nodes = new ArrayList<>();

  Graph(Entity root, Vars vars) {
    this.root = root;
    add(root);
    link(root, vars);
    checkCycles();
  }

  private void add(Entity group) {
    for (Entity e : group.children.values()) {
      if (e.kind == Entity.Kind.SERVICE) {
        Node n = new Node(e, Role.SERVICE);
        nodes.add(n);
        first.put(e, n);
        last.put(e, n);
      } else if (e.kind == Entity.Kind.GROUP) {
        Node s = new Node(e, Role.START);
        Node t = new Node(e, Role.END);
        nodes.add(s);
        nodes.add(t);
        first.put(e, s);
        last.put(e, t);
        add(e);
      }
    }
  }

  private void link(Entity group, Vars vars) {
    Set<Entity> hasSiblingDep = new LinkedHashSet<>();
    Set<Entity> isSiblingDep = new LinkedHashSet<>();
    for (Entity e : group.children.values()) {
      if (e.kind == Entity.Kind.ACTION) {
        continue;
      }
      for (Entity.Dep d : e.deps) {
        String name = vars.resolve(d.name(), e, Map.of());
        Entity target = find(group, name);
        if (target == null) {
          throw new JboltException(
              e.where + ": unknown dependency '" + name + "' of service " + e.fullname());
        }
        if (target == e) {
          throw new JboltException(e.where + ": service " + e.fullname() + " depends on itself");
        }
        edge(first.get(e), last.get(target), d.type(), false);
        if (target.parent == group) {
          hasSiblingDep.add(e);
          isSiblingDep.add(target);
        }
      }
      if (e.kind == Entity.Kind.GROUP) {
        link(e, vars);
      }
    }
    if (group.kind == Entity.Kind.GROUP) {
      for (Entity e : group.children.values()) {
        if (!hasSiblingDep.contains(e)) {
          edge(first.get(e), first.get(group), Entity.DepType.REQUIRE, true);
        }
        if (!isSiblingDep.contains(e)) {
          edge(last.get(group), last.get(e), Entity.DepType.REQUIRE, true);
        }
      }
    }
  }

  private static void edge(Node from, Node to, Entity.DepType type, boolean internal) {
    Edge e = new Edge(from, to, type, internal);
    from.out.add(e);
    to.in.add(e);
  }

  /**
   * A service named from {@code group}: a sibling first, then a dotted path from the top ({@code
   * group.service}), then the one service or group of that name anywhere.
   */
  Entity find(Entity group, String name) {
    if (group.children.get(name) instanceof Entity e && e.kind != Entity.Kind.ACTION) {
      return e;
    }
    Entity at = root;
    for (String part : name.split("\\.")) {
      at = at == null ? null : at.children.get(part);
    }
    if (at != null && at.kind != Entity.Kind.ACTION) {
      return at;
    }
    List<Entity> named = new ArrayList<>();
    for (Entity e : first.keySet()) {
      if (e.name.equals(name)) {
        named.add(e);
      }
    }
    return named.size() == 1 ? named.get(0) : null;
  }

  /** What {@code n} waits on in this direction, with the edges' types. */
  static List<Edge> waits(Node n, boolean reversed) {
    return reversed ? n.in : n.out;
  }

  /** The node {@code e} of {@code n}'s waits leads to. */
  static Node other(Edge e, Node n) {
    return e.from() == n ? e.to() : e.from();
  }

  /** Cycles are bad input, named: {@code a -> b -> a}. */
  private void checkCycles() {
    Map<Node, Integer> state = new HashMap<>(); // 1 on the path, 2 done
    Deque<Node> path = new ArrayDeque<>();
    for (Node n : nodes) {
      visit(n, state, path);
    }
    for (Entity service : first.keySet()) {
      for (Entity action : service.children.values()) {
        checks(action, new ArrayList<>());
      }
    }
  }

  /** An action's {@code check} list names sibling actions, never in a loop. */
  private static void checks(Entity action, List<String> path) {
    if (path.contains(action.name)) {
      path.add(action.name);
      throw new JboltException(
          action.where
              + ": the checks of service "
              + action.fullname()
              + " make a cycle: "
              + String.join(" -> ", path));
    }
    path.add(action.name);
    for (String c : action.checks) {
      Entity other = action.parent.children.get(c);
      if (other == null) {
        throw new JboltException(
            action.where
                + ": action "
                + action.name
                + " of "
                + action.fullname()
                + " checks unknown action '"
                + c
                + "'");
      }
      checks(other, path);
    }
    path.remove(path.size() - 1);
  }

  private void visit(Node n, Map<Node, Integer> state, Deque<Node> path) {
    Integer s = state.get(n);
    if (s != null && s == 2) {
      return;
    }
    path.addLast(n);
    if (s != null) {
      List<String> names = new ArrayList<>();
      boolean in = false;
      for (Node p : path) {
        in |= p == n;
        if (in && (names.isEmpty() || !names.get(names.size() - 1).equals(p.toString()))) {
          names.add(p.toString());
        }
      }
      throw new JboltException(
          n.entity.where + ": the dependencies make a cycle: " + String.join(" -> ", names));
    }
    state.put(n, 1);
    for (Edge e : n.out) {
      visit(e.to(), state, path);
    }
    path.removeLast();
    state.put(n, 2);
  }
}
