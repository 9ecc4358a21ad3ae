package dev.jbolt.cli;

import dev.jbolt.warm.WarmServer;

/**
 * The warm process's entry ({@code jbolt persist}, started by the launcher): {@link WarmServer}
 * serves its clients, each run being {@link Main#run}, as in a process of its own.
 */
public final class Warm {
  private Warm() {}

  /** {@code Warm SOCKET PROJECT-DIR|-}: started by the client, detached, its output to a log. */
  public static void main(String[] args) throws Exception {
    WarmServer.serve(
        args[0],
        args[1],
        (console, argv) -> {
          try {
            return Main.run(console, argv);
          } catch (RuntimeException | Error e) {
            console
                .err()
                .println(
                    "jbolt: internal error: "
                        + console.scope().secrets().redact(String.valueOf(e)));
            return Main.FAILED;
          }
        });
  }
}
