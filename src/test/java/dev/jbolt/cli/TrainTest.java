package dev.jbolt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The start-up cache's training run (./jbolt runs it once per build, its output discarded) really
 * runs its command, script and plan over SSH: a failure there would leave a cache that misses the
 * classes of SSH runs, in silence.
 */
class TrainTest {
  @Test
  void everyTrainingStepSucceeds() throws Exception {
    assertEquals(List.of(0, 0, 0, 0), Train.train(true));
  }

  /** The commands' cache trains the same steps, but the plan: GraalJS stays out of it. */
  @Test
  void theCommandsCacheLeavesThePlanOut() {
    List<String> all = Train.steps(true).stream().map(a -> String.join(" ", a)).toList();
    List<String> commands = Train.steps(false).stream().map(a -> String.join(" ", a)).toList();
    assertEquals(all.stream().filter(s -> !s.startsWith("plan ")).toList(), commands);
    assertEquals(all.size() - 1, commands.size());
  }
}
