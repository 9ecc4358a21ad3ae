package dev.jbolt;

/**
 * Bad input or configuration found before any target is touched: an unknown option, a malformed
 * file, a spec that matches nothing. The message is one line that names the file, line or word at
 * fault; the root command turns it into exit code 2.
 */
public class JboltException extends RuntimeException {
  public JboltException(String message) {
    super(message);
  }

  public JboltException(String message, Throwable cause) {
    super(message, cause);
  }
}
