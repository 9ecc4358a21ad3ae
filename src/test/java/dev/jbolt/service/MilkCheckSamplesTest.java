package dev.jbolt.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.MilkCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MilkCheck's own sample configuration, read by jbolt and by MilkCheck itself (shared/peers, run
 * with Debian's python3-clustershell): the same graph, byte for byte, and the same check of the
 * configuration by {@code milkcheck} without an action (issue 27). The sample gives a key twice;
 * PyYAML keeps the last value, and so does jbolt, with a warning.
 */
class MilkCheckSamplesTest {
  @TempDir Path tmp;

  @Test
  void everySampleGivesMilkChecksOwnGraph() throws Exception {
    MilkCheck mc = new MilkCheck(tmp.resolve("src"));
    Path milkcheck = mc.home();
    Path project = Files.createDirectories(tmp.resolve("project"));
    Files.writeString(project.resolve("jbolt-project.yaml"), "name: mc\n");
    List<Path> samples;
    try (Stream<Path> s = Files.list(milkcheck.resolve("conf/samples"))) {
      samples = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    assertFalse(samples.isEmpty());
    for (Path sample : samples) {
      Path conf = Files.createDirectories(tmp.resolve("conf-" + sample.getFileName()));
      Files.copy(sample, conf.resolve(sample.getFileName()));
      Cli.Outcome theirs = mc.run(project, null, null, "-c", conf.toString(), "-g");
      assertEquals(0, theirs.code(), theirs::toString);
      Cli.Outcome ours = Cli.run(project, "service", "-c", conf.toString(), "-g");
      assertEquals(0, ours.code(), ours::toString);
      assertEquals(theirs.out(), ours.out(), sample.getFileName() + ": " + ours.err());
      // milkcheck without an action checks the configuration, as MilkCheck does
      Cli.Outcome checked = mc.run(project, null, null, "-c", conf.toString());
      assertEquals(0, checked.code(), checked::toString);
      Cli.Outcome ourCheck = Cli.run(project, "milkcheck", "-c", conf.toString());
      assertEquals(0, ourCheck.code(), ourCheck::toString);
      assertEquals(checked.out(), ourCheck.out(), sample.getFileName() + ": " + ourCheck.err());
      if (sample.getFileName().toString().equals("example.yaml")) {
        assertTrue(ours.err().contains("key 'group' given again"), ours::toString);
      }
    }
  }
}
