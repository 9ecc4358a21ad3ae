package dev.jbolt.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.result.Json;
import dev.jbolt.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Target names, file names and parameters made from a hostile alphabet ({@code .}, {@code ..},
 * {@code /}, leading {@code -}, quotes, newlines, NUL, shell syntax, long names): whatever jbolt
 * does with them, it writes nothing outside the directory it was given and executes nothing of
 * them. Seeded, so a failure names the case that reproduces it.
 */
class HostileFuzzTest {
  static final String[] ALPHABET = {
    ".",
    "..",
    "/",
    "-",
    "--",
    "'",
    "\"",
    "\n",
    "\r",
    "\t",
    "\0",
    "$(touch PWNED)",
    "`touch PWNED`",
    ";touch PWNED",
    "|",
    "&",
    "*",
    "?",
    "~",
    " ",
    "\\",
    "%2F",
    "%2E%2E",
    "é",
    "x".repeat(120),
    "a",
    "b",
    "[1-2]",
    "!",
    "@",
    ","
  };

  @TempDir Path tmp;
  Path lab;
  Path remote;

  @BeforeEach
  void lab() throws Exception {
    lab = Files.createDirectories(tmp.resolve("lab"));
    Files.writeString(lab.resolve("jbolt-project.yaml"), "name: lab\n");
    remote = Files.createDirectories(tmp.resolve("remote"));
  }

