package dev.jbolt.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.DocsTest;
import dev.jbolt.testing.Cli;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Task modules written the way the Forge's are, run over real SSH unchanged: implementations for
 * Windows beside the shell one, files from helper-library modules (written here by hand in the
 * shape of python_task_helper and bash_task_helper), their structured errors, and one staging per
 * run for many targets.
 */
class ForgeTasksTest {
  @LabSshd(anyAddress = true)
  static Sshd sshd;

  static final int MANY = 50;
  @TempDir Path tmp;

  static final String PY_HELPER =
      """
      import json
      import sys


      class TaskError(Exception):
          def __init__(self, msg, kind, details=None):
              super().__init__(msg)
              self.kind = kind
              self.details = details or {}


      class TaskHelper:
          def task(self, args):
              raise NotImplementedError

          @classmethod
          def run(cls):
              args = json.load(sys.stdin)
              try:
                  print(json.dumps(cls().task(args)))
              except TaskError as e:
                  print(json.dumps({"_error": {"kind": e.kind, "msg": str(e), "details": e.details}}))
                  sys.exit(1)
      """;

  static final String BASH_HELPER =
      """
      # Output helpers for tasks written in bash.
      declare -A _task_output
      task-output() { _task_output[$1]=$2; }
      _json() { local s=${1//\\\\/\\\\\\\\}; s=${s//\\"/\\\\\\"}; printf '"%s"' "$s"; }
      task-succeed() {
        local sep='' k
        printf '{'
        for k in "${!_task_output[@]}"; do printf '%s%s: %s' "$sep" "$(_json "$k")" "$(_json "${_task_output[$k]}")"; sep=', '; done
        printf '}\\n'
        exit 0
      }
      task-fail() {
        printf '{"_error": {"kind": %s, "msg": %s, "details": {"exitcode": 1}}}\\n' "$(_json "${2:-bash-error}")" "$(_json "$1")"
        exit 1
      }
      """;

  @BeforeEach
  void project() throws Exception {
    String[] hosts = new String[MANY];
    for (int i = 0; i < MANY; i++) {
      hosts[i] = "127.0.0." + (i + 2);
    }
    Projects.withInventory(
        tmp,
        Projects.sshConfig(sshd)
            + "groups:\n  - name: many\n    targets: ["
            + String.join(", ", hosts)
            + "]\n  - name: windowsish\n    features: [powershell]\n    targets: [127.0.0.60]\n");
    Files.writeString(tmp.resolve("jbolt-project.yaml"), "name: lab\n");
    String[] known = Arrays.copyOf(hosts, MANY + 1);
    known[MANY] = "127.0.0.60";
    sshd.knownHosts(known);

    write("modules/python_task_helper/files/task_helper.py", PY_HELPER);
    write("modules/bash_task_helper/files/task_helper.sh", BASH_HELPER);
    // The helper task of docs/tasks.md, as it is written there.
    List<String> doc = DocsTest.marked(Files.readString(Path.of("docs/tasks.md")), "helper-task");
    write("modules/mymod/tasks/check.py", doc.get(0));
    write("modules/mymod/tasks/check.json", doc.get(1));
    write(
        "modules/bashhelp/tasks/check.sh",
        """
        #!/bin/bash
        source "$PT__installdir/bash_task_helper/files/task_helper.sh"
        if [ "$PT_fail" = true ]; then task-fail "the disk is full" "bashhelp/disk-full"; fi
        task-output name "$PT_name"
        task-succeed
        """);
    write(
        "modules/bashhelp/tasks/check.json",
        """
        {"input_method": "environment",
         "files": ["bash_task_helper/files/task_helper.sh"],
         "parameters": {"name": {"type": "String"}, "fail": {"type": "Optional[Boolean]"}}}
        """);
    // Both helper libraries at once, as a task that lists files from two modules.
    write(
        "modules/bashhelp/tasks/both.sh",
        """
        #!/bin/bash
        source "$PT__installdir/bash_task_helper/files/task_helper.sh"
        task-output py "$(sha256sum < "$PT__installdir/python_task_helper/files/task_helper.py" | cut -d' ' -f1)"
        task-output sh "$(sha256sum < "$PT__installdir/bash_task_helper/files/task_helper.sh" | cut -d' ' -f1)"
        task-output lib "$(ls "$PT__installdir/bashhelp/lib/conf/")"
        task-succeed
        """);
    write("modules/bashhelp/lib/conf/a.conf", "a=1\n");
    write(
        "modules/bashhelp/tasks/both.json",
        """
        {"files": ["python_task_helper/files/task_helper.py", "bashhelp/lib/conf/"],
         "implementations": [
           {"name": "both.sh", "requirements": ["shell"], "files": ["bash_task_helper/files/task_helper.sh"]}]}
        """);
    // The shape of the Forge's most used task modules: a Windows implementation beside the shell
    // one, with input_method powershell, and an agent one no SSH target here has.
    write("modules/svc/tasks/init.rb", "#!/opt/puppetlabs/puppet/bin/ruby\nputs 'agent'\n");
    write(
        "modules/svc/tasks/windows.ps1", "param($action, $name)\nWrite-Output \"$action $name\"\n");
    write(
        "modules/svc/tasks/linux.sh",
        "#!/bin/sh\n. \"$PT__installdir/svc/files/common.sh\"\nsay \"$PT_action\" \"$PT_name\"\n");
    write("modules/svc/files/common.sh", "say() { echo \"{\\\"status\\\": \\\"$1 $2\\\"}\"; }\n");
    write(
        "modules/svc/tasks/init.json",
        """
        {"description": "Manage a service",
         "input_method": "powershell",
         "supports_noop": false,
         "remote": false,
         "puppet_task_version": 1,
         "identifiers": {"id": "svc"},
         "extensions": {"discovery": {"friendlyName": "Service"}},
         "parameters": {
           "action": {"type": "Enum[start, stop, restart, status]", "description": "What to do"},
           "name": {"type": "String[1]"}},
         "implementations": [
           {"name": "init.rb", "requirements": ["puppet-agent"]},
           {"name": "windows.ps1", "requirements": ["powershell"], "input_method": "powershell"},
           {"name": "linux.sh", "requirements": ["shell"], "input_method": "environment",
            "files": ["svc/files/common.sh"]}]}
        """);
  }

