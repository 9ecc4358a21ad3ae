package dev.jbolt.testing;

import org.junit.jupiter.api.Assumptions;

/**
 * The quick loop ({@code scripts/test --quick}, Maven's {@code quick} profile: the property {@code
 * jbolt.quick}): tests that need an sshd, another JVM, a network namespace, a browser or MilkCheck
 * are skipped, saying why, and the rest run. The full suite runs them all.
 */
public final class Quick {
  private Quick() {}

  /** Skips the calling test (or class, from a {@code @BeforeAll}) in the quick loop. */
  public static void skipsWhatNeeds(String what) {
    Assumptions.assumeFalse(Boolean.getBoolean("jbolt.quick"), "quick loop: needs " + what);
  }
}
