package dev.jbolt.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.jbolt.DocsTest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * Podman for the container tests, with no registry: images made here from this machine's own
 * binaries and imported ({@code jbolt-busybox}: busybox-static's applets; {@code jbolt-bash}: the
 * same and /bin/bash with its libraries; {@code jbolt-noshell}: busybox with no {@code sh}), and
 * containers that {@link #close} removes. Podman's configuration and storage are the build's own
 * (target/podman: runc and cgroupfs, as these machines need, the vfs driver), named by the
 * CONTAINERS_CONF and CONTAINERS_STORAGE_CONF variables that the pom gives the tests' JVMs, so
 * nothing of the machine's own podman is touched.
 */
public final class Podman implements AutoCloseable {
  private static final AtomicInteger SEQ = new AtomicInteger();
  private static boolean imagesMade;
  private final List<String> containers = new ArrayList<>();

  private Podman() {}

  /** Podman ready to run containers; skips when not root (rootless podman needs more set-up). */
  public static Podman start() throws Exception {
    Quick.skipsWhatNeeds("podman");
    Assumptions.assumeTrue(
        "0".equals(Cmd.run("id", "-u").strip()),
        "the container tests run podman as root (scripts/test as root installs and runs them)");
    if (!Files.isExecutable(Path.of("/usr/bin/podman"))) {
      fail(
          "podman is not installed: scripts/test installs it (apt-get install podman runc busybox-static)");
    }
    configure();
    makeImages();
    return new Podman();
  }

  private static Path home() {
    return Path.of(System.getenv().getOrDefault("CONTAINERS_CONF", "target/podman/containers.conf"))
        .toAbsolutePath()
        .getParent();
  }

  /** Writes the files the pom's variables name (each fork the same bytes, moved into place). */
  private static synchronized void configure() throws IOException {
    Path dir = Files.createDirectories(home());
    // docs/containers.md's configuration, as users are told to write it, and podman's runtime
    // files (its events log, exit codes) in the build too: its [engine] section is the last
    String conf =
        DocsTest.marked(Files.readString(Path.of("docs/containers.md")), "containers.conf").get(0);
    if (!conf.strip().lines().reduce((a, b) -> b).orElse("").contains("=")
        || !conf.contains("[engine]")
        || conf.lastIndexOf('[') != conf.indexOf("[engine]")) {
      fail("docs/containers.md's containers.conf no longer ends with its [engine] section");
    }
    write(dir.resolve("containers.conf"), conf + "tmp_dir = \"" + dir.resolve("tmp") + "\"\n");
    write(
        dir.resolve("storage.conf"),
        "[storage]\ndriver = \"vfs\"\ngraphroot = \""
            + dir.resolve("storage")
            + "\"\nrunroot = \""
            + dir.resolve("run")
            + "\"\n");
  }

  private static void write(Path f, String text) throws IOException {
    Path tmp = Files.createTempFile(f.getParent(), ".conf", ".tmp");
    Files.writeString(tmp, text);
    Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Changed whenever the images' recipes change: the build's storage then makes them again. */
  private static final String RECIPES = "4 images, v2";

  /**
   * Makes the images once for the build's storage, under a file lock (the other fork waits, then
   * finds them made): a fork re-importing while the other starts a container could have the image
   * removed under it.
   */
  private static synchronized void makeImages() throws Exception {
    if (imagesMade) {
      return;
    }
    Path busybox = Path.of("/bin/busybox");
    if (!Files.isExecutable(busybox)) {
      fail("busybox is not installed: scripts/test installs busybox-static");
    }
    Path stamp = home().resolve("images.stamp");
    try (FileChannel lock =
            FileChannel.open(
                home().resolve("images.lock"),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock held = lock.lock()) {
      boolean made =
          Files.exists(stamp)
              && Files.readString(stamp).equals(RECIPES)
              && Cmd.run(
                      "sh",
                      "-c",
                      "podman image exists jbolt-busybox && podman image exists"
                          + " jbolt-bash && podman image exists jbolt-sudo && podman image exists"
                          + " jbolt-noshell && echo yes")
                  .strip()
                  .equals("yes");
      if (!made) {
        Files.deleteIfExists(stamp);
        Path work = Files.createTempDirectory("jbolt-images");
        try {
          image(work.resolve("bb"), "jbolt-busybox", true, List.of());
          image(work.resolve("bash"), "jbolt-bash", true, List.of("/bin/bash"));
          image(work.resolve("sudo"), "jbolt-sudo", true, List.of("/usr/bin/sudo"));
          image(work.resolve("none"), "jbolt-noshell", false, List.of());
          run("podman", "image", "prune", "-f"); // the images these replaced
        } finally {
          Cmd.run("rm", "-rf", work.toString());
        }
        Files.writeString(stamp, RECIPES);
      }
    }
    imagesMade = true;
  }

  /**
   * A root filesystem of busybox (with or without its {@code sh}) and {@code extra} binaries of
   * this machine with their libraries, imported. With sudo: its plugins, a sudoers that lets root
   * be anyone, PAM that permits (a test image), and a user {@code app}.
   */
  private static void image(Path root, String name, boolean shell, List<String> extra)
      throws Exception {
    Path bin = Files.createDirectories(root.resolve("bin"));
    Files.createDirectories(root.resolve("usr/bin"));
    Files.createDirectories(root.resolve("root"));
    Files.createDirectories(root.resolve("etc"));
    Files.writeString(
        root.resolve("etc/passwd"),
        "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000:app:/home/app:/bin/sh\n");
    Files.writeString(root.resolve("etc/group"), "root:x:0:\napp:x:1000:\n");
    Files.createDirectories(root.resolve("home/app"));
    Cmd.run("chown", "1000:1000", root.resolve("home/app").toString());
    Path tmp = Files.createDirectories(root.resolve("tmp"));
    Cmd.run("chmod", "1777", tmp.toString());
    Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
    for (String applet : Cmd.run("/bin/busybox", "--list").lines().toList()) {
      if (!applet.equals("busybox") && (shell || !applet.matches("sh|ash|bash|hush"))) {
        Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
      }
    }
    Files.createSymbolicLink(root.resolve("usr/bin/env"), Path.of("/bin/busybox"));
    // busybox too: Debian's busybox-static needs no library, but a machine may have the dynamic one
    List<String> binaries = new ArrayList<>(List.of("/bin/busybox"));
    binaries.addAll(extra);
    if (extra.contains("/usr/bin/sudo")) {
      copyFrom(root, "/usr/libexec/sudo", "/lib/x86_64-linux-gnu/security");
      Files.createDirectories(root.resolve("etc/pam.d"));
      Files.writeString(
          root.resolve("etc/pam.d/sudo"),
          "auth sufficient pam_permit.so\naccount sufficient pam_permit.so\n"
              + "session sufficient pam_permit.so\n");
      Files.writeString(root.resolve("etc/sudoers"), "root ALL=(ALL:ALL) NOPASSWD: ALL\n");
      Cmd.run("chmod", "440", root.resolve("etc/sudoers").toString());
      binaries.add("/usr/libexec/sudo/sudoers.so");
      binaries.add("/lib/x86_64-linux-gnu/security/pam_permit.so");
    }
    for (String b : extra) {
      copyFrom(root, b);
    }
    for (String b : binaries) {
      for (String lib :
          Cmd.run("sh", "-c", "ldd " + b + " 2>/dev/null | grep -o '/[^ ]*' || true")
              .lines()
              .toList()) {
        copyFrom(root, lib);
      }
    }
    run("sh", "-c", "tar -C '" + root + "' -c . | podman import -q - " + name);
  }

  /** Copies files or trees of this machine to the same place under {@code root}. */
  private static void copyFrom(Path root, String... paths) throws Exception {
    for (String p : paths) {
      Path to = root.resolve(p.substring(1));
      Files.createDirectories(to.getParent());
      Cmd.run("cp", "-a", "-L", p, to.toString());
    }
  }

  /** Starts a container of {@code image} that sleeps until removed; gives its name. */
  public String container(String image) throws Exception {
    String name = "jbolt-test-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
    containers.add(name);
    String entry = image.equals("jbolt-noshell") ? "/bin/busybox" : "sleep";
    List<String> cmd =
        new ArrayList<>(List.of("podman", "run", "-d", "--network", "none", "--name", name, image));
    if (entry.equals("/bin/busybox")) {
      cmd.addAll(List.of("/bin/busybox", "sleep", "3600"));
    } else {
      cmd.addAll(List.of("sleep", "3600"));
    }
    run(cmd.toArray(String[]::new));
    return name;
  }

  /** A container made and never started. */
  public String stopped(String image) throws Exception {
    String name = "jbolt-test-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet();
    containers.add(name);
    run("podman", "create", "--network", "none", "--name", name, image, "sleep", "3600");
    return name;
  }

  /** Runs podman (or anything) and fails the test on a non-zero exit; gives stdout. */
  public static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      fail(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }

  /** Removes every container this made, at once (-t 0: sleep would not end on SIGTERM). */
  @Override
  public void close() throws Exception {
    if (!containers.isEmpty()) {
      List<String> cmd = new ArrayList<>(List.of("podman", "rm", "-f", "-t", "0"));
      cmd.addAll(containers);
      run(cmd.toArray(String[]::new));
      containers.clear();
    }
  }
}
