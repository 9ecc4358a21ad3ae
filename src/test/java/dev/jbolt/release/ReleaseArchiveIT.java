package dev.jbolt.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.DocsTest;
import dev.jbolt.testing.Cmd;
import dev.jbolt.testing.TestUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive that {@code mvn package} makes, as a user gets it: unpacked into a prefix
 * nobody may write to, run by another user (the test user, not root) from a project of theirs, with
 * nothing but a JDK: a command, a plan (GraalVM from lib/), the warm process and its end. Runs
 * after {@code package} (failsafe).
 */
class ReleaseArchiveIT {
  @TempDir Path dir;

  @Test
  void unpackedReadOnlyTheArchiveRunsForAnotherUser() throws Exception {
    Assumptions.assumeTrue(TestUser.isRoot(), "running as another user needs root");
    String user = TestUser.get().name();
    Path archive;
    try (Stream<Path> s = Files.list(Path.of("target"))) {
      archive =
          s.filter(p -> p.getFileName().toString().matches("jbolt-.*\\.tar\\.gz"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no target/jbolt-*.tar.gz: run mvn package"));
    }
    // README.md's install lines, with this archive and a prefix of the test's
    List<String> readme =
        DocsTest.marked(Files.readString(Path.of("README.md")), "install").get(0).lines().toList();
    Path prefix = Files.createDirectories(dir.resolve("opt"));
    Cmd.run("chmod", "755", dir.toString());
    assertTrue(
        readme.get(0).startsWith("tar xzf " + archive.getFileName() + " -C /opt"), readme.get(0));
    Cmd.run("sh", "-c", subst(readme.get(0), archive, prefix));
    Path home;
    try (Stream<Path> s = Files.list(prefix)) {
      home = s.findFirst().orElseThrow();
    }
    for (String f :
        List.of(
            "bin/jbolt",
            "bin/milkcheck",
            "lib/jbolt.jar", // picocli's classes are inside it, compiled from its source
            "share/man/man1/jbolt.1",
            "share/man/man1/jbolt-command-run.1",
            "share/bash-completion/completions/jbolt",
            "share/zsh/site-functions/_jbolt",
            "share/doc/jbolt/README.md",
            "share/doc/jbolt/docs/tasks.md")) {
      assertTrue(Files.exists(home.resolve(f)), "the archive has " + f);
    }
    assertTrue(
        Files.readString(home.resolve("share/man/man1/jbolt-command-run.1")).startsWith(".TH"));
    // BouncyCastle unsigned (the pom says why): no signature file, so the start-up cache holds it
    try (Stream<Path> libs = Files.list(home.resolve("lib"))) {
      List<Path> bc = libs.filter(p -> p.getFileName().toString().startsWith("bc")).toList();
      assertEquals(3, bc.size(), bc::toString);
      for (Path jar : bc) {
        try (ZipFile z = new ZipFile(jar.toFile())) {
          assertTrue(
              z.stream().noneMatch(e -> e.getName().matches("META-INF/.*\\.(SF|RSA|DSA|EC)")),
              jar + " is still signed");
        }
      }
    }
    Cmd.run("chmod", "-R", "a-w", prefix.toString());

    // the user's own home and project
    Path userHome = Files.createDirectories(dir.resolve("home"));
    Path plans = Files.createDirectories(userHome.resolve("project/plans"));
    Files.writeString(userHome.resolve("project/inventory.yaml"), "targets: [localhost]\n");
    Files.writeString(
        plans.resolve("who.js"),
        "export default function () {\n"
            + "  return run_command('id -un', 'localhost').first().value.stdout.trim();\n"
            + "}\n");
    Cmd.run("chown", "-R", user, userHome.toString());
    Path project = userHome.resolve("project");
    String jbolt = home.resolve("bin/jbolt").toString();
    try {
      String lines = subst(String.join("\n", readme.subList(1, readme.size())), archive, prefix);
      if (!Files.isExecutable(Path.of("/usr/bin/man"))) {
        lines = lines.replaceAll("(?m)^man .*$", ": no man here");
      }
      Run readmeRun = runAs(user, userHome, project, "bash", "-euc", lines);
      assertEquals(0, readmeRun.code, readmeRun.out);
      assertTrue(readmeRun.out.contains("\n" + user + "\n"), readmeRun.out);
      Run cmd = runAs(user, userHome, project, jbolt, "command", "run", "id -un", "-t", "all");
      assertEquals(0, cmd.code, cmd.out);
      assertTrue(cmd.out.contains("\n" + user + "\n"), cmd.out);
      // bin/milkcheck: MilkCheck's command line and exit codes (6: a service failed)
      Path mcConf = Files.createDirectories(userHome.resolve("mc"));
      Files.writeString(
          mcConf.resolve("s.yaml"),
          "services:\n  ok:\n    target: localhost\n    actions:\n      start: {cmd: 'true'}\n"
              + "  bad:\n    actions:\n      start: {cmd: 'false'}\n");
      Cmd.run("chown", "-R", user, mcConf.toString());
      String milkcheck = home.resolve("bin/milkcheck").toString();
      Run mcOk = runAs(user, userHome, project, milkcheck, "-c", mcConf.toString(), "ok", "start");
      assertEquals(0, mcOk.code, mcOk.out);
      assertTrue(mcOk.out.matches("(?s)ok +\\[    OK   \\]\n"), mcOk.out);
      Run mcBad = runAs(user, userHome, project, milkcheck, "-c", mcConf.toString(), "start");
      assertEquals(6, mcBad.code, mcBad.out);
      assertEquals(
          9, runAs(user, userHome, project, milkcheck, "-c", "/nonexistent", "start").code);
      Run plan = runAs(user, userHome, project, jbolt, "plan", "run", "who", "--format", "json");
      assertEquals(0, plan.code, plan.out);
      assertTrue(plan.out.contains("\"" + user + "\""), plan.out);
      // the warm process (which serves plans) made the plans' start-up cache, and only it
      assertEquals(List.of("plans"), caches(userHome));
      // an install builds nothing: a Java without javac (a JRE) is enough
      Path jre = Files.createDirectories(userHome.resolve("jre/bin"));
      Path javaHome = Path.of(System.getProperty("java.home"));
      Files.copy(javaHome.resolve("release"), jre.resolveSibling("release"));
      Files.writeString(
          jre.resolve("java"),
          "#!/bin/sh\necho used >> '"
              + userHome.resolve("jre-used")
              + "'\nexec '"
              + javaHome.resolve("bin/java")
              + "' \"$@\"\n");
      Cmd.run("chmod", "-R", "a+rX,u+w", userHome.resolve("jre").toString());
      Cmd.run("chmod", "755", jre.resolve("java").toString());
      Cmd.run("chown", "-R", user, userHome.toString());
      Run onJre =
          runAs(
              user,
              userHome,
              project,
              "env",
              "JAVA_HOME=" + jre.getParent(),
              jbolt,
              "--no-persist",
              "command",
              "run",
              "true",
              "-t",
              "all");
      assertEquals(0, onJre.code, onJre.out);
      assertTrue(Files.exists(userHome.resolve("jre-used")), "the JRE of JAVA_HOME ran it");
      // a cold command made the commands' cache (another JAVA_HOME: a cache of its own)
      assertEquals(List.of("commands", "plans"), caches(userHome));
      Run status = runAs(user, userHome, project, jbolt, "persist", "status");
      assertTrue(status.out.contains(project.toString()), "a warm process: " + status.out);
    } finally {
      Run stop = runAs(user, userHome, project, jbolt, "persist", "stop");
      assertEquals(0, stop.code, stop.out);
      Cmd.run("chmod", "-R", "u+w", prefix.toString());
    }
    String left = Cmd.run("sh", "-c", "ps -u " + user + " -o args= | grep 'cli.Warm' || true");
    assertFalse(left.contains(prefix.toString()), "no warm process left: " + left);
  }

  private record Run(int code, String out) {}

  private static String subst(String line, Path archive, Path prefix) {
    return line.replace("/opt", prefix.toString())
        .replace(archive.getFileName().toString(), archive.toAbsolutePath().toString());
  }

  /** {@code jbolt ARGS} as {@code user}, in {@code cwd}, with a bare environment. */
  private static Run runAs(String user, Path home, Path cwd, String... argv)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "setpriv",
                "--reuid=" + user,
                "--regid=" + user,
                "--init-groups",
                "env",
                "-i",
                "PATH=/usr/bin:/bin",
                "HOME=" + home,
                "LANG=C.UTF-8"));
    cmd.addAll(List.of(argv));
    Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), String.join(" ", argv) + " did not end");
    return new Run(p.exitValue(), out);
  }

  /** The kinds of start-up cache in the user's cache directory, sorted. */
  private static List<String> caches(Path home) throws IOException {
    try (Stream<Path> s = Files.list(home.resolve(".cache/jbolt"))) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("aot-"))
          .map(n -> n.endsWith("-plan.aot") ? "plans" : "commands")
          .sorted()
          .toList();
    }
  }
}
