package dev.jbolt.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs in one process (the warm process serves one after another; the tests run side by side)
 * know only their own secrets: one that ends does not unmask the other's, and one does not mask the
 * other's output with its own. Secrets and log were process-wide before.
 */
class RunScopeTest {
  @TempDir Path tmp;

  @Test
  void aRunThatEndsDoesNotUnmaskAnotherRunsSecret() throws Exception {
    CompletableFuture<Cli.Outcome> slow =
        CompletableFuture.supplyAsync(
            () ->
                Cli.run(
                    tmp,
                    "command",
                    "run",
                    "sleep 1; echo slow-secret-4711",
                    "-t",
                    "localhost",
                    "--password",
                    "slow-secret-4711"));
    Thread.sleep(300);
    Cli.Outcome quick =
        Cli.run(
            tmp,
            "command",
            "run",
            "echo slow-secret-4711 quick-secret-0815",
            "-t",
            "localhost",
            "--password",
            "quick-secret-0815");
    Cli.Outcome s = slow.get();
    assertEquals(0, s.code(), s::toString);
    assertFalse(s.out().contains("slow-secret-4711"), s::toString);
    assertTrue(s.out().contains("[redacted]"), s::toString);
    assertEquals(0, quick.code(), quick::toString);
    assertTrue(quick.out().contains("slow-secret-4711 [redacted]"), quick::toString);
  }
}
