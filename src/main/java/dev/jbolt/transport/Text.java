package dev.jbolt.transport;

import java.nio.charset.StandardCharsets;

/** Bytes from targets as text: UTF-8, with invalid sequences replaced by U+FFFD. */
public final class Text {
  private Text() {}

  public static String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
