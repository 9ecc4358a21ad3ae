package dev.jbolt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.result.Printable;
import dev.jbolt.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Control characters in target names, task messages and errors are shown as {@code ls -b} shows
 * them (issue 25.12): an inventory name could set the xterm's title.
 */
class TerminalEscapesTest {
  @TempDir Path p;

  private static void assertNoControls(Cli.Outcome o) {
    for (String s : new String[] {o.out(), o.err()}) {
      assertFalse(s.matches("(?s).*[\\x00-\\x08\\x0b-\\x1f\\x7f\\x80-\\x9f].*"), o::toString);
    }
  }

  @Test
  void namesMessagesAndErrorsReachTheTerminalEscaped() throws Exception {
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: proj\n");
    Files.writeString(
        p.resolve("inventory.yaml"),
        "targets:\n  - name: \"web\\e]0;owned\\a1\"\n    config: {transport: local}\n"
            + "  - name: \"db\\x7f1\"\n    config: {transport: local}\n");
    Files.createDirectories(p.resolve("tasks"));
    Files.writeString(
        p.resolve("tasks/bad.sh"),
        "#!/bin/sh\nprintf '{\"_error\": {\"msg\": \"boom \\\\u001b[2J cleared\", \"kind\": \"x/y\"}}'\nexit 1\n");

    Cli.Outcome run = Cli.run(p, "command", "run", "exit 3", "-t", "all", "--color", "never");
    assertEquals(1, run.code(), run::toString);
    assertNoControls(run);
    assertTrue(run.out().contains("web\\033]0;owned\\0071"), run::toString);
    assertTrue(run.out().contains("db\\1771"), run::toString);

    Cli.Outcome task = Cli.run(p, "task", "run", "proj::bad", "-t", "all", "--color", "never");
    assertEquals(1, task.code(), task::toString);
    assertNoControls(task);
    assertTrue(task.out().contains("boom \\033[2J cleared"), task::toString);

    Cli.Outcome stream =
        Cli.run(p, "command", "run", "true", "-t", "all", "--stream", "--color", "never");
    assertNoControls(stream);

    Cli.Outcome shown = Cli.run(p, "inventory", "show", "-t", "all");
    assertNoControls(shown);

    Cli.Outcome plan;
    Files.createDirectories(p.resolve("plans"));
    Files.writeString(
        p.resolve("plans/p.js"),
        "export default function () { return run_command('true', 'all').count(); }\n");
    plan = Cli.run(p, "plan", "run", "proj::p", "--color", "never");
    assertNoControls(plan);

    // JSON keeps the exact names: it is for programs, and it escapes them itself.
    Cli.Outcome json = Cli.run(p, "command", "run", "true", "-t", "all", "--format", "json");
    assertTrue(json.out().contains("web\\u001B]0;owned\\u00071"), json::toString);
  }

  @Test
  void escapesAsLsDoes() {
    assertEquals("a\\033[31mb", Printable.name("a\u001b[31mb"));
    assertEquals("a\\nb\\tc", Printable.name("a\nb\tc"));
    assertEquals("a\nb\tc\\r", Printable.text("a\nb\tc\r"));
    assertEquals("x\\177\\233y", Printable.name("x\u007f\u009by"));
    assertEquals("plain é ü", Printable.name("plain é ü"));
  }
}
