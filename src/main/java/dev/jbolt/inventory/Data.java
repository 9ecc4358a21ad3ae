package dev.jbolt.inventory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The mergeable data of a group or target, with Bolt's rules: {@code config} and {@code facts}
 * merge deeply, {@code vars} shallowly, {@code features} as a set union.
 */
public record Data(
    Map<String, Object> config,
    Map<String, Object> vars,
    Map<String, Object> facts,
    Set<String> features) {

  public static final Data EMPTY = new Data(Map.of(), Map.of(), Map.of(), Set.of());

  /** This data with {@code over} laid on top: where both set a value, {@code over}'s wins. */
  public Data with(Data over) {
    Set<String> f = new LinkedHashSet<>(features);
    f.addAll(over.features);
    Map<String, Object> v = new LinkedHashMap<>(vars);
    v.putAll(over.vars);
    return new Data(deepMerge(config, over.config), v, deepMerge(facts, over.facts), f);
  }

  /** A new map: {@code base} with {@code over} merged in, maps merged recursively. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> over) {
    Map<String, Object> out = new LinkedHashMap<>(base);
    over.forEach(
        (k, v) -> {
          Object b = out.get(k);
          if (b instanceof Map<?, ?> bm && v instanceof Map<?, ?> vm) {
            out.put(k, deepMerge((Map<String, Object>) bm, (Map<String, Object>) vm));
          } else {
            out.put(k, deepCopy(v));
          }
        });
    return out;
  }

  @SuppressWarnings("unchecked")
  static Object deepCopy(Object v) {
    if (v instanceof Map<?, ?> m) {
      return deepMerge(Map.of(), (Map<String, Object>) m);
    }
    if (v instanceof List<?> l) {
      List<Object> out = new ArrayList<>();
      l.forEach(x -> out.add(deepCopy(x)));
      return out;
    }
    return v;
  }
}
