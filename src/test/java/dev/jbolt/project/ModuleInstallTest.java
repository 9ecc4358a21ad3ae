package dev.jbolt.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.files.LocalFiles;
import dev.jbolt.result.Json;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modules from git: local bare repositories made here, reached over file://, no network. */
class ModuleInstallTest {
  @TempDir Path tmp;
  Path project;
  String url;
  Path work;

  private String git(Path dir, String... args) {
    String[] cmd = new String[args.length + 7];
    System.arraycopy(
        new String[] {
          "git", "-C", dir.toString(), "-c", "user.email=t@example.com", "-c", "user.name=T"
        },
        0,
        cmd,
        0,
        7);
    System.arraycopy(args, 0, cmd, 7, args.length);
    return Cmd.run(cmd).strip();
  }

  /**
   * Commits {@code content} as tasks/hello.sh (and a task of {@code name}) and pushes it; returns
   * the commit.
   */
  private String commit(String task, String content) throws Exception {
    Files.createDirectories(work.resolve("tasks"));
    Files.writeString(work.resolve("tasks/" + task + ".sh"), content);
    git(work, "add", "-A");
    git(work, "commit", "-q", "-m", "change " + task);
    git(work, "push", "-q", "origin", "HEAD:main");
    return git(work, "rev-parse", "HEAD");
  }

  @BeforeEach
  void repos() throws Exception {
    Path origin = tmp.resolve("tools.git");
    Cmd.run("git", "init", "-q", "--bare", "-b", "main", origin.toString());
    work = tmp.resolve("tools-work");
    Cmd.run("git", "clone", "-q", origin.toString(), work.toString());
    git(work, "checkout", "-q", "-b", "main");
    commit("hello", "#!/bin/sh\necho hello v1\n");
    url = "file://" + origin;
    project = Files.createDirectories(tmp.resolve("project"));
    Files.writeString(
        project.resolve("jbolt-project.yaml"),
        "# our project\nname: proj\n\n# shared tasks\nmodules:\n"
            + "  - git: "
            + url
            + "\n    ref: main\n\n# keep going\nconcurrency: 10\n");
  }

  private JsonNode lock() throws Exception {
    return Json.mapper().readTree(project.resolve("jbolt-project.lock").toFile());
  }

  private Cli.Outcome jbolt(String... args) {
    return Cli.run(project, args);
  }

  @Test
  void installsLocksReproducesAndUpdates() throws Exception {
    String v1 = git(work, "rev-parse", "HEAD");
    Cli.Outcome o = jbolt("module", "install");
    assertEquals(0, o.code(), o::toString);
    assertTrue(
        Files.readString(project.resolve(".modules/tools/tasks/hello.sh")).endsWith("hello v1\n"));
    assertEquals(v1, lock().at("/modules/0/commit").asText());
    assertEquals("tools", lock().at("/modules/0/name").asText());
    // The task is on the modulepath now.
    Cli.Outcome run = jbolt("task", "run", "tools::hello", "-t", "localhost", "--format", "json");
    assertEquals("hello v1\n", run.json().at("/items/0/value/_output").asText(), run::toString);
    assertTrue(jbolt("task", "show").out().contains("tools::hello"));

    // A new commit upstream: with the lock, install reproduces v1.
    String v2 = commit("hello", "#!/bin/sh\necho hello v2\n");
    Cli.Outcome again = jbolt("module", "install");
    assertEquals(0, again.code(), again::toString);
    assertTrue(again.out().contains("0 fetched, 1 already there"), again.out());
    assertEquals(v1, git(project.resolve(".modules/tools"), "rev-parse", "HEAD"));
    // Fresh clone of the project (no .modules): still v1.
    LocalFiles.deleteTree(project.resolve(".modules"));
    assertEquals(0, jbolt("module", "install").code());
    assertEquals(v1, git(project.resolve(".modules/tools"), "rev-parse", "HEAD"));
    // --update re-resolves.
    assertEquals(0, jbolt("module", "install", "--update").code());
    assertEquals(v2, git(project.resolve(".modules/tools"), "rev-parse", "HEAD"));
    assertEquals(v2, lock().at("/modules/0/commit").asText());
    Cli.Outcome show = jbolt("module", "show");
    assertTrue(
        show.out()
            .startsWith("tools  " + url + "  ref main  commit " + v2.substring(0, 12) + "  1 task"),
        show.out());
  }

