package dev.jbolt.session;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to run and show a run, from the command line; null means "not given": the project's setting
 * or the default decides.
 */
public record RunOptions(
    Integer concurrency,
    Format format,
    Double timeout,
    boolean noGather,
    boolean stream,
    ColorMode color,
    Path outputDir,
    Map<String, String> env,
    Integer outputMemory) {
  public static final RunOptions DEFAULT =
      new RunOptions(null, null, null, false, false, null, null, Map.of(), null);

  public enum Format {
    human,
    json
  }

  public enum ColorMode {
    auto,
    always,
    never
  }
}
