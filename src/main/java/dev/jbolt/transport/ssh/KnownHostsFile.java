package dev.jbolt.transport.ssh;

import dev.jbolt.transport.ssh.KnownHostLine.HostPort;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.sshd.client.config.hosts.KnownHostEntry;

/**
 * One known_hosts file as read ({@link HostKeys}): its lines, with the lines that name hosts
 * plainly indexed by name, so that a run of many targets against a file of many hosts does not
 * match every line against every target (100 targets and 2,500 lines would be 750,000 pattern
 * matches). Lines with hashed names, wildcards or negations are matched one by one, as OpenSSH
 * does. Lines whose key jbolt cannot read are skipped, as ssh skips them.
 */
final class KnownHostsFile {
  private final long modified;
  private final long size;
  private final List<KnownHostLine> lines = new ArrayList<>();
  private final Map<String, List<Integer>> byName = new HashMap<>();
  private final List<Integer> scanned = new ArrayList<>();

  private KnownHostsFile(long modified, long size) {
    this.modified = modified;
    this.size = size;
  }

  static KnownHostsFile read(Path file, BasicFileAttributes at) throws IOException {
    KnownHostsFile f = new KnownHostsFile(at.lastModifiedTime().toMillis(), at.size());
    for (KnownHostEntry e : KnownHostEntry.readKnownHostEntries(file)) {
      if (e.getKeyEntry() != null) {
        f.add(new KnownHostLine(e, e.getMarker(), hostsField(e.getConfigLine())));
      }
    }
    return f;
  }

  /** Whether the file still looks as it did when read. */
  boolean current(BasicFileAttributes at) {
    return modified == at.lastModifiedTime().toMillis() && size == at.size();
  }

  private void add(KnownHostLine line) {
    int i = lines.size();
    lines.add(line);
    List<String> plain = line.plainNames();
    if (plain == null) {
      scanned.add(i);
    } else {
      plain.forEach(n -> byName.computeIfAbsent(n, k -> new ArrayList<>()).add(i));
    }
  }

  /** Every line, in the file's order. */
  List<KnownHostLine> lines() {
    return List.copyOf(lines);
  }

  /** The lines that match one of the names, in the file's order. */
  List<KnownHostLine> matching(List<HostPort> names) {
    TreeSet<Integer> found = new TreeSet<>();
    for (HostPort n : names) {
      String key = (n.port() == 22 ? n.host() : "[" + n.host() + "]:" + n.port());
      found.addAll(byName.getOrDefault(key.toLowerCase(Locale.ROOT), List.of()));
    }
    for (int i : scanned) {
      if (lines.get(i).matches(names)) {
        found.add(i);
      }
    }
    List<KnownHostLine> out = new ArrayList<>(found.size());
    found.forEach(i -> out.add(lines.get(i)));
    return out;
  }

  /** The host patterns of a line: its first field after the marker. */
  private static String hostsField(String line) {
    String[] words = line.strip().split("\\s+");
    return words[words[0].startsWith("@") ? 1 : 0];
  }
}
