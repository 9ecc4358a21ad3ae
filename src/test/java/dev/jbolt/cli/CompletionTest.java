package dev.jbolt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.DocsTest;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Jvm;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Quick;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Completion in real interactive shells: bash and zsh under script(1), the script sourced from
 * {@code jbolt completion SHELL}, each line typed with a TAB, then echoed, so that what readline or
 * zle made of it is printed. The example project gives the targets, tasks, plans and parameters.
 */
class CompletionTest {
  @TempDir static Path dir;
  static Path project;
  static Path bin;

  /** What is typed before the TAB, and the line it must become. */
  static final List<String[]> CASES =
      List.of(
          new String[] {"jbolt pla", "jbolt plan"},
          new String[] {"jbolt command run --form", "jbolt command run --format"},
          new String[] {"jbolt command run --format js", "jbolt command run --format json"},
          new String[] {"jbolt task run examples::gr", "jbolt task run examples::greet"},
          // bash splits words at ':' and '=': the script must give back whole names all the same
          new String[] {
            "jbolt task run jbolt_examples:", "jbolt task run jbolt_examples::disk_usage"
          },
          new String[] {
            "jbolt task run examples::greet na", "jbolt task run examples::greet name="
          },
          new String[] {
            "jbolt task run examples::greet name=x t",
            "jbolt task run examples::greet name=x times="
          },
          new String[] {"jbolt command run -t web,loc", "jbolt command run -t web,localhost"},
          new String[] {"jbolt command run --targets=loc", "jbolt command run --targets=localhost"},
          new String[] {"jbolt service -x web,loc", "jbolt service -x web,localhost"},
          new String[] {
            "jbolt plan run haproxy_reboot wai", "jbolt plan run haproxy_reboot wait_time="
          },
          new String[] {"jbolt help comm", "jbolt help command"},
          // '!' leaves targets out, and the shell needs it quoted
          new String[] {"jbolt command run -t 'web,!loc", "jbolt command run -t web,!localhost"},
          // services and actions from services/, or from -c's directory; milkcheck alike
          new String[] {"jbolt service we", "jbolt service webstack"},
          new String[] {"jbolt service webstack resta", "jbolt service webstack restart"},
          new String[] {"jbolt service -c mc hap", "jbolt service -c mc haproxy"},
          new String[] {"milkcheck -c mc haproxy sto", "milkcheck -c mc haproxy stop"},
          new String[] {"jbolt script run fi", "jbolt script run fix.sh"});

