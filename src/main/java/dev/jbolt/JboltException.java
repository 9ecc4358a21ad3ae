package dev.jbolt;

/**
 * Bad input or configuration found before any target is touched: an unknown option, a malformed
 * file, a spec that matches nothing. The message is one line that names the file, line or word at
 * fault; the root command turns it into exit code 2.
 */
public class JboltException extends RuntimeException {
  public JboltException(String message) {
    super(oneLine(message));
  }

  public JboltException(String message, Throwable cause) {
    super(oneLine(message), cause);
  }

  /**
   * Messages quote what the user wrote, which may hold newlines and control characters: escaped.
   */
  static String oneLine(String message) {
    if (message == null) {
      return "error";
    }
    StringBuilder sb = new StringBuilder(message.length());
    for (char c : message.toCharArray()) {
      switch (c) {
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
