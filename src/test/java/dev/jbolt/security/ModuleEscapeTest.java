package dev.jbolt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.testing.Cli;
import dev.jbolt.testing.LabSshd;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A task or plan ships only files of its own modules and project: a symbolic link or a '..' that
 * leads out (to the controller's /etc/shadow, say) is refused before anything runs (exit 2), and a
 * plan's downloads stay under PROJECT/downloads. Against a real sshd.
 */
class ModuleEscapeTest {
  @LabSshd static Sshd sshd;
  @TempDir Path tmp;
  Path lab;
  Path secret;

  @BeforeEach
  void lab() throws Exception {
    sshd.knownHosts();
    lab = Files.createDirectories(tmp.resolve("lab"));
    Files.writeString(lab.resolve("jbolt-project.yaml"), "name: x\n");
    Projects.withInventory(lab, Projects.sshConfig(sshd) + "targets: [127.0.0.1]\n");
    secret = tmp.resolve("shadow");
    Files.writeString(secret, "TOPSECRET\n");
    Files.createDirectories(lab.resolve("modules/bad/tasks"));
    Files.createDirectories(lab.resolve("modules/bad/files"));
    Files.createDirectories(lab.resolve("modules/bad/lib/dir"));
    Files.createDirectories(lab.resolve("modules/helper/files"));
    Files.writeString(lab.resolve("modules/helper/files/lib.sh"), "helper() { echo helped; }\n");
    Files.createSymbolicLink(lab.resolve("modules/bad/files/sym"), secret);
    Files.createSymbolicLink(lab.resolve("modules/bad/lib/dir/sym"), secret);
    Files.writeString(lab.resolve("modules/bad/lib/dir/ok.txt"), "ok");
    Files.createDirectories(lab.resolve("plans"));
  }

  private void task(String name, String files) throws Exception {
    Files.writeString(
        lab.resolve("modules/bad/tasks/" + name + ".sh"),
        "#!/bin/sh\ncat \"$PT__installdir\"/bad/files/* \"$PT__installdir\"/bad/lib/dir/* 2>/dev/null; echo done\n");
    Files.writeString(
        lab.resolve("modules/bad/tasks/" + name + ".json"), "{\"files\": [" + files + "]}");
  }

  @Test
  void taskFilesThatLeaveTheirModuleAreRefusedBeforeAnythingRuns() throws Exception {
    task("leak", "\"bad/files/sym\"");
    task("leakdir", "\"bad/lib/dir/\"");
    task("dotdot", "\"bad/files/../../../../shadow\"");
    task("nomodule", "\"nothere/files/x.sh\"");
    long logins = sshd.acceptedLogins();
    for (String t : List.of("bad::leak", "bad::leakdir", "bad::dotdot", "bad::nomodule")) {
      Cli.Outcome o = Cli.run(lab, "task", "run", t, "-t", "127.0.0.1");
      assertEquals(2, o.code(), t + ": " + o);
      assertFalse(o.out().contains("TOPSECRET") || o.err().contains("TOPSECRET"), o::toString);
      assertEquals(1, o.err().lines().count(), o::toString);
    }
    assertTrue(
        Cli.run(lab, "task", "run", "bad::leak", "-t", "127.0.0.1")
            .err()
            .contains("leaves its module"));
    assertTrue(
        Cli.run(lab, "task", "run", "bad::nomodule", "-t", "127.0.0.1")
            .err()
            .contains("module 'nothere', which is not on the modulepath"));
    assertEquals(logins, sshd.acceptedLogins(), "nothing ran: no target was even connected to");
  }

  @Test
  void aTaskExecutableThatIsALinkOutIsRefused() throws Exception {
    Path outside = tmp.resolve("outside.sh");
    Files.writeString(outside, "#!/bin/sh\ncat " + secret + "\n");
    Files.createSymbolicLink(lab.resolve("modules/bad/tasks/exe.sh"), outside);
    Cli.Outcome o = Cli.run(lab, "task", "run", "bad::exe", "-t", "127.0.0.1");
    assertEquals(2, o.code(), o::toString);
    assertTrue(o.err().contains("leaves its module"), o::toString);
  }

  @Test
  void filesFromAnotherModuleAndLinksInsideTheModuleWork() throws Exception {
    Files.createSymbolicLink(
        lab.resolve("modules/bad/files/inside"), lab.resolve("modules/bad/lib/dir/ok.txt"));
    Files.writeString(
        lab.resolve("modules/bad/tasks/good.sh"),
        "#!/bin/sh\n. \"$PT__installdir/helper/files/lib.sh\"; helper; cat \"$PT__installdir/bad/files/inside\"\n");
    Files.writeString(
        lab.resolve("modules/bad/tasks/good.json"),
        "{\"files\": [\"helper/files/lib.sh\", \"bad/files/inside\"]}");
    Cli.Outcome o = Cli.run(lab, "task", "run", "bad::good", "-t", "127.0.0.1", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("helped\nok", o.json().at("/items/0/value/_output").asText());
  }

  @Test
  void planFilesStayInTheProjectAndDownloadsUnderDownloads() throws Exception {
    Files.createSymbolicLink(lab.resolve("link-out"), secret);
    Files.createSymbolicLink(lab.resolve("modules/bad/files/run.sh"), secret);
    Path remote = Projects.sharedDir(tmp, "remote");
    Files.writeString(remote.resolve("f"), "remote\n");
    String[][] cases = {
      {"upload_file('link-out', '" + remote + "/x', '127.0.0.1')", "leaves the project"},
      {"run_script('bad/run.sh', '127.0.0.1')", "leaves module bad's files/"},
      {"download_file('" + remote + "/f', '../escape', '127.0.0.1')", "must stay inside"},
      {
        "download_file('" + remote + "/f', '" + tmp.resolve("abs") + "', '127.0.0.1')",
        "must be a path relative to"
      },
    };
    for (String[] c : cases) {
      Files.writeString(
          lab.resolve("plans/p.js"), "export default function () { return " + c[0] + "; }\n");
      Cli.Outcome o = Cli.run(lab, "plan", "run", "p");
      assertEquals(1, o.code(), c[0] + ": " + o);
      assertTrue(o.err().contains(c[1]), c[0] + ": " + o);
    }
    assertFalse(Files.exists(remote.resolve("x")));
    assertFalse(Files.exists(lab.resolve("escape")));
    assertFalse(Files.exists(tmp.resolve("abs")));
    Files.writeString(
        lab.resolve("plans/p.js"),
        "export default function () { return download_file('"
            + remote
            + "/f', 'here/now', '127.0.0.1').first().value.path; }\n");
    Cli.Outcome o = Cli.run(lab, "plan", "run", "p", "--format", "json");
    assertEquals(0, o.code(), o::toString);
    assertEquals("remote\n", Files.readString(lab.resolve("downloads/here/now/127.0.0.1/f")));
  }
}
