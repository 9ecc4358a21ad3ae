package dev.jbolt;

import dev.jbolt.result.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets of one run: values from secret sources (decrypted, prompted, a plugin's value at a
 * sensitive key, a password given on the command line), masked in all the run prints ({@link
 * Redacting}, {@link #redact}). Each run has its own ({@link RunScope}): nothing one run learnt is
 * masked in, or kept for, another (the warm process serves many runs).
 */
public final class Secrets {
  private final Set<String> known = ConcurrentHashMap.newKeySet();
  private final Set<String> given = ConcurrentHashMap.newKeySet();

  /** The byte sequences that show a secret: as written, and as JSON writes it; longest first. */
  private volatile List<byte[]> patterns;

  /**
   * Records {@code value} as secret (values shorter than 4 characters are too common to mask);
   * gives it back.
   */
  public String remember(String value) {
    if (value != null && value.length() >= 4 && known.add(value)) {
      patterns = null;
    }
    return value;
  }

  /** As {@link #remember}, for a value given on the command line or prompted for. */
  public String rememberTransient(String value) {
    if (value != null) {
      given.add(value);
    }
    return remember(value);
  }

  /**
   * Whether {@code value} was given on the command line or prompted for in this run: it must not
   * outlive the run (a session it opened is not kept).
   */
  public boolean isTransient(String value) {
    return given.contains(value);
  }

  /** {@code text} with every remembered secret in it masked. */
  public String redact(String text) {
    String out = text;
    for (String s : known) {
      if (out != null && out.contains(s)) {
        out = out.replace(s, Secret.MASK);
      }
    }
    return out;
  }

  /** What {@link Redacting} masks: each secret in UTF-8, and its JSON-escaped form. */
  List<byte[]> patterns() {
    List<byte[]> p = patterns;
    if (p == null) {
      Set<String> forms = new TreeSet<>();
      for (String s : known) {
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
}
