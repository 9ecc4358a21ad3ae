package dev.jbolt;

/** A password or other secret: it prints as a mask, never as itself. */
public record Secret(String value) {
  public static final String MASK = "[redacted]";

  /** Values that came from secret sources (decrypted, prompted) in this process. */
  private static final java.util.Set<String> KNOWN =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

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
  private static volatile java.util.List<byte[]> patterns;

  /** What {@link Redacting} masks: each secret in UTF-8, and its JSON-escaped form. */
  static java.util.List<byte[]> patterns() {
    java.util.List<byte[]> p = patterns;
    if (p == null) {
      java.util.Set<String> forms = new java.util.TreeSet<>();
      for (String s : KNOWN) {
        forms.add(s);
        String json = dev.jbolt.result.Json.write(s);
        forms.add(json.substring(1, json.length() - 1));
      }
      p =
          forms.stream()
              .map(f -> f.getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .sorted((a, b) -> b.length - a.length)
              .toList();
      patterns = p;
    }
    return p;
  }

  /** Values given on the command line or prompted for: they must not outlive their run. */
  private static final java.util.Set<String> TRANSIENT =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

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
