package dev.jbolt.inventory;

import dev.jbolt.JboltException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a target spec into an ordered, de-duplicated list of targets. The spec is a list separated
 * by commas or white space (not inside brackets), applied left to right; each word is one of:
 *
 * <ul>
 *   <li>{@code !word}: removes what {@code word} names from the targets so far;
 *   <li>{@code @group} or a group name ({@code all} included): the group's targets;
 *   <li>a target name or alias;
 *   <li>a URI with a scheme ({@code ssh://user@host:2222}, {@code local://name});
 *   <li>a range, {@code web[01-20]}: each name it expands to, resolved as a word;
 *   <li>a glob with {@code *} or {@code ?}: every target, alias or group whose name matches;
 *   <li>anything else: a host name that no inventory knows, as an ad-hoc target.
 * </ul>
 */
public final class TargetSpec {
  private static final Pattern HOSTLIKE =
      Pattern.compile("(?:[^@\\s/]+@)?[A-Za-z0-9_.\\-\\[\\]:%]+");

  /** The most targets one run may have, unless the project's {@code max-targets} says more. */
  public static final int DEFAULT_MAX_TARGETS = 100_000;

  private final Inventory inventory;
  private final int maxTargets;

  public TargetSpec(Inventory inventory) {
    this(inventory, DEFAULT_MAX_TARGETS);
  }

  public TargetSpec(Inventory inventory, int maxTargets) {
    this.inventory = inventory;
    this.maxTargets = maxTargets;
  }

  private JboltException tooMany(String spec) {
    return new JboltException(
        "target spec '"
            + (spec.length() > 80 ? spec.substring(0, 77) + "..." : spec)
            + "' selects more than "
            + maxTargets
            + " targets, the most one run may have: to go beyond, set 'max-targets' in"
            + " jbolt-project.yaml (or JBOLT_MAX_TARGETS in the environment)");
  }

  /** Splits on commas and white space outside brackets. */
  public static List<String> words(String spec) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    int depth = 0;
    for (char c : spec.toCharArray()) {
      if (c == '[') {
        depth++;
      } else if (c == ']') {
        depth--;
      }
      if (depth == 0 && (c == ',' || Character.isWhitespace(c))) {
        if (!cur.isEmpty()) {
          out.add(cur.toString());
        }
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    if (!cur.isEmpty()) {
      out.add(cur.toString());
    }
    return out;
  }

  public List<Target> resolve(String spec) {
    List<String> words = words(spec);
    if (words.isEmpty()) {
      throw new JboltException("empty target spec: give targets with --targets/-t");
    }
    Map<String, Target> out = new LinkedHashMap<>();
    for (String word : words) {
      if (word.startsWith("!")) {
        String what = word.substring(1);
        if (what.isEmpty()) {
          throw new JboltException(
              "'!' must be followed by a target, group or pattern in '" + spec + "'");
        }
        for (Target t : resolveWord(what, true)) {
          out.remove(t.name());
        }
      } else {
        for (Target t : resolveWord(word, false)) {
          out.putIfAbsent(t.name(), t);
        }
      }
    }
    if (out.isEmpty()) {
      throw new JboltException("target spec '" + spec + "' matches no target");
    }
    if (out.size() > maxTargets) {
      throw tooMany(spec);
    }
    return List.copyOf(out.values());
  }

  private List<Target> resolveWord(String word, boolean excluding) {
    if (word.startsWith("@")) {
      String g = word.substring(1);
      if (!inventory.hasGroup(g)) {
        throw new JboltException("unknown group '" + g + "' in target spec");
      }
      return inventory.groupTargets(g);
    }
    if (TargetUri.hasScheme(word)) {
      return List.of(inventory.targetOrAlias(word).orElseGet(() -> inventory.adhoc(word)));
    }
    if (inventory.hasGroup(word)) {
      return inventory.groupTargets(word);
    }
    var known = inventory.targetOrAlias(word);
    if (known.isPresent()) {
      return List.of(known.get());
    }
    if (NodeSet.hasRange(word)) {
      List<Target> out = new ArrayList<>();
      if (!excluding && NodeSet.count(word) > maxTargets) {
        throw tooMany(word);
      }
      for (String name : NodeSet.expand(word)) {
        out.addAll(resolveWord(name, excluding));
      }
      return out;
    }
    if (word.contains("*") || word.contains("?")) {
      return glob(word, excluding);
    }
    if (!HOSTLIKE.matcher(word).matches()) {
      throw new JboltException("'" + word + "' is not a target, group, pattern or host name");
    }
    return List.of(inventory.adhoc(word));
  }

  private List<Target> glob(String pattern, boolean excluding) {
    Pattern re = globToRegex(pattern);
    Map<String, Target> out = new LinkedHashMap<>();
    for (String name : inventory.globbable()) {
      if (re.matcher(name).matches()) {
        for (Target t : resolveWord(name, excluding)) {
          out.putIfAbsent(t.name(), t);
        }
      }
    }
    if (out.isEmpty() && !excluding) {
      throw new JboltException(
          "pattern '" + pattern + "' matches no target, alias or group in the inventory");
    }
    return List.copyOf(out.values());
  }

  static Pattern globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> re.append(".*");
        case '?' -> re.append('.');
        default -> re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE);
  }
}
