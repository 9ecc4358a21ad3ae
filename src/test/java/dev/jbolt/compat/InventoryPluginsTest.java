package dev.jbolt.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bolt's reference plugins beyond env_var and prompt: {@code yaml} includes another file's values
 * or targets, {@code task} runs a task on this machine and uses its {@code value}, a module with a
 * {@code resolve_reference} task is a plugin of its own name (Bolt's custom plugins), and {@code
 * plugin show} lists them. A plugin that fails stops the run before it starts, naming itself and
 * its place.
 */
class InventoryPluginsTest {
  @TempDir Path tmp;

  private Path project() throws Exception {
    Path p = Files.createDirectories(tmp.resolve("proj"));
    Files.writeString(p.resolve("jbolt-project.yaml"), "name: proj\n");
    return p;
  }

  private static List<String> names(JsonNode shown) {
    List<String> out = new ArrayList<>();
    shown.get("targets").forEach(t -> out.add(t.isTextual() ? t.asText() : t.get("name").asText()));
    return out;
  }

  private static Path task(Path dir, String name, String script) throws Exception {
    Path f = dir.resolve(name + ".sh");
    Files.createDirectories(dir);
    Files.writeString(f, "#!/bin/sh\n" + script);
    f.toFile().setExecutable(true);
    return f;
  }

  @Test
  void yamlIncludesTargetsValuesAndWholeInventories() throws Exception {
    Path p = project();
    Files.createDirectories(p.resolve("inventory.d"));
    Files.writeString(
        p.resolve("inventory.d/web.yaml"), "- name: web1\n  vars: {role: web}\n- web2\n");
    Files.writeString(p.resolve("inventory.d/common.yaml"), "region: eu\ntier: 3\n");
    Files.writeString(
        p.resolve("inventory.yaml"),
        """
        groups:
          - name: web
            targets:
              - _plugin: yaml
                filepath: inventory.d/web.yaml
              - web3
        vars:
          _plugin: yaml
          filepath: inventory.d/common.yaml
        """);
    Cli.Outcome o = Cli.run(p, "inventory", "show", "-t", "web", "--detail", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals(List.of("web1", "web2", "web3"), names(o.json()));
    assertEquals("web", o.json().at("/targets/0/vars/role").asText());
    assertEquals("eu", o.json().at("/targets/1/vars/region").asText());
    assertEquals(3, o.json().at("/targets/2/vars/tier").asInt());

    // The whole inventory from another file, as Bolt allows.
    Files.writeString(p.resolve("inventory.d/all.yaml"), "targets: [a1, a2]\n");
    Files.writeString(
        p.resolve("inventory.yaml"), "_plugin: yaml\nfilepath: inventory.d/all.yaml\n");
    o = Cli.run(p, "inventory", "show", "-t", "all", "--format", "json");
    assertEquals(List.of("a1", "a2"), names(o.json()), o::toString);

    // A file that includes itself is refused, not followed forever.
    Files.writeString(p.resolve("inventory.yaml"), "_plugin: yaml\nfilepath: inventory.yaml\n");
    o = Cli.run(p, "inventory", "show", "-t", "all");
    assertEquals(2, o.code(), o::toString);
    assertTrue(o.err().contains("nested more than"), o.err());
  }

  @Test
  void taskAndModulePluginsRunHereAndTheirTargetsRunOverSshd() throws Exception {
    Path p = project();
    task(
        p.resolve("tasks"),
        "targets",
        "read params\n"
            + "printf '{\"value\": [\"%s\", {\"name\": \"db\", \"uri\": \"127.0.0.3\"}]}'"
            + " \"$PT_first\"\n");
    Files.writeString(
        p.resolve("tasks/targets.json"),
        "{\"input_method\": \"both\", \"parameters\": {\"first\": {\"type\": \"String\"}}}");
    // A custom plugin as Bolt writes one: a module whose resolve_reference task gets the
    // reference's keys, plus _boltdir and _config (plugins.vaultish in the project file).
    Path mod = p.resolve("modules/vaultish/tasks");
    task(
        mod,
        "resolve_reference",
        "printf '{\"value\": \"%s-%s-%s\"}' \"$PT_key\" \"$(basename \"$PT__boltdir\")\""
            + " \"$(echo \"$PT__config\" | tr -d '{}\" ')\"\n");
    Files.writeString(
        p.resolve("jbolt-project.yaml"), "name: proj\nplugins:\n  vaultish: {mount: kv}\n");
    try (Sshd sshd = Sshd.builder().anyAddress().start()) {
      Files.writeString(
          p.resolve("inventory.yaml"),
          Projects.sshConfig(sshd)
              + """
              targets:
                - _plugin: task
                  task: proj::targets
                  parameters: {first: 127.0.0.2}
              vars:
                ref: {_plugin: vaultish, key: db_pw}
              """);
      sshd.knownHosts("127.0.0.2", "127.0.0.3");
      Cli.Outcome shown =
          Cli.run(p, "inventory", "show", "-t", "all", "--detail", "--format", "json");
      assertEquals(0, shown.code(), shown::toString);
      assertEquals(List.of("127.0.0.2", "db"), names(shown.json()));
      assertEquals("db_pw-proj-mount:kv", shown.json().at("/targets/0/vars/ref").asText());

      Cli.Outcome o = Cli.run(p, "command", "run", "echo up", "-t", "all", "--format", "json");
      assertEquals(0, o.code(), o::toString);
      Set<String> up = new TreeSet<>();
      o.json().get("items").forEach(i -> up.add(i.get("target").asText()));
      assertEquals(Set.of("127.0.0.2", "db"), up);
    }

    Cli.Outcome show = Cli.run(p, "plugin", "show");
    assertEquals(0, show.code(), show::toString);
    for (String name : List.of("env_var", "prompt", "pkcs7", "yaml", "task", "vaultish")) {
      assertTrue(show.out().contains("  " + name + " "), show.out());
    }
    assertTrue(
        Cli.run(p, "plugin", "show", "--format", "json")
            .json()
            .at("/reference/vaultish")
            .isTextual());
  }

  @Test
  void aFailingPluginStopsTheRunNamingItselfAndItsPlace() throws Exception {
    Path p = project();
    task(p.resolve("tasks"), "broken", "echo 'no such vault' >&2; exit 3\n");
    task(p.resolve("tasks"), "novalue", "echo '{\"other\": 1}'\n");
    String[][] cases = {
      {"{_plugin: task, task: proj::broken}", "plugin task (at vars.pw): task proj::broken failed"},
      {"{_plugin: task, task: proj::novalue}", "gave no 'value'"},
      {"{_plugin: task, task: proj::absent}", "proj::absent"},
      {"{_plugin: yaml, filepath: nothere.yaml}", "nothere.yaml: file not found"},
      {"{_plugin: vault, path: kv}", "unknown plugin 'vault'"},
      {"{_plugin: env_var}", "plugin env_var (at vars.pw): needs 'var: NAME'"},
    };
    for (String[] c : cases) {
      Files.writeString(
          p.resolve("inventory.yaml"), "targets: [web1]\nvars:\n  pw: " + c[0] + "\n");
      Cli.Outcome o = Cli.run(p, "command", "run", "true", "-t", "web1");
      assertEquals(2, o.code(), o::toString);
      assertTrue(o.err().startsWith("jbolt: error: inventory.yaml:3: "), o.err());
      assertTrue(o.err().contains(c[1]), o.err());
      assertEquals(1, o.err().strip().lines().count(), o.err());
    }
  }
}
