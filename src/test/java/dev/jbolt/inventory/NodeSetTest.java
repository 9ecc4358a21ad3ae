package dev.jbolt.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.JboltException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
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
    for (String part : dev.jbolt.inventory.TargetSpec.words(folded)) {
      back.addAll(NodeSet.expand(part));
    }
    assertEquals(names.stream().sorted().toList(), back.stream().sorted().toList());
    assertEquals("ilo[01-06,08-13,15-20,22-27,29-34,36-40],db[1-3].dc2,gateway", folded);
  }
}
