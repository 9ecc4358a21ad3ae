package dev.jbolt.plan.yaml;

/**
 * The lexical side of {@link PuppetExpr}: the text, the position in it, and the small readers
 * (identifiers, words, operators, whitespace and comments) its parser is built from.
 */
abstract class PuppetCursor {
  /** Puppet code that jbolt cannot run: the reason, for the error that names the step. */
  static final class Unsupported extends RuntimeException {
    /** The expression as written, and the YAML node that holds it, once known. */
    String expression;

    Object node;

    Unsupported(String why) {
      super(why);
    }
  }

  final String src;
  int pos;

  PuppetCursor(String src) {
    this.src = src;
  }

  /** A single-quoted string at this point, consumed, as a JSON string. */
  String singleQuoted() {
    StringBuilder sb = new StringBuilder();
    pos++;
    while (pos < src.length() && src.charAt(pos) != '\'') {
      char c = src.charAt(pos);
      if (c == '\\'
          && pos + 1 < src.length()
          && (src.charAt(pos + 1) == '\'' || src.charAt(pos + 1) == '\\')) {
        pos++;
        c = src.charAt(pos);
      }
      sb.append(c);
      pos++;
    }
    if (pos >= src.length()) {
      throw new Unsupported("a string that is never closed");
    }
    pos++;
    return JsText.value(sb.toString());
  }

  String ident() {
    int start = pos;
    while (pos < src.length()
        && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
      pos++;
    }
    if (start == pos) {
      throw unsupportedAt();
    }
    return src.substring(start, pos);
  }

  boolean word(String w) {
    skipSpace();
    if (src.startsWith(w, pos)
        && (pos + w.length() >= src.length()
            || !Character.isLetterOrDigit(src.charAt(pos + w.length())))) {
      pos += w.length();
      return true;
    }
    return false;
  }

  /** The first of {@code ops} (longest first) at this point, consumed; null for none. */
  String operator(String... ops) {
    skipSpace();
    if (src.startsWith("=~", pos) || src.startsWith("!~", pos)) {
      throw new Unsupported("a match expression (=~)");
    }
    if (src.startsWith("<<", pos)
        || src.startsWith(">>", pos)
        || src.startsWith("->", pos)
        || src.startsWith("~>", pos)
        || src.startsWith("<-", pos)) {
      throw new Unsupported("the operator " + src.substring(pos, pos + 2));
    }
    for (String op : ops) {
      if (src.startsWith(op, pos)) {
        pos += op.length();
        return op;
      }
    }
    int here = pos;
    if (word("in")) {
      pos = here;
      throw new Unsupported("an 'in' expression");
    }
    if (peek('?')) {
      throw new Unsupported("a selector (? { ... })");
    }
    return null;
  }

  void expect(char c) {
    skipSpace();
    if (!peek(c)) {
      throw unsupportedAt();
    }
    pos++;
  }

  boolean peek(char c) {
    return pos < src.length() && src.charAt(pos) == c;
  }

  void skipSpace() {
    while (pos < src.length()) {
      char c = src.charAt(pos);
      if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == '#') {
        while (pos < src.length() && src.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  Unsupported unsupportedAt() {
    String rest = src.substring(Math.min(pos, src.length())).strip();
    if (rest.contains("\n") || src.strip().contains("\n")) {
      return new Unsupported("Puppet code of several statements");
    }
    return new Unsupported(
        rest.isEmpty() ? "an incomplete expression" : "Puppet syntax at '" + first(rest) + "'");
  }

  private static String first(String s) {
    return s.length() > 20 ? s.substring(0, 20) + "..." : s;
  }
}
