package dev.jbolt.project;

import dev.jbolt.JboltException;
import dev.jbolt.result.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code jbolt-project.lock}: for each installed module, the git URL, the ref asked for, and the
 * commit it resolved to. Committed by users, so that every install reproduces the same commits.
 */
public record LockFile(List<Entry> modules) {
  public static final String NAME = "jbolt-project.lock";

  public record Entry(String name, String git, String ref, String commit) {}

  public static LockFile read(Path projectDir) {
    Path f = projectDir.resolve(NAME);
    if (!Files.exists(f)) {
      return null;
    }
    try {
      Object o = Json.mapper().readValue(Files.readString(f), Object.class);
      List<Entry> out = new ArrayList<>();
      if (!(o instanceof Map<?, ?> m) || !(m.get("modules") instanceof List<?> list)) {
        throw new JboltException(
            NAME
                + " is corrupt: expected {\"modules\": [...]}; delete it and run 'jbolt module install --update'");
      }
      for (Object e : list) {
        if (!(e instanceof Map<?, ?> em)
            || !(em.get("name") instanceof String n)
            || !(em.get("git") instanceof String g)
            || !(em.get("ref") instanceof String r)
            || !(em.get("commit") instanceof String c)
            || !c.matches("[0-9a-f]{40}")) {
          throw new JboltException(
              NAME
                  + " is corrupt: bad entry "
                  + e
                  + "; delete it and run 'jbolt module install --update'");
        }
        out.add(new Entry(n, g, r, c));
      }
      return new LockFile(out);
    } catch (IOException e) {
      throw new JboltException(
          NAME
              + " is corrupt ("
              + e.getMessage().lines().findFirst().orElse("")
              + "); delete it and run 'jbolt module install --update'");
    }
  }

  public Entry find(ModuleSpec spec) {
    return modules.stream()
        .filter(
            e ->
                e.name().equals(spec.name())
                    && e.git().equals(spec.git())
                    && e.ref().equals(spec.ref()))
        .findFirst()
        .orElse(null);
  }

  void write(Path projectDir) throws IOException {
    List<Map<String, Object>> items = new ArrayList<>();
    for (Entry e : modules) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", e.name());
      m.put("git", e.git());
      m.put("ref", e.ref());
      m.put("commit", e.commit());
      items.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("version", 1);
    root.put("modules", items);
    Files.writeString(projectDir.resolve(NAME), Json.pretty(root) + "\n");
  }
}
