package dev.jbolt.transport;

import java.nio.charset.StandardCharsets;

/** Bytes from targets as text: UTF-8, with invalid sequences replaced by U+FFFD. */
public final class Text {
  private Text() {}

  /** UTF-8 text; invalid bytes become U+FFFD (see {@link #isUtf8}). */
  public static String decode(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** True when {@code bytes} are valid UTF-8, so that {@link #decode} loses nothing. */
  public static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }
}
