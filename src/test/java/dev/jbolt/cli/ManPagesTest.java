package dev.jbolt.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.session.Console;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The man pages the release ships: one per command, each option and subcommand in it, and groff
 * (groff-base, which man-db needs) reads every page without a warning.
 */
class ManPagesTest {
  @TempDir Path tmp;

  @Test
  void everyCommandHasAPageThatGroffReadsWithoutAWarning() throws Exception {
    assertTrue(Files.isExecutable(Path.of("/usr/bin/groff")), "groff is missing (groff-base)");
    ManPages.main(new String[] {tmp.toString()});
    CommandLine root = Main.all(Console.system());
    List<Path> pages;
    try (Stream<Path> s = Files.list(tmp.resolve("man/man1"))) {
      pages = s.sorted().toList();
    }
    assertTrue(pages.size() > 30, pages::toString);
    CommandLine run = root.getSubcommands().get("command").getSubcommands().get("run");
    String page = Files.readString(tmp.resolve("man/man1/jbolt-command-run.1"));
    for (OptionSpec o : run.getCommandSpec().options()) {
      if (!o.hidden()) {
        assertTrue(page.contains(ManPages.escape(o.longestName())), o.longestName());
      }
    }
    // the text as the help prints it: --local's %h and %n are not format specifiers
    assertTrue(page.contains("%h (host), %n (target name), %u (user), %p (port)"), page);
    assertTrue(page.contains("%% is a %."), page);
    String top = Files.readString(tmp.resolve("man/man1/jbolt.1"));
    for (String sub : root.getSubcommands().keySet()) {
      assertTrue(top.contains(".B " + sub + "\n"), sub);
    }
    for (Path p : pages) {
      Process groff =
          new ProcessBuilder("groff", "-man", "-Tutf8", "-ww", "-z", p.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(groff.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertEquals(0, groff.waitFor(), p + ": " + out);
      assertEquals("", out, p + ": groff warned");
    }
    assertTrue(Files.readString(tmp.resolve("completion/jbolt.bash")).contains("complete -F"));
    assertTrue(Files.readString(tmp.resolve("completion/_jbolt")).startsWith("#compdef jbolt"));
  }
}
