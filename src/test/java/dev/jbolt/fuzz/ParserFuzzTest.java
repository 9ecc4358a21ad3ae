package dev.jbolt.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.jbolt.JboltException;
import dev.jbolt.inventory.Inventory;
import dev.jbolt.inventory.InventoryParser;
import dev.jbolt.inventory.NodeSet;
import dev.jbolt.project.ModuleSpec;
import dev.jbolt.project.Project;
import dev.jbolt.task.TaskMetadata;
import dev.jbolt.task.TypeParser;
import dev.jbolt.testing.Cli;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed input, thousands of times over: every parser of user input either accepts it or fails
 * with a one-line JboltException (exit code 2 at the CLI), never another exception, a stack trace
 * or a hang. Inputs are valid ones mutated at random, with a fixed seed.
 */
class ParserFuzzTest {
  private static final PrintStream QUIET = new PrintStream(PrintStream.nullOutputStream());
  private final Random random = new Random(20261123);
  @TempDir Path tmp;

  static final String INVENTORY =
      """
      config:
        ssh: {user: root, port: 22, host-key-check: false}
      vars: {env: prod}
      targets:
        - localhost
        - {name: db1, uri: 'ssh://admin@10.0.0.5:2222', alias: [primary]}
      groups:
        - name: web
          targets: ['web[01-04]', web10]
          features: [nginx]
          groups:
            - name: canary
              targets: [web01]
      """;
  static final String METADATA =
      """
      {"description": "x", "input_method": "stdin", "supports_noop": true, "files": ["m/files/a"],
       "parameters": {"a": {"type": "Optional[Integer[0, 5]]", "default": 1}, "b": {"type": "Enum[x, y]", "sensitive": true}},
       "implementations": [{"name": "t.sh", "requirements": ["shell"], "input_method": "environment"}]}
      """;
  static final String PROJECT =
      "name: proj\nconcurrency: 10\nmodules:\n  - git: file:///x.git\n    ref: main\n";
  static final String[] TYPES = {
    "Optional[Integer[-5, 5]]",
    "Struct[{a => String, Optional[b] => Array[Integer, 1, 3]}]",
    "Variant[Enum['a', b], Pattern[/\\A\\d+\\z/]]",
    "Hash[String, Tuple[String, Integer]]",
    "NotUndef[Data]"
  };
  static final String[] SPECS = {
    "web,!web02", "web[01-03],db*", "@canary,primary", "ssh://u@h:22,local://x", "all,!web*"
  };
  private static final String NOISE =
      "[]{}(),:;!@*?-=>'\"\\/#&|%$ \n\t0123456789azAZ_.\u0000\u00e9\u2713";

  /** A copy of {@code s} with a few random deletions, insertions, replacements or repeats. */
  private String mutate(String s) {
    StringBuilder sb = new StringBuilder(s);
    int edits = 1 + random.nextInt(6);
    for (int i = 0; i < edits; i++) {
      int at = sb.isEmpty() ? 0 : random.nextInt(sb.length());
      switch (random.nextInt(4)) {
        case 0 -> {
          if (!sb.isEmpty()) {
            sb.deleteCharAt(at);
          }
        }
        case 1 -> sb.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
        case 2 -> {
          if (!sb.isEmpty()) {
            sb.setCharAt(at, NOISE.charAt(random.nextInt(NOISE.length())));
          }
        }
        default -> {
          int end = Math.min(sb.length(), at + random.nextInt(20));
          sb.insert(at, sb.substring(at, end));
        }
      }
    }
    return sb.toString();
  }

  /** Runs {@code parse}: any outcome but a one-line JboltException is a bug. */
  private static void survive(String what, String input, Runnable parse) {
    try {
      parse.run();
    } catch (JboltException e) {
      assertFalse(
          e.getMessage() == null || e.getMessage().isBlank(),
          what + ": empty message for " + input);
      assertFalse(e.getMessage().contains("\n"), what + ": not one line: " + e.getMessage());
    } catch (RuntimeException | StackOverflowError e) {
      throw new AssertionError(what + " crashed on input:\n" + input, e);
    }
  }

  @Test
  void inventoryParserNeverCrashes() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 3000; i++) {
            String input = mutate(INVENTORY);
            survive(
                "inventory",
                input,
                () -> InventoryParser.parse(input, "inventory.yaml", QUIET).resolve("all"));
          }
        });
  }

  @Test
  void targetSpecsAndRangesNeverCrash() {
    Inventory inv = InventoryParser.parse(INVENTORY, "inventory.yaml", QUIET);
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 5000; i++) {
            String spec = mutate(SPECS[i % SPECS.length]);
            survive("target spec", spec, () -> inv.resolve(spec));
            survive("node set", spec, () -> NodeSet.expand(spec));
          }
        });
  }

  @Test
  void typeParserNeverCrashes() {
    assertTimeoutPreemptively(
        Duration.ofSeconds(60),
        () -> {
          for (int i = 0; i < 5000; i++) {
            String type = mutate(TYPES[i % TYPES.length]);
            survive("type", type, () -> TypeParser.parse(type).accepts(Map.of("a", "x")));
          }
        });
  }

  @Test
  void taskMetadataAndProjectFilesNeverCrash() throws Exception {
    Path meta = tmp.resolve("t.json");
    Path proj = Files.createDirectories(tmp.resolve("p"));
    assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> {
          for (int i = 0; i < 2000; i++) {
            String m = mutate(METADATA);
            Files.writeString(meta, m);
            survive("task metadata", m, () -> TaskMetadata.read(meta, "t.json"));
            String p = mutate(PROJECT);
            Files.writeString(proj.resolve("jbolt-project.yaml"), p);
            survive(
                "project file", p, () -> ModuleSpec.of(Project.discover(proj, null, null, QUIET)));
          }
        });
  }

  @Test
  void theCliAnswersBadInventoriesWithExitTwoAndNoStackTrace() throws Exception {
    assertTimeoutPreemptively(
        Duration.ofSeconds(120),
        () -> {
          int bad = 0;
          for (int i = 0; i < 300; i++) {
            String input = mutate(INVENTORY);
            Files.writeString(tmp.resolve("inventory.yaml"), input);
            Cli.Outcome o = Cli.run(tmp, "inventory", "show", "-t", "all");
            if (o.code() != 0) {
              bad++;
              assertEquals(2, o.code(), () -> input + "\n" + o);
              assertFalse(
                  o.err().contains("\tat ") || o.err().contains("internal error"),
                  () -> input + "\n" + o);
            }
          }
          assertFalse(bad == 0, "the mutations produced some bad inventories");
        });
  }
}
