package dev.jbolt;

import dev.jbolt.result.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** A password or other secret: it prints as a mask, never as itself. */
public record Secret(String value) {
  public static final String MASK = "[redacted]";

  /** Values that came from secret sources (decrypted, prompted) in this process. */
  private static final Set<String> KNOWN = ConcurrentHashMap.newKeySet();

  /**
   * Records {@code value} as secret, so that {@link #redact} masks it in error messages (values
   * shorter than 4 characters are too common to mask); gives it back.
   */
  public static String remember(String value) {
    if (value != null && value.length() >= 4 && KNOWN.add(value)) {
      patterns = null;
    }
    return value;
  }

  /** The byte sequences that show a secret: as written, and as JSON writes it; longest first. */
  private static volatile List<byte[]> patterns;

  /** What {@link Redacting} masks: each secret in UTF-8, and its JSON-escaped form. */
  static List<byte[]> patterns() {
    List<byte[]> p = patterns;
    if (p == null) {
      Set<String> forms = new TreeSet<>();
      for (String s : KNOWN) {
        forms.add(s);
        String json = Json.write(s);
        forms.add(json.substring(1, json.length() - 1));
      }
      p =
          forms.stream()
              .map(f -> f.getBytes(StandardCharsets.UTF_8))
              .sorted((a, b) -> b.length - a.length)
              .toList();
      patterns = p;
    }
    return p;
  }

  /** Values given on the command line or prompted for: they must not outlive their run. */
  private static final Set<String> TRANSIENT = ConcurrentHashMap.newKeySet();

  /** As {@link #remember}, for a value given on the command line or prompted for. */
  public static String rememberTransient(String value) {
    if (value != null) {
      TRANSIENT.add(value);
    }
    return remember(value);
  }

  /** Whether {@code value} was given on the command line or prompted for in this run. */
  public static boolean isTransient(String value) {
    return TRANSIENT.contains(value);
  }

  /** Forgets every remembered value: the run that got them has ended (the warm process). */
  public static void forgetAll() {
    TRANSIENT.clear();
    KNOWN.clear();
    patterns = null;
  }

  /** {@code text} with every remembered secret in it masked. */
  public static String redact(String text) {
    String out = text;
    for (String s : KNOWN) {
      if (out != null && out.contains(s)) {
        out = out.replace(s, MASK);
      }
    }
    return out;
  }

  public static Secret of(Object o) {
    return o == null ? null : new Secret(String.valueOf(o));
  }

  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return MASK;
  }
}