  static String word(Random r, int parts) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < parts; i++) {
      sb.append(ALPHABET[r.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  /** Every path under {@code tmp}, but the directories the run was given. */
  private Set<Path> outside(Path... allowed) throws Exception {
    Set<Path> out = new HashSet<>();
    try (Stream<Path> walk = Files.walk(tmp)) {
      walk.filter(p -> Stream.of(allowed).noneMatch(p::startsWith)).forEach(out::add);
    }
    return out;
  }

  private void noneExecuted() throws Exception {
    try (Stream<Path> walk = Files.walk(tmp)) {
      assertTrue(walk.noneMatch(p -> p.getFileName().toString().equals("PWNED")), "something ran");
    }
    assertFalse(Files.exists(Path.of("PWNED")));
  }

  @Test
  void hostileTargetNamesOnlyEverWriteInsideTheirDirectory() throws Exception {
    Files.writeString(remote.resolve("data"), "payload\n");
    for (long seed = 1; seed <= 12; seed++) {
      Random r = new Random(seed);
      List<Map<String, Object>> targets = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        String name = word(r, 1 + r.nextInt(4)).replace("\0", "").replace(",", "");
        if (name.isBlank() || name.matches(".*\\s.*") || !names.add(name)) {
          continue; // an inventory refuses names with white space or commas; that is tested
          // elsewhere
        }
        targets.add(Map.of("name", name, "uri", "local://t" + i));
      }
      Files.writeString(lab.resolve("inventory.yaml"), Json.write(Map.of("targets", targets)));
      Path dl = lab.resolve("dl" + seed);
      Path out = lab.resolve("out" + seed);
      Set<Path> before = outside(dl, out, lab.resolve(".jbolt"));
      Cli.Outcome o =
          Cli.run(
              lab,
              "file",
              "download",
              remote.resolve("data").toString(),
              dl.getFileName().toString(),
              "-t",
              "all",
              "--format",
              "json");
      assertTrue(o.code() == 0 || o.code() == 2, "seed " + seed + ": " + o);
      Cli.Outcome c =
          Cli.run(
              lab,
              "command",
              "run",
              "echo hi",
              "-t",
              "all",
              "--output-dir",
              out.getFileName().toString(),
              "--format",
              "json");
      assertTrue(c.code() == 0 || c.code() == 2, "seed " + seed + ": " + c);
      assertEquals(
          before,
          outside(dl, out, lab.resolve(".jbolt")),
          "seed " + seed + " wrote outside " + dl + " and " + out + ": names " + names);
      if (o.code() == 0) {
        try (Stream<Path> files = Files.walk(dl)) {
          assertEquals(
              targets.size(),
              files.filter(f -> f.getFileName().toString().equals("data")).count(),
              "seed " + seed + ": one download per target");
        }
      }
      noneExecuted();
    }
  }

  @Test
  void hostileRemoteFileNamesLandInsideTheDownload() throws Exception {
    Files.writeString(
        lab.resolve("inventory.yaml"), "targets: [{name: box, uri: 'local://box'}]\n");
    Path tree = Files.createDirectories(remote.resolve("tree"));
    Random r = new Random(7);
    Set<String> made = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      String name = word(r, 1 + r.nextInt(3)).replace("/", "").replace("\0", "");
      if (name.isEmpty()
          || name.equals(".")
          || name.equals("..")
          || name.length() > 200
          || !made.add(name)) {
        continue;
      }
      Files.writeString(tree.resolve(name), name);
    }
    Files.createSymbolicLink(tree.resolve("link-out"), Path.of("/etc/hostname"));
    Set<Path> before = outside(lab.resolve("dl"), lab.resolve(".jbolt"));
    Cli.Outcome o = Cli.run(lab, "file", "download", tree.toString(), "dl", "-t", "box");
    assertEquals(0, o.code(), o::toString);
    assertEquals(before, outside(lab.resolve("dl"), lab.resolve(".jbolt")));
    for (String name : made) {
      assertEquals(name, Files.readString(lab.resolve("dl/box/tree").resolve(name)), name);
    }
    assertTrue(Files.isSymbolicLink(lab.resolve("dl/box/tree/link-out")), "a link stays a link");
    noneExecuted();
  }

  @Test
  void hostileParametersArriveByteExactAndRunNothing() throws Exception {
    Files.writeString(
        lab.resolve("inventory.yaml"), "targets: [{name: box, uri: 'local://box'}]\n");
    Files.createDirectories(lab.resolve("tasks"));
    Files.writeString(lab.resolve("tasks/echo.sh"), "#!/bin/sh\nprintf '%s' \"$PT_p\"\n");
    Files.writeString(
        lab.resolve("tasks/echo.json"),
        "{\"input_method\": \"environment\", \"parameters\": {\"p\": {\"type\": \"String\"}}}");
    Random r = new Random(11);
    for (int i = 0; i < 25; i++) {
      String value = word(r, 1 + r.nextInt(6)).replace("\0", "");
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("p", value);
      Cli.Outcome o =
          Cli.run(
              lab,
              "task",
              "run",
              "lab::echo",
              "--params",
              Json.write(params),
              "-t",
              "box",
              "--format",
              "json");
      assertEquals(0, o.code(), value + ": " + o);
      assertEquals(value, o.json().at("/items/0/value/_output").asText(), "case " + i);
      Cli.Outcome cmd =
          Cli.run(
              lab,
              "command",
              "run",
              "printf '%s' \"$V\"",
              "--env-var",
              "V=" + value,
              "-t",
              "box",
              "--format",
              "json");
      assertEquals(value, cmd.json().at("/items/0/value/stdout").asText(), "case " + i);
    }
    // NUL cannot be in an environment variable or a command line: refused, never cut short.
    Cli.Outcome nul =
        Cli.run(lab, "task", "run", "lab::echo", "--params", "{\"p\": \"a\\u0000b\"}", "-t", "box");
    assertEquals(2, nul.code(), nul::toString);
    assertTrue(nul.err().contains("parameter p holds a NUL character"), nul::toString);
    Cli.Outcome env = Cli.run(lab, "command", "run", "true", "--env-var", "V=a\0b", "-t", "box");
    assertEquals(2, env.code(), env::toString);
    // On stdin, JSON carries it: the task gets exactly what was given.
    Files.writeString(lab.resolve("tasks/echo.sh"), "#!/bin/sh\ncat\n");
    Files.writeString(
        lab.resolve("tasks/echo.json"),
        "{\"input_method\": \"stdin\", \"parameters\": {\"p\": {\"type\": \"String\"}}}");
    Cli.Outcome stdin =
        Cli.run(
            lab,
            "task",
            "run",
            "lab::echo",
            "--params",
            "{\"p\": \"a\\u0000b\"}",
            "-t",
            "box",
            "--format",
            "json");
    assertEquals(0, stdin.code(), stdin::toString);
    assertEquals("a\0b", stdin.json().at("/items/0/value/p").asText());
    noneExecuted();
  }

  @Test
  void hostileModuleFileReferencesAreRefusedOrStayInside() throws Exception {
    Files.writeString(
        lab.resolve("inventory.yaml"), "targets: [{name: box, uri: 'local://box'}]\n");
    Path mod = Files.createDirectories(lab.resolve("modules/m/tasks"));
    Files.createDirectories(lab.resolve("modules/m/files"));
    Files.writeString(lab.resolve("modules/m/files/ok.txt"), "ok");
    Files.writeString(
        mod.resolve("t.sh"), "#!/bin/sh\nls -R \"$PT__installdir\" >/dev/null; echo done\n");
    Random r = new Random(3);
    for (int i = 0; i < 25; i++) {
      String ref = "m/files/" + word(r, 1 + r.nextInt(4)).replace("\0", "").replace("\n", "");
      Files.writeString(mod.resolve("t.json"), Json.write(Map.of("files", List.of(ref))));
      Set<Path> before = outside(lab.resolve(".jbolt"));
      Cli.Outcome o = Cli.run(lab, "task", "run", "m::t", "-t", "box");
      assertTrue(o.code() == 0 || o.code() == 2, ref + ": " + o);
      assertEquals(before, outside(lab.resolve(".jbolt")), ref);
    }
    noneExecuted();
  }
}
