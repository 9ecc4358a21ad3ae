package dev.jbolt;

/**
 * What one run knows beyond its options: its secrets and its log. Made with the run's {@code
 * Console}, reached from it and from the session; nothing of it is process-wide.
 */
public record RunScope(Secrets secrets, Log log) {
  /**
   * A new run's: no secret known, a log not started (it says nothing until the session starts it).
   */
  public static RunScope fresh() {
    Secrets s = new Secrets();
    return new RunScope(s, new Log(s));
  }
}
