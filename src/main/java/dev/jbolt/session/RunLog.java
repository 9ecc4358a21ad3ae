package dev.jbolt.session;

import dev.jbolt.project.Project;
import java.util.Objects;

/**
 * A run's log ({@link dev.jbolt.Log}, its console's): the console, and the last run's {@code
 * .jbolt/debug.log}.
 */
final class RunLog {
  private RunLog() {}

  /** Starts it; commands that only read the project ({@code runs} false) write no debug log. */
  static AutoCloseable start(Console console, Project project, int concurrency, boolean runs) {
    return console
        .scope()
        .log()
        .start(
            console.err(),
            runs && project.dir() != null ? project.dir().resolve(".jbolt/debug.log") : null,
            "jbolt "
                + Objects.requireNonNullElse(
                    RunLog.class.getPackage().getImplementationVersion(), "dev")
                + "; project "
                + (project.dir() == null ? "none" : project.dir())
                + "; inventory "
                + (project.inventoryFile() == null ? "none" : project.inventoryFile())
                + "; concurrency "
                + concurrency);
  }
}
