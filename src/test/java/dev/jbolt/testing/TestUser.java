package dev.jbolt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;

/**
 * The user test sshds log in. As root: {@code jbolttest}, made here if missing, with /bin/sh as its
 * shell (root's dotfiles can add 100+ ms to every command), a known password, and sudo rights that
 * need that password. Otherwise: the current user, and no sudo tests.
 */
public record TestUser(String name, String password, boolean sudo) {
  public static final String NAME = "jbolttest";
  public static final String PASSWORD = "jbolt-Test-pw-7";

  private static TestUser instance;
  private static Path key;

  public static synchronized TestUser get() {
    if (instance == null) {
      // The suite's forks run side by side: one at a time makes the user and its sudo rule.
      try (FileChannel lock =
              FileChannel.open(
                  Path.of("target", "jbolt-testuser.lock"),
                  StandardOpenOption.CREATE,
                  StandardOpenOption.WRITE);
          FileLock held = lock.lock()) {
        instance = make();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return instance;
  }

  public static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static TestUser make() {
    if (!isRoot()) {
      return new TestUser(System.getProperty("user.name"), null, false);
    }
    if (Cmd.run("sh", "-c", "getent passwd " + NAME + " || true").isBlank()) {
      Cmd.run("useradd", "--create-home", "--shell", "/bin/sh", NAME);
    }
    Cmd.run("sh", "-c", "echo '" + NAME + ":" + PASSWORD + "' | chpasswd");
    boolean sudo = Files.isExecutable(Path.of("/usr/bin/sudo"));
    if (sudo) {
      try {
        Path rule = Path.of("/etc/sudoers.d/jbolttest");
        Files.writeString(rule, NAME + " ALL=(ALL:ALL) ALL\nDefaults:" + NAME + " !lecture\n");
        Files.setPosixFilePermissions(rule, PosixFilePermissions.fromString("r--r-----"));
      } catch (IOException e) {
        throw new IllegalStateException("cannot write the test sudoers rule: " + e.getMessage(), e);
      }
    }
    return new TestUser(NAME, PASSWORD, sudo);
  }

  /**
   * A user whose login shell is {@code shell} (/bin/false, nologin), made if missing; the test is
   * skipped, saying so, when not run as root.
   */
  public static String withShell(String name, String shell) {
    Assumptions.assumeTrue(isRoot(), "making a user with " + shell + " as its shell needs root");
    if (Cmd.run("sh", "-c", "getent passwd " + name + " || true").isBlank()) {
      Cmd.run("useradd", "--create-home", "--shell", shell, name);
    }
    Cmd.run(
        "usermod", "-p", "*",
        name); // no password, but not locked: sshd refuses locked accounts keys too
    return name;
  }

  /** One client key pair for the whole test run. */
  public static synchronized Path key() throws IOException {
    if (key == null) {
      Path dir = Files.createTempDirectory("jbolt-client");
      key = dir.resolve("id_ed25519");
      // Gone when the JVM ends (deleteOnExit runs in reverse order: the files, then the dir).
      dir.toFile().deleteOnExit();
      key.toFile().deleteOnExit();
      dir.resolve("id_ed25519.pub").toFile().deleteOnExit();
      Cmd.run(
          "ssh-keygen",
          "-q",
          "-t",
          "ed25519",
          "-N",
          "",
          "-C",
          "jbolt-test-client",
          "-f",
          key.toString());
    }
    return key;
  }

  public String home() {
    return Cmd.run("sh", "-c", "getent passwd " + name + " | cut -d: -f6").strip();
  }
}
