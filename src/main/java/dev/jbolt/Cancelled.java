package dev.jbolt;

/**
 * The run was interrupted (Ctrl-C): not bad input, not a failure of the targets. What was running
 * has been stopped; the root command turns this into exit code 130.
 */
public class Cancelled extends RuntimeException {
  public Cancelled(String message) {
    super(message);
  }
}
