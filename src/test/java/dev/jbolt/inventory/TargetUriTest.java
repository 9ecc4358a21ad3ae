package dev.jbolt.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jbolt.JboltException;
import org.junit.jupiter.api.Test;

/** A plain name skips the pattern: it must parse as the pattern parses it. */
class TargetUriTest {
  @Test
  void plainNamesParseAsThePatternDoes() {
    String[] names = {
      "web1",
      ".",
      "..",
      "-rf",
      "a b",
      "a\nb",
      "it's",
      "\"q\"",
      "%41",
      "a;b",
      "db-01.example.com",
      "\u00e9t\u00e9",
      "x\u0000y",
      "127.0.0.2",
      "*"
    };
    for (String n : names) {
      assertEquals(TargetUri.parsePattern(n), TargetUri.parse(n), n);
      assertEquals(n, TargetUri.parse(n).host(), n);
    }
  }

  @Test
  void urisStillGoThroughThePattern() {
    assertEquals(new TargetUri("ssh", "u", "p w", "h", 22), TargetUri.parse("SSH://u:p%20w@h:22"));
    assertEquals(new TargetUri(null, null, null, "::1", 2222), TargetUri.parse("[::1]:2222"));
    assertEquals(new TargetUri(null, "root", null, "h", null), TargetUri.parse("root@h"));
    assertEquals(new TargetUri(null, null, null, "h", null), TargetUri.parse("h/"));
    assertThrows(JboltException.class, () -> TargetUri.parse(""));
    assertThrows(JboltException.class, () -> TargetUri.parse("h:70000"));
    assertThrows(JboltException.class, () -> TargetUri.parse("a]b"));
  }
}
