package dev.jbolt.inventory;

import dev.jbolt.JboltException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ClusterShell-style node sets: {@code web[01-20,23]} expands to web01..web20,web23, and a list of
 * names folds back into that form. Several bracket groups in one name give their product; zero
 * padding is kept as written ({@code [01-10]} gives 01..10, {@code [1-10]} gives 1..10).
 */
public final class NodeSet {
  /** Guards against {@code [1-999999999]} eating the heap. */
  public static final int MAX_EXPANSION = 1_000_000;

  private NodeSet() {}

  /** True when the pattern has a bracket group that this class expands. */
  public static boolean hasRange(String pattern) {
    return pattern.indexOf('[') >= 0;
  }

  /** Expands every bracket group of {@code pattern}; a name without brackets is itself. */
  /**
   * How many names {@code pattern} expands to, without making them (a pattern that cannot be
   * expanded counts 0: {@link #expand} says why).
   */
  public static long count(String pattern) {
    long total = 1;
    int i = 0;
    while (true) {
      int open = pattern.indexOf('[', i);
      if (open < 0) {
        return total;
      }
      int end = pattern.indexOf(']', open);
      if (end < 0) {
        return 0;
      }
      long n = 0;
      for (String item : pattern.substring(open + 1, end).split(",")) {
        Matcher m = Pattern.compile("\\s*(\\d+)(?:-(\\d+)(?:/(\\d+))?)?\\s*").matcher(item);
        if (!m.matches()) {
          return 0;
        }
        try {
          long from = Long.parseLong(m.group(1));
          long to = m.group(2) == null ? from : Long.parseLong(m.group(2));
          long step = m.group(3) == null ? 1 : Long.parseLong(m.group(3));
          n += to < from || step < 1 ? 0 : (to - from) / step + 1;
        } catch (NumberFormatException e) {
          return Long.MAX_VALUE;
        }
      }
      total = Math.multiplyHigh(total, n) != 0 ? Long.MAX_VALUE : total * n;
      if (total < 0) {
        return Long.MAX_VALUE;
      }
      i = end + 1;
    }
  }

  public static List<String> expand(String pattern) {
    List<String> acc = new ArrayList<>();
    acc.add("");
    int i = 0;
    while (i < pattern.length()) {
      int open = pattern.indexOf('[', i);
      int close = pattern.indexOf(']', i);
      if (open < 0) {
        if (close >= 0) {
          throw new JboltException("unbalanced ']' in '" + pattern + "'");
        }
        append(acc, List.of(pattern.substring(i)));
        break;
      }
      if (close >= 0 && close < open) {
        throw new JboltException("unbalanced ']' in '" + pattern + "'");
      }
      append(acc, List.of(pattern.substring(i, open)));
      int end = pattern.indexOf(']', open);
      if (end < 0) {
        throw new JboltException("unbalanced '[' in '" + pattern + "'");
      }
      append(acc, expandRanges(pattern.substring(open + 1, end), pattern));
      if ((long) acc.size() > MAX_EXPANSION) {
        throw new JboltException(
            "'" + pattern + "' expands to more than " + MAX_EXPANSION + " names");
      }
      i = end + 1;
    }
    return acc;
  }

  private static void append(List<String> acc, List<String> parts) {
    if (parts.size() == 1) {
      String p = parts.get(0);
      acc.replaceAll(s -> s + p);
      return;
    }
    List<String> next = new ArrayList<>(acc.size() * parts.size());
    for (String a : acc) {
      for (String p : parts) {
        next.add(a + p);
      }
    }
    acc.clear();
    acc.addAll(next);
  }

  /** {@code 01-05,9,12-20/2}: items separated by commas, each a number or a range with a step. */
  static List<String> expandRanges(String body, String pattern) {
    if (body.isEmpty()) {
      throw new JboltException("empty range '[]' in '" + pattern + "'");
    }
    List<String> out = new ArrayList<>();
    for (String item : body.split(",", -1)) {
      Matcher m = Pattern.compile("(\\d+)(?:-(\\d+)(?:/(\\d+))?)?").matcher(item.strip());
      if (!m.matches()) {
        throw new JboltException(
            "bad range '" + item + "' in '" + pattern + "' (expected N, N-M or N-M/STEP)");
      }
      String lo = m.group(1);
      if (m.group(2) == null) {
        out.add(lo);
        continue;
      }
      String hi = m.group(2);
      long from = parse(lo, pattern);
      long to = parse(hi, pattern);
      long step = m.group(3) == null ? 1 : parse(m.group(3), pattern);
      if (to < from || step < 1) {
        throw new JboltException("bad range '" + item + "' in '" + pattern + "'");
      }
      if ((to - from) / step + out.size() >= MAX_EXPANSION) {
        throw new JboltException(
            "'" + pattern + "' expands to more than " + MAX_EXPANSION + " names");
      }
      int width = lo.length() > 1 && lo.startsWith("0") ? lo.length() : 0;
      for (long n = from; n <= to; n += step) {
        out.add(pad(n, width));
      }
    }
    return out;
  }

  private static long parse(String digits, String pattern) {
    if (digits.length() > 15) {
      throw new JboltException("number too large in '" + pattern + "'");
    }
    return Long.parseLong(digits);
  }

  private static String pad(long n, int width) {
    String s = Long.toString(n);
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }

