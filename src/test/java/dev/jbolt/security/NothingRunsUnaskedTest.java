package dev.jbolt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading a project runs none of its code (issue 25.3): TAB completion does not run inventory
 * plugins, and reading a JS plan's parameters (completion, plan show) runs no plan function. {@code
 * inventory show} still resolves plugins, as Bolt's does.
 */
class NothingRunsUnaskedTest {
  @TempDir Path p;

  private Path marker(String name) {
    return p.resolve(name);
  }

  @Test
  void completionRunsNoInventoryPlugin() throws Exception {
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: proj\n");
    Path tasks = Files.createDirectories(p.resolve("tasks"));
    Path task = tasks.resolve("targets.sh");
    Files.writeString(
        task,
        "#!/bin/sh\ntouch '" + marker("plugin-ran") + "'\necho '{\"value\": [\"fromplugin\"]}'\n");
    task.toFile().setExecutable(true);
    Files.writeString(
        p.resolve("inventory.yaml"),
        """
        targets:
          - static1
          - _plugin: task
            task: proj::targets
        groups:
          - name: web
            targets: [web1, {_plugin: task, task: proj::targets}]
            vars:
              role: {_plugin: task, task: proj::targets}
        """);

    Cli.Outcome out = Cli.run(p, "__complete", "command", "run", "x", "-t", "");
    assertEquals(0, out.code(), out::toString);
    assertEquals(
        List.of("all", "web", "static1", "web1"), out.out().lines().toList(), out::toString);
    assertFalse(Files.exists(marker("plugin-ran")), "completion ran the plugin task");

    // Asked for, the plugins run (inventory show, as Bolt's).
    Cli.Outcome shown = Cli.run(p, "inventory", "show", "-t", "all");
    assertTrue(shown.out().contains("fromplugin"), shown::toString);
    assertTrue(Files.exists(marker("plugin-ran")));
  }

  @Test
  void readingAPlanRunsNoPlanFunction() throws Exception {
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: proj\n");
    Path plans = Files.createDirectories(p.resolve("plans"));
    Files.writeString(
        plans.resolve("sneaky.js"),
        "run_command(\"touch '"
            + marker("top-level-ran")
            + "'\", 'localhost');\n"
            + "export const params = {who: {type: 'String'}};\n"
            + "export default function (p) { return run_command('true', 'localhost'); }\n");
    Files.writeString(
        plans.resolve("plain.js"),
        "const helper = (x) => x + 1;\n"
            + "export const description = 'fine';\n"
            + "export const params = {count: {type: 'Integer'}};\n"
            + "export default function (p) { return helper(p.count); }\n");

    Cli.Outcome complete = Cli.run(p, "__complete", "plan", "run", "proj::sneaky", "");
    assertEquals(0, complete.code(), complete::toString);
    Cli.Outcome show = Cli.run(p, "plan", "show", "proj::sneaky");
    assertFalse(Files.exists(marker("top-level-ran")), "reading the plan ran its top level");
    assertEquals(2, show.code(), show::toString);
    assertTrue(
        show.err().contains("run_command was called while the plan was only read"), show::toString);

    // A plan whose top level only declares reads as before.
    Cli.Outcome plain = Cli.run(p, "__complete", "plan", "run", "proj::plain", "");
    assertEquals(List.of("count="), plain.out().lines().toList(), plain::toString);
    Cli.Outcome list = Cli.run(p, "plan", "show");
    assertEquals(0, list.code(), list::toString);
    assertTrue(list.out().contains("plain     fine"), list::toString);
  }
}
