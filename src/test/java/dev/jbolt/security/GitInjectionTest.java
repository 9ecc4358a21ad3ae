package dev.jbolt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.JboltException;
import dev.jbolt.project.ModuleSpec;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Cmd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Module URLs and refs are user data that reaches {@code git}: none of them may become an option of
 * git's or pick a transport that runs a command ({@code ext::}). Each hostile value is refused as
 * bad input (exit 2) and runs nothing.
 */
class GitInjectionTest {
  @TempDir Path tmp;

  private Path project(String modules) throws Exception {
    Path p = Files.createDirectories(tmp.resolve("lab"));
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: x\nmodules:\n" + modules);
    return p;
  }

  @Test
  void aUrlThatIsAGitOptionRunsNothing() throws Exception {
    Path pwned = tmp.resolve("PWNED");
    Path p = project("  - git: '--upload-pack=touch " + pwned + ";'\n    name: bad\n");
    Cli.Outcome o = Cli.run(p, "module", "install");
    assertEquals(2, o.code(), o::toString);
    assertFalse(Files.exists(pwned), "git ran the URL as an option: " + o);
    assertTrue(o.err().contains("must not start with '-'"), o::toString);
  }

  @Test
  void aRefThatIsAGitOptionRunsNothing() throws Exception {
    Path origin = tmp.resolve("tools.git");
    Cmd.run("git", "init", "-q", "--bare", origin.toString());
    Path pwned = tmp.resolve("PWNED");
    Path p =
        project("  - git: file://" + origin + "\n    ref: '--upload-pack=touch " + pwned + ";'\n");
    Cli.Outcome o = Cli.run(p, "module", "install");
    assertEquals(2, o.code(), o::toString);
    assertFalse(Files.exists(pwned));
    assertTrue(o.err().contains("ref '--upload-pack"), o::toString);
  }

  @Test
  void theExtTransportAndOtherSchemesAreRefused() throws Exception {
    Path pwned = tmp.resolve("PWNED");
    for (String url :
        List.of(
            "ext::sh -c touch% " + pwned,
            "fd::3",
            "http://example.com/x.git",
            "git://example.com/x.git",
            "foo::bar")) {
      Path p = project("  - git: '" + url + "'\n    name: bad\n");
      Cli.Outcome o = Cli.run(p, "module", "install");
      assertEquals(2, o.code(), url + ": " + o);
      assertTrue(o.err().contains("https://, ssh://"), o::toString);
    }
    assertFalse(Files.exists(pwned));
  }

  @Test
  void moduleAddRefusesBeforeTouchingTheProjectFile() throws Exception {
    Path pwned = tmp.resolve("PWNED");
    Path p = project("  []\n");
    String before = Files.readString(p.resolve("jbolt-project.yaml"));
    for (String[] args :
        List.of(
            new String[] {"module", "add", "--", "--upload-pack=touch " + pwned + ";"},
            new String[] {"module", "add", "ext::sh -c touch% " + pwned},
            new String[] {"module", "add", "file:///srv/x.git", "--ref=--output=" + pwned},
            new String[] {"module", "add", "file:///srv/x.git", "--name", "x\n  evil: 1"})) {
      Cli.Outcome o = Cli.run(p, args);
      assertEquals(2, o.code(), String.join(" ", args) + ": " + o);
      assertEquals(before, Files.readString(p.resolve("jbolt-project.yaml")));
    }
    assertFalse(Files.exists(pwned));
  }

  @Test
  void theUrlsGitUsersWriteAreAccepted() {
    for (String url :
        List.of(
            "https://github.com/puppetlabs/puppetlabs-apt.git",
            "ssh://git@host:2222/ops/x.git",
            "git@github.com:ops/tools.git",
            "host:repos/tools.git",
            "[::1]:repos/x.git",
            "file:///srv/git/x.git",
            "/srv/git/x.git",
            "../tools.git",
            "./tools",
            "tools.git")) {
      assertEquals(url, ModuleSpec.checkUrl(url, "test"));
    }
    for (String url :
        List.of(
            "",
            " ",
            "-x",
            "--upload-pack=x",
            "ext::x",
            "http://h/x",
            "ftp://h/x",
            "a\nb",
            "a\u0000b",
            "file://-x",
            "ssh://-oProxyCommand=x/y",
            "-oProxyCommand=x:y")) {
      try {
        ModuleSpec.checkUrl(url, "test");
        throw new AssertionError("accepted: " + url);
      } catch (JboltException e) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
      }
    }
  }
}