  private void write(String rel, String text) throws Exception {
    Path p = tmp.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text);
  }

  private Cli.Outcome task(String... args) {
    String[] full = new String[args.length + 4];
    full[0] = "task";
    full[1] = "run";
    System.arraycopy(args, 0, full, 2, args.length);
    full[full.length - 2] = "--format";
    full[full.length - 1] = "json";
    return Cli.run(tmp, full);
  }

  private static JsonNode value(Cli.Outcome o) {
    return o.json().at("/items/0/value");
  }

  @Test
  void aTaskWithAPowershellImplementationLoadsAndRunsItsShellOne() {
    Cli.Outcome o = task("svc", "action=status", "name=sshd", "-t", "127.0.0.2");
    assertEquals(0, o.code(), o::toString);
    assertEquals("status sshd", value(o).get("status").asText());
    assertFalse(o.err().contains("warning"), o::toString);
    Cli.Outcome show = Cli.run(tmp, "task", "show", "svc");
    assertEquals(0, show.code(), show::toString);
    assertTrue(
        show.out().contains("action: Enum['start', 'stop', 'restart', 'status']"), show::toString);
  }

  @Test
  void whenNoImplementationFitsTheErrorIsBoltsAndSaysWhatIsMissing() throws Exception {
    write(
        "modules/svc/tasks/init.json",
        """
        {"implementations": [
           {"name": "init.rb", "requirements": ["puppet-agent"]},
           {"name": "windows.ps1", "requirements": ["powershell", "dotnet"]}]}
        """);
    Cli.Outcome o = task("svc", "-t", "127.0.0.2");
    assertEquals(1, o.code(), o::toString);
    JsonNode err = value(o).get("_error");
    assertEquals("bolt/no-implementation", err.get("kind").asText());
    assertEquals(
        "No suitable implementation of svc for 127.0.0.2 (init.rb needs puppet-agent;"
            + " windows.ps1 needs powershell, dotnet; the target has the features shell)",
        err.get("msg").asText());
  }

  @Test
  void aPowershellInputOnAPosixTargetIsRefusedBeforeAnythingRuns() {
    long before = sshd.acceptedLogins();
    Cli.Outcome o = task("svc", "action=start", "name=x", "-t", "127.0.0.60");
    assertEquals(2, o.code(), o::toString);
    assertTrue(o.err().contains("input_method: powershell"), o::toString);
    assertEquals(before, sshd.acceptedLogins());
  }

  @Test
  void pythonTaskHelperFilesLandWhereTheTaskLooksAndItsErrorsComeBackUnchanged() {
    Cli.Outcome o = task("mymod::check", "name=web", "-t", "127.0.0.2");
    assertEquals(0, o.code(), o::toString);
    assertEquals("{\"name\":\"web\"}", value(o).toString());

    Cli.Outcome f = task("mymod::check", "name=web", "fail=true", "-t", "127.0.0.2");
    assertEquals(1, f.code(), f::toString);
    assertEquals(
        "{\"kind\":\"mymod/check-failed\",\"msg\":\"the check failed\",\"details\":{\"code\":7}}",
        value(f).get("_error").toString());
  }

  @Test
  void bashTaskHelperIsSourcedFromInstalldirAndItsFailuresComeBackUnchanged() {
    Cli.Outcome o = task("bashhelp::check", "name=db", "-t", "127.0.0.2");
    assertEquals(0, o.code(), o::toString);
    assertEquals("db", value(o).get("name").asText());
    Cli.Outcome f = task("bashhelp::check", "name=db", "fail=true", "-t", "127.0.0.2");
    assertEquals(1, f.code(), f::toString);
    assertEquals("bashhelp/disk-full", value(f).at("/_error/kind").asText());
    assertEquals("the disk is full", value(f).at("/_error/msg").asText());
  }

  @Test
  void fiftyTargetsShareOneStagingOfFilesFromTwoModules() throws Exception {
    Cli.Outcome o = task("bashhelp::both", "-t", "many");
    assertEquals(0, o.code(), o::toString);
    JsonNode items = o.json().get("items");
    assertEquals(MANY, items.size());
    Set<String> targets = new HashSet<>();
    String py = sha256(tmp.resolve("modules/python_task_helper/files/task_helper.py"));
    String sh = sha256(tmp.resolve("modules/bash_task_helper/files/task_helper.sh"));
    for (JsonNode item : items) {
      assertEquals("success", item.get("status").asText(), item::toString);
      assertEquals(py, item.at("/value/py").asText());
      assertEquals(sh, item.at("/value/sh").asText());
      assertEquals("a.conf", item.at("/value/lib").asText());
      targets.add(item.get("target").asText());
    }
    assertEquals(MANY, targets.size());
  }

  @Test
  void aMissingModuleOrFileIsFoundBeforeAnythingRuns() throws Exception {
    long before = sshd.acceptedLogins();
    write(
        "modules/mymod/tasks/check.json",
        "{\"input_method\": \"stdin\", \"files\": [\"ruby_task_helper/files/task_helper.rb\"]}");
    Cli.Outcome o = task("mymod::check", "-t", "many");
    assertEquals(2, o.code(), o::toString);
    assertTrue(o.err().contains("module 'ruby_task_helper'"), o::toString);
    assertTrue(o.err().contains(tmp.resolve("modules").toString()), o::toString);
    assertEquals(1, o.err().strip().lines().count(), o::toString);

    write(
        "modules/mymod/tasks/check.json",
        "{\"input_method\": \"stdin\", \"files\": [\"python_task_helper/files/nope.py\"]}");
    Cli.Outcome f = task("mymod::check", "-t", "many");
    assertEquals(2, f.code(), f::toString);
    assertTrue(f.err().contains("python_task_helper/files/nope.py"), f::toString);
    assertEquals(before, sshd.acceptedLogins());
  }

  @Test
  void keysThatAreNotBoltsAreWarnedAboutOnce() throws Exception {
    write(
        "modules/bashhelp/tasks/check.json",
        """
        {"input_method": "environment", "inptu_method": "stdin",
         "files": ["bash_task_helper/files/task_helper.sh"]}
        """);
    Cli.Outcome o = task("bashhelp::check", "name=x", "-t", "127.0.0.2,127.0.0.3");
    assertEquals(0, o.code(), o::toString);
    assertEquals(
        1,
        o.err().lines().filter(l -> l.contains("'inptu_method' is not one of Bolt's")).count(),
        o::toString);
  }

  private static String sha256(Path p) throws Exception {
    return HexFormat.of()
        .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }
}