  @Test
  void refsCanBeTagsAndCommitsAndChangeInTheProjectFile() throws Exception {
    String v1 = git(work, "rev-parse", "HEAD");
    git(work, "tag", "-a", "v1.0", "-m", "release");
    git(work, "push", "-q", "origin", "v1.0");
    commit("hello", "#!/bin/sh\necho hello v2\n");
    Files.writeString(
        project.resolve("jbolt-project.yaml"),
        "name: proj\nmodules:\n  - git: " + url + "\n    ref: v1.0\n");
    assertEquals(0, jbolt("module", "install").code());
    assertEquals(v1, lock().at("/modules/0/commit").asText(), "the annotated tag's commit");
    // Quoted: an unquoted short id such as 0e12345678 is a number to YAML, which jbolt refuses.
    Files.writeString(
        project.resolve("jbolt-project.yaml"),
        "name: proj\nmodules:\n  - git: "
            + url
            + "\n    ref: '"
            + v1.substring(0, 10)
            + "'\n    name: pinned\n");
    Cli.Outcome o = jbolt("module", "install");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        v1, lock().at("/modules/0/commit").asText(), "a short commit id is recorded in full");
    assertFalse(
        Files.exists(project.resolve(".modules/tools")), "a module no longer listed is removed");
    assertTrue(Files.isDirectory(project.resolve(".modules/pinned")));
  }

  @Test
  void aRefThatYamlReadsAsANumberIsRefused() throws Exception {
    Files.writeString(
        project.resolve("jbolt-project.yaml"),
        "name: proj\nmodules:\n  - git: " + url + "\n    ref: 0e12345678\n");
    Cli.Outcome o = jbolt("module", "install");
    assertEquals(2, o.code(), o::toString);
    assertTrue(
        o.err()
            .contains(
                "module tools: ref 0.0 was read as a number, not as the text you wrote; quote it"),
        o::toString);
  }

  @Test
  void aRelativeGitPathIsTheProjectsAndIsNotFetchedAgainWhenNothingChanged() throws Exception {
    Files.writeString(
        project.resolve("jbolt-project.yaml"),
        "name: proj\nmodules:\n  - git: ../tools.git\n    ref: main\n");
    Path sub = Files.createDirectories(project.resolve("plans"));
    Cli.Outcome first = Cli.run(sub, "module", "install");
    assertEquals(0, first.code(), first::toString);
    assertTrue(first.out().contains("Installing tools from ../tools.git"), first::toString);
    Cli.Outcome again = Cli.run(sub, "module", "install", "--update");
    assertEquals(0, again.code(), again::toString);
    assertFalse(again.out().contains("Installing"), "not fetched again: " + again);
    commit("hello", "#!/bin/sh\necho hello v2\n");
    Cli.Outcome changed = jbolt("module", "install", "--update");
    assertTrue(changed.out().contains("Installing tools"), "a new commit is fetched: " + changed);
  }

  @Test
  void localChangesAreRefusedUnlessForced() throws Exception {
    assertEquals(0, jbolt("module", "install").code());
    Files.writeString(project.resolve(".modules/tools/tasks/hello.sh"), "#!/bin/sh\necho edited\n");
    Cli.Outcome o = jbolt("module", "install", "--update");
    assertEquals(2, o.code());
    assertTrue(o.err().contains(".modules/tools has local changes"), o.err());
    assertTrue(
        Files.readString(project.resolve(".modules/tools/tasks/hello.sh")).contains("edited"),
        "left alone");
    assertEquals(0, jbolt("module", "install", "--force").code());
    assertFalse(
        Files.readString(project.resolve(".modules/tools/tasks/hello.sh")).contains("edited"));
  }

  @Test
  void errorsLeaveModulesAsTheyWere() throws Exception {
    assertEquals(0, jbolt("module", "install").code());
    String before = Files.readString(project.resolve("jbolt-project.lock"));
    String[][] cases = {
      {
        "  - git: " + url + "\n    ref: no-such-branch\n",
        "ref 'no-such-branch' is not a branch, tag or commit"
      },
      {
        "  - git: file://" + tmp.resolve("nothing.git") + "\n    ref: main\n",
        "cannot reach file://" + tmp.resolve("nothing.git") + ": '"
      },
      {"  - git: ../nonexist.git\n    ref: main\n", "does not appear to be a git repository"},
      {
        "  - git: " + url + "\n    ref: main\n  - git: " + url + "\n    ref: main\n",
        "two modules are named 'tools'"
      },
      {"  - git: " + url + "\n    ref: main\n    name: Bad-Name\n", "module name 'Bad-Name'"},
      {"  - ref: main\n", "each module needs 'git: URL'"},
    };
    for (String[] c : cases) {
      Files.writeString(project.resolve("jbolt-project.yaml"), "name: proj\nmodules:\n" + c[0]);
      Cli.Outcome o = jbolt("module", "install", "--update");
      assertEquals(2, o.code(), o::toString);
      assertTrue(o.err().contains(c[1]), o.err());
      assertEquals(1, o.err().strip().lines().count(), "one clear sentence: " + o.err());
      assertTrue(
          Files.readString(project.resolve(".modules/tools/tasks/hello.sh"))
              .endsWith("hello v1\n"));
      assertEquals(before, Files.readString(project.resolve("jbolt-project.lock")));
    }
    Files.createDirectories(project.resolve("modules/tools"));
    Files.writeString(
        project.resolve("jbolt-project.yaml"), "name: proj\nmodules:\n  - git: " + url + "\n");
    Cli.Outcome clash = jbolt("module", "install");
    assertEquals(2, clash.code());
    assertTrue(clash.err().contains("clashes with the project's own modules/tools"), clash.err());
    Files.delete(project.resolve("modules/tools"));
    Files.writeString(project.resolve("jbolt-project.lock"), "{not json");
    Cli.Outcome corrupt = jbolt("module", "install");
    assertEquals(2, corrupt.code());
    assertTrue(corrupt.err().contains("jbolt-project.lock is corrupt"), corrupt.err());
    try (var s = Files.list(project)) {
      assertTrue(
          s.noneMatch(p -> p.getFileName().toString().startsWith(".modules-")),
          "no staging dir left");
    }
  }

  @Test
  void addEditsTheProjectFileKeepingCommentsAndInstalls() throws Exception {
    Path origin2 = tmp.resolve("puppetlabs-extra.git");
    Cmd.run("git", "clone", "-q", "--bare", url.substring("file://".length()), origin2.toString());
    Cli.Outcome o = jbolt("module", "add", "file://" + origin2, "--ref", "main");
    assertEquals(0, o.code(), o::toString);
    String text = Files.readString(project.resolve("jbolt-project.yaml"));
    assertEquals(
        "# our project\nname: proj\n\n# shared tasks\nmodules:\n  - git: "
            + url
            + "\n    ref: main\n"
            + "  - git: file://"
            + origin2
            + "\n    ref: main\n\n# keep going\nconcurrency: 10\n",
        text);
    assertTrue(
        Files.isDirectory(project.resolve(".modules/extra/tasks")),
        "puppetlabs-extra is module 'extra'");
    assertEquals(2, lock().get("modules").size());
    Cli.Outcome bad = jbolt("module", "add", "file://" + tmp.resolve("missing.git"));
    assertEquals(2, bad.code());
    assertEquals(
        text,
        Files.readString(project.resolve("jbolt-project.yaml")),
        "not added when it cannot be installed");
  }

  @Test
  void projectInitMakesASkeletonAndNeverOverwrites() throws Exception {
    Path fresh = Files.createDirectories(tmp.resolve("fresh"));
    Cli.Outcome o = Cli.run(fresh, "project", "init", "ops");
    assertEquals(0, o.code(), o::toString);
    assertTrue(Files.readString(fresh.resolve("jbolt-project.yaml")).contains("name: ops"));
    assertTrue(
        Files.isDirectory(fresh.resolve("tasks")) && Files.isDirectory(fresh.resolve("plans")));
    // The commented inventory is valid, and localhost works at once.
    Cli.Outcome run = Cli.run(fresh, "command", "run", "echo ready", "-t", "all");
    assertEquals(0, run.code(), run::toString);
    Cli.Outcome again = Cli.run(fresh, "project", "init", "ops");
    assertEquals(2, again.code());
    assertTrue(again.err().contains("exists already: not overwriting it"), again.err());
  }
}
