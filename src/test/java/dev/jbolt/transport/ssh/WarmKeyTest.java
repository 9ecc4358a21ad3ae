package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What chooses a kept session (WarmSessions.key): the bytes of its files count, read once per run;
 * a later run reads them again, so a changed known_hosts or key never reuses a session.
 */
class WarmKeyTest {
  @TempDir Path tmp;
  private final byte[] salt = {1, 2, 3};

  private String key(Path file, Map<Path, byte[]> run) {
    return WarmSessions.key(salt, List.of("host", "22", "user"), List.of(file), "", run);
  }

  @Test
  void aFileIsReadOncePerRunAndAgainByTheNext() throws Exception {
    Path known = tmp.resolve("known_hosts");
    Files.writeString(known, "host ssh-ed25519 AAAA1\n");
    FileTime when = Files.getLastModifiedTime(known);
    Map<Path, byte[]> first = new HashMap<>();
    String before = key(known, first);
    assertEquals(before, key(known, new HashMap<>()), "same bytes, same key");

    // the same size and the same time: only the bytes tell
    Files.writeString(known, "host ssh-ed25519 AAAA2\n");
    Files.setLastModifiedTime(known, when);
    assertEquals(before, key(known, first), "within one run: the bytes it read first");
    assertNotEquals(before, key(known, new HashMap<>()), "the next run reads them again");

    Files.delete(known);
    String gone = key(known, new HashMap<>());
    assertNotEquals(before, gone);
    assertEquals(gone, key(known, new HashMap<>()), "a missing file is a value of its own");
  }

  /** A missing file is not any content: not even the one byte the digest once marked it with. */
  @Test
  void aMissingFileIsNoContentAtAll() throws Exception {
    Path f = tmp.resolve("id_ed25519");
    String missing = key(f, new HashMap<>());
    for (byte[] content : new byte[][] {{}, {1}, {0}, {1, 0}}) {
      Files.write(f, content);
      assertNotEquals(missing, key(f, new HashMap<>()), Arrays.toString(content));
    }
  }

  @Test
  void valuesAndTheSaltCount() {
    Path none = tmp.resolve("none");
    String a = WarmSessions.key(salt, List.of("a", "b"), List.of(none), "", new HashMap<>());
    assertNotEquals(
        a, WarmSessions.key(salt, List.of("ab", ""), List.of(none), "", new HashMap<>()));
    assertNotEquals(
        a, WarmSessions.key(new byte[] {9}, List.of("a", "b"), List.of(none), "", new HashMap<>()));
    assertNotEquals(
        a, WarmSessions.key(salt, List.of("a", "b"), List.of(none), "pw", new HashMap<>()));
  }
}
