package dev.jbolt;

/**
 * A password or other secret: it prints as a mask, never as itself. Which values a run masks is its
 * {@link Secrets}.
 */
public record Secret(String value) {
  public static final String MASK = "[redacted]";

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
