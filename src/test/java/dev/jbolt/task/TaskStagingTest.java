package dev.jbolt.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.jbolt.action.TaskAction;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.Target;
import dev.jbolt.project.Project;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Staging is done once per implementation per run, whatever the number of targets asking. */
class TaskStagingTest {
  @TempDir Path tmp;

  @Test
  void manyTargetsAskingAtOnceGetOneStaging() throws Exception {
    Path mod = Files.createDirectories(tmp.resolve("modules/m/tasks"));
    Files.createDirectories(tmp.resolve("modules/helper/files"));
    Files.writeString(tmp.resolve("modules/helper/files/h.sh"), "h() { :; }\n");
    Files.writeString(mod.resolve("t.sh"), "#!/bin/sh\n");
    Files.writeString(mod.resolve("t.json"), "{\"files\": [\"helper/files/h.sh\"]}");
    Project project = new Project(tmp, null, null, Map.of());
    ModulePath path = new ModulePath(project, List.of());
    Task task = Task.load(path, "m::t");
    Inventory inv = Inventory.empty();
    List<Target> targets = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      targets.add(inv.adhoc("host" + i));
    }
    try (TaskRun run = new TaskRun(task, path, Map.of(), false, Map.of(), 0, null);
        ExecutorService pool = Executors.newFixedThreadPool(16)) {
      List<Callable<TaskAction.Staged>> asks = new ArrayList<>();
      for (Target t : targets) {
        asks.add(() -> run.staged(t));
      }
      List<Future<TaskAction.Staged>> got = pool.invokeAll(asks);
      TaskAction.Staged first = got.get(0).get();
      for (Future<TaskAction.Staged> f : got) {
        assertSame(first, f.get());
      }
      try (Stream<Path> dirs = Files.list(first.dir().getParent().getParent())) {
        assertEquals(1, dirs.count(), "one staging directory");
      }
      assertEquals("h() { :; }\n", Files.readString(first.dir().resolve("helper/files/h.sh")));
    }
  }
}
