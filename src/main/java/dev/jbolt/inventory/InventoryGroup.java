package dev.jbolt.inventory;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** A group as written: its own data, the targets listed in it, its subgroups. */
record InventoryGroup(String name, Data data, Set<String> targets, List<InventoryGroup> children) {
  /**
   * Bolt's merge for one target: this group's data with its subgroups' laid over it (children
   * override parents), and among sibling subgroups the earlier one winning. Null when the target is
   * not in this group.
   */
  Data collect(String target) {
    Data combined = null;
    for (int i = children.size() - 1; i >= 0; i--) {
      Data d = children.get(i).collect(target);
      if (d != null) {
        combined = combined == null ? d : combined.with(d);
      }
    }
    if (combined == null && !targets.contains(target)) {
      return null;
    }
    return combined == null ? data : data.with(combined);
  }

  void members(Set<String> out) {
    out.addAll(targets);
    children.forEach(c -> c.members(out));
  }

  void index(Map<String, InventoryGroup> out) {
    out.put(name, this);
    children.forEach(c -> c.index(out));
  }
}