  /**
   * Folds names into the compact form, the reverse of {@link #expand}: names that differ only in
   * one numeric part (the last one that differs, with the same padding) share a bracket group. The
   * result expands back to exactly the names given, in the order of their first fold.
   */
  public static String fold(Collection<String> names) {
    List<String> items = new ArrayList<>(new LinkedHashSet<>(names));
    // Fold the rightmost numeric part first, then any part to its left, until nothing changes.
    List<String> folded = foldOnce(items);
    while (folded.size() < items.size()) {
      items = folded;
      folded = foldOnce(items);
    }
    return String.join(",", folded);
  }

  /** One pass: for each numeric position, group names equal everywhere else. */
  private static List<String> foldOnce(List<String> items) {
    List<String> best = items;
    int maxParts = 0;
    for (String s : items) {
      maxParts = Math.max(maxParts, numericParts(s).size());
    }
    for (int k = 0; k < maxParts; k++) {
      List<String> candidate = foldAt(best, k);
      if (candidate.size() < best.size()) {
        best = candidate;
      }
    }
    return best;
  }

  /**
   * Groups names by (text before, text after) the k-th numeric part counted from the right; the
   * numbers of one group become a range set. Names with a bracket group already in that place, or
   * without a k-th numeric part, stand alone.
   */
  private static List<String> foldAt(List<String> items, int kFromRight) {
    Map<String, List<Group>> byPlace = new LinkedHashMap<>();
    List<Object> order = new ArrayList<>();
    for (String s : items) {
      List<int[]> parts = numericParts(s);
      if (parts.size() <= kFromRight) {
        order.add(s);
        continue;
      }
      int[] p = parts.get(parts.size() - 1 - kFromRight);
      String digits = s.substring(p[0], p[1]);
      if (digits.length() > 15) {
        order.add(s); // a hash or serial number, not a node index
        continue;
      }
      List<String> numbers = expandRanges(digits, s);
      String before = s.substring(0, p[0]);
      String after = s.substring(p[1]);
      List<Group> place =
          byPlace.computeIfAbsent(before + "\u0000" + after, k -> new ArrayList<>());
      Group g = place.stream().filter(x -> x.accepts(numbers)).findFirst().orElse(null);
      if (g == null) {
        g = new Group(before, after, width(numbers.get(0)));
        place.add(g);
        order.add(g);
      }
      g.add(numbers, s);
    }
    List<String> out = new ArrayList<>();
    for (Object o : order) {
      if (o instanceof Group g) {
        out.add(g.sources.size() == 1 ? g.sources.get(0) : g.render());
      } else {
        out.add((String) o);
      }
    }
    return out;
  }

  /** The padding a number was written with: its length when it has a leading zero, else 0. */
  private static int width(String number) {
    return number.length() > 1 && number.startsWith("0") ? number.length() : 0;
  }

  private static final Pattern BRACKET_GROUP =
      Pattern.compile("[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*");

  /**
   * Start and end offsets of each numeric part; digits inside a bracket group form one part. A name
   * with a bracket that is not a range group ({@code db[1}, {@code a]b}, {@code x[y]}) has none: it
   * stands alone, as written.
   */
  private static List<int[]> numericParts(String s) {
    List<int[]> parts = new ArrayList<>();
    int i = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ']') {
        return List.of();
      }
      if (c == '[') {
        int end = s.indexOf(']', i);
        if (end < 0 || !BRACKET_GROUP.matcher(s.substring(i + 1, end)).matches()) {
          return List.of();
        }
        parts.add(new int[] {i + 1, end});
        i = end + 1;
      } else if (Character.isDigit(c)) {
        int j = i;
        while (j < s.length() && Character.isDigit(s.charAt(j))) {
          j++;
        }
        parts.add(new int[] {i, j});
        i = j;
      } else {
        i++;
      }
    }
    return parts;
  }

  private static final class Group {
    final String before;
    final String after;
    int width;
    final TreeSet<Long> numbers = new TreeSet<>();
    final List<String> sources = new ArrayList<>();

    Group(String before, String after, int width) {
      boolean bracketed = before.endsWith("[");
      this.before = bracketed ? before.substring(0, before.length() - 1) : before;
      this.after = bracketed ? after.substring(1) : after;
      this.width = width;
    }

    /**
     * Numbers share a group when one padding writes them all as they were written: 09 and 10 (width
     * 2) do, 9 and 10 (no padding) do, 1 and 01 do not.
     */
    boolean accepts(List<String> nums) {
      for (String n : nums) {
        int w = width(n);
        boolean ok =
            w == 0
                ? n.length() >= width // 10 fits width 2; 9 does not
                : w == width || (width == 0 && fits(w)); // 09 joins 10 and 11, not 9
        if (!ok) {
          return false;
        }
      }
      return true;
    }

    private boolean fits(int w) {
      for (Long n : numbers) {
        if (Long.toString(n).length() < w) {
          return false;
        }
      }
      return true;
    }

    void add(List<String> nums, String source) {
      for (String n : nums) {
        width = Math.max(width, width(n));
        numbers.add(Long.parseLong(n));
      }
      sources.add(source);
    }

    String render() {
      StringBuilder sb = new StringBuilder(before).append('[');
      Long start = null;
      Long prev = null;
      for (Long n : numbers) {
        if (start == null) {
          start = n;
        } else if (n != prev + 1) {
          range(sb, start, prev);
          start = n;
        }
        prev = n;
      }
      range(sb, start, prev);
      sb.setLength(sb.length() - 1);
      return sb.append(']').append(after).toString();
    }

    private void range(StringBuilder sb, long from, long to) {
      sb.append(pad(from, width));
      if (to > from) {
        sb.append('-').append(pad(to, width));
      }
      sb.append(',');
    }
  }
}