  @BeforeAll
  static void setUp() throws IOException {
    project = Projects.exampleProject(Files.createDirectories(dir.resolve("project")));
    Files.writeString(project.resolve("fix.sh"), "true\n");
    bin = Files.createDirectories(dir.resolve("bin"));
    Path jbolt = bin.resolve("jbolt");
    Files.writeString(
        jbolt,
        "#!/bin/sh\nexec '" + String.join("' '", Jvm.java()) + "' dev.jbolt.cli.Main \"$@\"\n");
    Files.setPosixFilePermissions(jbolt, PosixFilePermissions.fromString("rwxr-xr-x"));
    // milkcheck as the launcher starts it: jbolt milkcheck
    Path milkcheck = bin.resolve("milkcheck");
    Files.writeString(
        milkcheck,
        "#!/bin/bash\nif [[ $1 == __complete ]]; then exec jbolt __complete milkcheck \"${@:2}\";"
            + " fi\nexec jbolt milkcheck \"$@\"\n");
    Files.setPosixFilePermissions(milkcheck, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createDirectories(project.resolve("services"));
    Files.writeString(
        project.resolve("services/web.yaml"),
        "services:\n  webstack:\n    actions:\n      start: {cmd: 'true'}\n"
            + "      restart: {cmd: 'true'}\n");
    Files.createDirectories(project.resolve("mc"));
    Files.writeString(
        project.resolve("mc/lb.yaml"),
        "services:\n  haproxy:\n    actions:\n      start: {cmd: 'true'}\n"
            + "      stop: {cmd: 'true'}\n");
  }

  static final String BASH = "bash --norc --noprofile -i";
  static final String ZSH = "zsh -f -i";
  static final String ZSH_SET_UP = "autoload -U compinit; compinit -u; ";

  /**
   * Both shells type their lines at once (each TAB starts a JVM, one after another within a shell):
   * what each printed, by shell.
   */
  static final Map<String, CompletableFuture<String>> typed = new ConcurrentHashMap<>();

  private static CompletableFuture<String> typed(String shell, String setUp) {
    return typed.computeIfAbsent(
        shell,
        k ->
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return type(shell, setUp);
                  } catch (Exception e) {
                    throw new CompletionException(e);
                  }
                },
                r -> Thread.ofPlatform().daemon().start(r))); // the common pool has 1 thread here
  }

  @Test
  void bashCompletesCommandsOptionsNamesAndParameters() throws Exception {
    Quick.skipsWhatNeeds(BASH + " running jbolt on each TAB");
    typed(ZSH, ZSH_SET_UP);
    assertCompletes(BASH, typed(BASH, "").get(5, TimeUnit.MINUTES));
  }

  @Test
  void zshCompletesCommandsOptionsNamesAndParameters() throws Exception {
    Quick.skipsWhatNeeds(ZSH + " running jbolt on each TAB");
    typed(BASH, "");
    assertCompletes(ZSH, typed(ZSH, ZSH_SET_UP).get(5, TimeUnit.MINUTES));
  }

  @Test
  void completeAnswersWithNothingForAnUnreadableProject(@TempDir Path broken) throws Exception {
    // a directory of its own: the shells may still be typing in the project
    Files.writeString(broken.resolve("inventory.yaml"), "groups: [ {");
    Cli.Outcome out = Cli.run(broken, "__complete", "command", "run", "-t", "");
    assertEquals(0, out.code());
    assertEquals("", out.out());
    assertEquals("", out.err());
  }

  /**
   * Types each case's line with a TAB into an interactive {@code shell}; returns what it printed.
   */
  private static String type(String shell, String setUp) throws Exception {
    Path exe = Path.of("/usr/bin", shell.substring(0, shell.indexOf(' ')));
    assertTrue(Files.isExecutable(exe), exe + " is missing: scripts/test installs it");
    StringBuilder typed = new StringBuilder();
    typed.append("export PATH='").append(bin).append("':$PATH; ").append(setUp);
    // the line README.md gives
    String readme = Files.readString(Path.of("README.md"));
    String source =
        DocsTest.marked(readme, "completion")
            .get(0)
            .lines()
            .filter(l -> l.contains("completion " + exe.getFileName()))
            .findFirst()
            .orElseThrow()
            .replaceFirst("\\s*#.*", "");
    typed.append(source).append("\n");
    for (String[] c : CASES) {
      // TAB completes; Ctrl-A and 'echo RESULT ' make the shell print the completed line
      typed.append(c[0]).append("\t\001echo RESULT \n");
    }
    typed.append("exit\n");
    ProcessBuilder pb = new ProcessBuilder("script", "-qfec", shell, "/dev/null");
    pb.directory(project.toFile()).redirectErrorStream(true);
    pb.environment().put("TERM", "dumb");
    pb.environment().put("HOME", dir.toString());
    Process p = pb.start();
    p.getOutputStream().write(typed.toString().getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), shell + " did not end");
    return new String(out, StandardCharsets.UTF_8);
  }

  private static void assertCompletes(String shell, String out) {
    List<String> got = new ArrayList<>();
    for (String line : out.split("\r?\n")) {
      String plain = line.replaceAll("\u001b\\[[0-9;?]*[a-zA-Z]|\r", "");
      if (plain.startsWith("RESULT ") && !plain.contains("echo")) {
        got.add(plain.substring("RESULT ".length()).strip());
      }
    }
    List<String> want = CASES.stream().map(c -> c[1]).toList();
    assertEquals(want, got, shell + " printed:\n" + out);
  }
}
