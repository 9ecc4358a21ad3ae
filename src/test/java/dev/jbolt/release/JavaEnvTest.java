package dev.jbolt.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * scripts/java-env.sh, which ./jbolt and scripts/test source: JAVA_HOME (or the java on PATH) when
 * it is 21 or newer, else the newest JDK 21+ of the JVM directory; a clear word when there is none.
 */
class JavaEnvTest {
  @TempDir Path tmp;

  private Path jdk(String name, String version) throws Exception {
    Path home = Files.createDirectories(tmp.resolve("jvm").resolve(name));
    Files.createDirectories(home.resolve("bin"));
    for (String tool : new String[] {"java", "javac"}) {
      Path t = home.resolve("bin").resolve(tool);
      Files.writeString(t, "#!/bin/sh\nexit 0\n");
      Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
    return home;
  }

  /** Runs jbolt_find_java with a PATH whose java is an old JDK; prints the JDK found. */
  private String[] find(String javaHome) throws Exception {
    Path old = jdk("jdk-17", "17.0.12");
    Path bin = Files.createDirectories(tmp.resolve("pathbin"));
    Files.deleteIfExists(bin.resolve("java"));
    Files.createSymbolicLink(bin.resolve("java"), old.resolve("bin/java"));
    ProcessBuilder pb =
        new ProcessBuilder(
            "bash",
            "-c",
            "source scripts/java-env.sh && jbolt_find_java && echo \"$JBOLT_JAVA_HOME\"");
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.environment().put("JBOLT_JVM_DIR", tmp.resolve("jvm").toString());
    if (javaHome == null) {
      pb.environment().remove("JAVA_HOME");
    } else {
      pb.environment().put("JAVA_HOME", javaHome);
    }
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new String[] {String.valueOf(p.waitFor()), out, err};
  }

  @Test
  void theNewestOfTheJvmDirectoryWhenNothingElseFits() throws Exception {
    jdk("jdk-21", "21.0.5");
    jdk("temurin-25", "25.0.1");
    jdk("zulu-22", "22.0.2"); // after temurin-25 in the directory's order, and older
    String[] r = find(null);
    assertEquals("0", r[0], r[2]);
    assertEquals(tmp.resolve("jvm/temurin-25").toString(), r[1]);
  }

  @Test
  void javaHomeWinsWhenItIsNewEnough() throws Exception {
    Path home = jdk("jdk-21", "21.0.5");
    jdk("temurin-25", "25.0.1");
    String[] r = find(home.toString());
    assertEquals(home.toString(), r[1], r[2]);
  }

  @Test
  void noJdk21SaysWhatToInstall() throws Exception {
    jdk("jdk-11", "11.0.2");
    String[] r = find(null);
    assertEquals("1", r[0]);
    assertTrue(r[2].contains("needs a JDK 21 or newer"), r[2]);
    assertTrue(r[2].contains("Debian 12: Temurin 21+"), r[2]);
  }
}
