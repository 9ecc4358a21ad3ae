package dev.jbolt.plan.yaml;

/** Puppet's double-quoted strings, as JavaScript template literals ({@link PuppetExpr}). */
final class PuppetStrings {
  private PuppetStrings() {}

  /**
   * The JavaScript template literal for a double-quoted Puppet string: {@code $name} and {@code
   * ${expression}} interpolated, the rest literal.
   */
  static String interpolate(String text, PuppetExpr.Scope scope) {
    StringBuilder js = new StringBuilder("`");
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        int end = closing(text, i + 1);
        String inner = text.substring(i + 2, end).strip();
        String expr =
            inner.matches("[a-z_][a-zA-Z0-9_]*(::[a-z_][a-zA-Z0-9_]*)*([\\[.].*)?")
                    && !inner.matches("[a-z_][a-zA-Z0-9_:]*\\s*\\(.*")
                ? "$" + inner // Puppet reads a bare word at the start of ${...} as a variable
                : inner;
        js.append("${puppet.str(").append(PuppetExpr.compile(expr, scope)).append(")}");
        i = end + 1;
      } else if (c == '$'
          && i + 1 < text.length()
          && (Character.isLowerCase(text.charAt(i + 1)) || text.charAt(i + 1) == '_')) {
        int j = i + 1;
        while (j < text.length()
            && (Character.isLetterOrDigit(text.charAt(j))
                || text.charAt(j) == '_'
                || (text.startsWith("::", j)
                    && j + 2 < text.length()
                    && Character.isLowerCase(text.charAt(j + 2))))) {
          j += text.startsWith("::", j) ? 2 : 1;
        }
        js.append("${puppet.str(")
            .append(PuppetExpr.variable(text.substring(i + 1, j), scope))
            .append(")}");
        i = j;
      } else {
        if (c == '`' || c == '\\' || (c == '$' && i + 1 < text.length())) {
          js.append('\\');
        }
        js.append(c);
        i++;
      }
    }
    return js.append('`').toString();
  }

  /** The index of the brace that closes the one at {@code open}, strings inside skipped. */
  private static int closing(String text, int open) {
    int depth = 0;
    for (int i = open; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\'' || c == '"') {
        int j = i + 1;
        while (j < text.length() && text.charAt(j) != c) {
          j += text.charAt(j) == '\\' ? 2 : 1;
        }
        i = j;
      } else if (c == '{') {
        depth++;
      } else if (c == '}' && --depth == 0) {
        return i;
      }
    }
    throw new PuppetCursor.Unsupported("an interpolation '${' that is never closed");
  }
}
