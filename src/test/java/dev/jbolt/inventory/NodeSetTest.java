package dev.jbolt.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.JboltException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeSetTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "web1|web1",
        "web[1-3]|web1 web2 web3",
        "web[01-03]|web01 web02 web03",
        "web[08-11]|web08 web09 web10 web11",
        "web[1,3,5]|web1 web3 web5",
        "web[1-3,7]|web1 web2 web3 web7",
        "n[1-9/4]|n1 n5 n9",
        "10.0.0.[1-3,9]|10.0.0.1 10.0.0.2 10.0.0.3 10.0.0.9",
        "r[1-2]n[1-2]|r1n1 r1n2 r2n1 r2n2",
        "web[1-2].example.com|web1.example.com web2.example.com",
        "[1-2]x|1x 2x",
        "a[007-009]|a007 a008 a009",
      })
  void expandsRanges(String pattern, String expected) {
    assertEquals(List.of(expected.split(" ")), NodeSet.expand(pattern));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "web[1-",
        "web1]",
        "web[]",
        "web[a-b]",
        "web[3-1]",
        "web[1-2-3]",
        "web[1-9999999]",
        "web[1-1000][1-1000][1-10]",
      })
  void rejectsBadRanges(String pattern) {
    JboltException e = assertThrows(JboltException.class, () -> NodeSet.expand(pattern));
    assertTrue(e.getMessage().contains(pattern), e.getMessage());
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "web1|web1",
        "web1 web2 web3|web[1-3]",
        "web01 web02 web03 web05|web[01-03,05]",
        "web1 web2 db1|web[1-2],db1",
        "web9 web10 web11|web[9-11]",
        "web09 web10|web[09-10]",
        "web1 web01|web1,web01",
        "r1n1 r1n2 r2n1 r2n2|r[1-2]n[1-2]",
        "10.0.0.1 10.0.0.2 10.0.0.3|10.0.0.[1-3]",
        "alpha beta|alpha,beta",
        "web1.example.com web2.example.com|web[1-2].example.com",
        "a1b a2b a3c|a[1-2]b,a3c",
      })
  void foldsNames(String names, String expected) {
    assertEquals(expected, NodeSet.fold(List.of(names.split(" "))));
  }

  @Test
  void foldThenExpandGivesTheSameNames() {
    List<String> names = new ArrayList<>();
    IntStream.rangeClosed(1, 40)
        .filter(i -> i % 7 != 0)
        .forEach(i -> names.add(String.format("ilo%02d", i)));
    IntStream.rangeClosed(1, 3).forEach(i -> names.add("db" + i + ".dc2"));
    names.add("gateway");
    String folded = NodeSet.fold(names);
    List<String> back = new ArrayList<>();
    for (String part : TargetSpec.words(folded)) {
      back.addAll(NodeSet.expand(part));
    }
    assertEquals(names.stream().sorted().toList(), back.stream().sorted().toList());
    assertEquals("ilo[01-06,08-13,15-20,22-27,29-34,36-40],db[1-3].dc2,gateway", folded);
  }

  /**
   * Folding ends for any names (issue 25.9: {@code db[1} looped until OutOfMemoryError), and names
   * it cannot fold are kept as written. Seeded, so a failure is the same every run.
   */
  @Test
  void foldingTerminatesForAnyNames() {
    String alphabet = "[]-,0123456789ab.";
    Random r = new Random(25_09);
    assertEquals("db[1,db[2", NodeSet.fold(List.of("db[1", "db[2")));
    assertEquals("a]1,x[y]2", NodeSet.fold(List.of("a]1", "x[y]2")));
    assertEquals("web[1-2],db[1", NodeSet.fold(List.of("web1", "web2", "db[1")));
    Assertions.assertTimeoutPreemptively(
        Duration.ofSeconds(20),
        () -> {
          for (int round = 0; round < 3000; round++) {
            List<String> names = new ArrayList<>();
            for (int n = r.nextInt(8) + 1; n > 0; n--) {
              StringBuilder b = new StringBuilder();
              for (int len = r.nextInt(8) + 1; len > 0; len--) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
              }
              names.add(b.toString());
            }
            String folded = NodeSet.fold(names);
            for (String name : names) {
              if (name.indexOf('[') >= 0 || name.indexOf(']') >= 0) {
                // a bracket that is no range group: kept as written
                if (!name.matches(".*\\[[0-9,-]*\\].*")) {
                  assertTrue(folded.contains(name), () -> name + " lost from " + folded);
                }
              }
            }
            // Plain names (letters, digits, dots) come back exactly when the fold is expanded.
            List<String> plain =
                names.stream()
                    .map(x -> x.replaceAll("[^0-9ab.]", ""))
                    .filter(x -> !x.isEmpty())
                    .distinct()
                    .toList();
            List<String> back = new ArrayList<>();
            for (String part : TargetSpec.words(NodeSet.fold(plain))) {
              back.addAll(NodeSet.expand(part));
            }
            assertEquals(plain.stream().sorted().toList(), back.stream().sorted().toList());
          }
        });
  }
}
