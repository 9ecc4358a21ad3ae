package dev.jbolt.plan.yaml;

import dev.jbolt.result.Json;

/**
 * The one way text from a YAML plan reaches the JavaScript made of it: values as JSON literals with
 * U+2028 and U+2029 escaped too, comments with every line terminator escaped, so that nothing
 * written as data (a description, a name, a message, a key) can end a comment or a literal and
 * become code.
 */
final class JsText {
  private JsText() {}

  /** {@code value} (a string, number, list, map...) as a JavaScript expression. */
  static String value(Object value) {
    return Json.write(value).replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
  }

  /** {@code text} for the rest of a {@code //} comment: on one line whatever it holds. */
  static String comment(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\u2028' -> b.append("\\u2028");
        case '\u2029' -> b.append("\\u2029");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u0085') {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.toString();
  }
}
