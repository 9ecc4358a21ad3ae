package dev.jbolt.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

  /** The {@code config.ssh} block that reaches {@code sshd} with its key and known_hosts. */
  public static String sshConfig(Sshd sshd) throws IOException {
    return "config:\n"
        + "  ssh:\n"
        + "    user: " + sshd.user() + "\n"
        + "    port: " + sshd.port() + "\n"
        + "    private-key: " + sshd.key() + "\n"
        + "    known-hosts-file: " + sshd.knownHosts() + "\n";
  }
}
