package dev.jbolt.result;

/**
 * Text from targets, inventories and tasks as a terminal may show it: control characters (C0, DEL,
 * C1) are written as {@code ls -b} writes them ({@code \e} as {@code \033}, a CR as {@code \r}), so
 * that a name or a message can neither set the terminal's title nor move its cursor. Command output
 * itself is the user's and is not touched.
 */
public final class Printable {
  private Printable() {}

  /** A name (a target, a service): every control character escaped, a newline too. */
  public static String name(String s) {
    return escape(s, false);
  }

  /** A message: on several lines as it was written, every other control character escaped. */
  public static String text(String s) {
    return escape(s, true);
  }

  private static String escape(String s, boolean keepLines) {
    if (s == null) {
      return null;
    }
    int i = 0;
    while (i < s.length() && !control(s.charAt(i), keepLines)) {
      i++;
    }
    if (i == s.length()) {
      return s;
    }
    StringBuilder b = new StringBuilder(s.length() + 8).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!control(c, keepLines)) {
        b.append(c);
        continue;
      }
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> b.append(String.format("\\%03o", (int) c));
      }
    }
    return b.toString();
  }

  private static boolean control(char c, boolean keepLines) {
    if (keepLines && (c == '\n' || c == '\t')) {
      return false;
    }
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f);
  }
}
