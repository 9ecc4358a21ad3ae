package dev.jbolt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/** Throw-away jbolt projects for tests. */
public final class Projects {
  private Projects() {}

  /** A project dir with {@code inventory} as its inventory.yaml. */
  public static Path withInventory(Path dir, String inventory) {
    try {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("inventory.yaml"), inventory);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A project called {@code name} in {@code dir} whose inventory reaches {@code sshd}: its config
   * block, then {@code inventory} (groups, targets...), and a known_hosts that knows {@code hosts}
   * (127.0.0.1 when none), written after the config block, which writes one of its own.
   */
  public static Path lab(Path dir, String name, Sshd sshd, String inventory, String... hosts)
      throws IOException {
    withInventory(dir, sshConfig(sshd) + inventory);
    sshd.knownHosts(hosts);
    Files.writeString(dir.resolve("jbolt-project.yaml"), "name: " + name + "\n");
    return dir;
  }

  /**
   * {@code dir/name}, made writable by anyone, under a {@code dir} anyone may enter: for files the
   * test user, who logs in to the test sshds, writes where the test can see them.
   */
  public static Path sharedDir(Path dir, String name) throws IOException {
    Path d = Files.createDirectories(dir.resolve(name));
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    return d;
  }

  /** The {@code config.ssh} block that reaches {@code sshd} with its key and known_hosts. */
  public static String sshConfig(Sshd sshd) throws IOException {
    return "config:\n"
        + "  ssh:\n"
        + "    user: "
        + sshd.user()
        + "\n"
        + "    port: "
        + sshd.port()
        + "\n"
        + "    private-key: "
        + sshd.key()
        + "\n"
        + "    known-hosts-file: "
        + sshd.knownHosts()
        + "\n";
  }

  /**
   * A copy of this repository's example project (project file, inventory, tasks, modules, plans) in
   * {@code dir}, so that a test runs it without writing into the checkout.
   */
  public static Path exampleProject(Path dir) throws IOException {
    Path repo = Path.of("").toAbsolutePath();
    for (String f : List.of("jbolt-project.yaml", "inventory.yaml")) {
      Files.copy(repo.resolve(f), dir.resolve(f));
    }
    for (String d : List.of("tasks", "modules", "plans")) {
      try (Stream<Path> walk = Files.walk(repo.resolve(d))) {
        for (Path p : walk.toList()) {
          Path to = dir.resolve(repo.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else {
            Files.copy(p, to);
          }
        }
      }
    }
    return dir;
  }
}
