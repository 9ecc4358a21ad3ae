package dev.jbolt.warm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Map;

/**
 * Where the warm processes' sockets and logs are, chosen and checked as the client does ({@code
 * scripts/warm-client.pl}): {@code $XDG_RUNTIME_DIR/jbolt}, else {@code ~/.cache/jbolt/run}, each
 * only when it is a directory of this user's with mode 0700 (not a link) whose parents are this
 * user's or root's and, when others may write them, sticky. A directory someone else controls is
 * never used: a socket there could be anyone's, and the command line, environment and answers sent
 * to it would go to them.
 */
public final class WarmDir {
  private static final int MY_UID = uid(Path.of("/proc/self"));

  private WarmDir() {}

  /** The directory, or why none may be used. */
  record Choice(Path dir, String why) {}

  /** The directory for this environment, made when missing. */
  public static Choice choose(Map<String, String> env) {
    String rt = env.get("XDG_RUNTIME_DIR");
    String why = null;
    if (rt != null && !rt.isEmpty() && Files.isDirectory(Path.of(rt))) {
      why = unsafe(Path.of(rt));
      if (why == null) {
        Choice c = make(Path.of(rt, "jbolt"));
        if (c.dir() != null) {
          return c;
        }
        why = c.why();
      }
    }
    String cache = env.get("XDG_CACHE_HOME");
    if (cache == null || cache.isEmpty()) {
      cache = env.getOrDefault("HOME", System.getProperty("user.home")) + "/.cache";
    }
    Choice c = make(Path.of(cache, "jbolt", "run"));
    return c.dir() != null || why == null ? c : new Choice(null, why + "; " + c.why());
  }

  /** {@code dir} made where missing (never under a directory someone else controls), checked. */
  static Choice make(Path dir) {
    dir = dir.toAbsolutePath().normalize();
    for (int i = 1; i <= dir.getNameCount(); i++) {
      Path p = dir.getRoot().resolve(dir.subpath(0, i));
      if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      String why = unsafeParent(p.getParent());
      if (why != null) {
        return new Choice(null, why);
      }
      try {
        Files.createDirectory(p);
        Files.setPosixFilePermissions(
            p,
            EnumSet.of(
                PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_EXECUTE));
      } catch (IOException e) {
        // another process made it meanwhile, or it cannot be made: the check below says which
      }
    }
    String why = unsafe(dir);
    return why == null ? new Choice(dir, null) : new Choice(null, why);
  }

  /** Null when {@code d} is a private directory of this user's, else why not. */
  static String unsafe(Path d) {
    if (!d.isAbsolute()) {
      return d + " is not an absolute path";
    }
    Map<String, Object> a;
    try {
      a = Files.readAttributes(d, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException e) {
      return d + ": " + e.getMessage();
    }
    int mode = (Integer) a.get("mode");
    int uid = (Integer) a.get("uid");
    if ((mode & 0170000) != 0040000) {
      return d + " is not a directory";
    }
    if (uid != MY_UID) {
      return d + " belongs to uid " + uid + ", not to you (uid " + MY_UID + ")";
    }
    if ((mode & 077) != 0) {
      return String.format(
          "%s has mode %04o: others may use it (it must be 0700)", d, mode & 07777);
    }
    for (Path p = d.getParent(); p != null; p = p.getParent()) {
      String why = unsafeParent(p);
      if (why != null) {
        return why;
      }
    }
    return null;
  }

  /** Null when only this user or root can change what {@code p} holds. */
  private static String unsafeParent(Path p) {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(p, "unix:uid,mode");
    } catch (IOException | UnsupportedOperationException e) {
      return p + ": " + e.getMessage();
    }
    int mode = (Integer) a.get("mode");
    int uid = (Integer) a.get("uid");
    if (uid != MY_UID && uid != 0) {
      return p + " belongs to uid " + uid + ", neither you nor root";
    }
    if ((mode & 022) != 0 && (mode & 01000) == 0) {
      return String.format("%s may be written by others (mode %04o)", p, mode & 07777);
    }
    return null;
  }

  private static int uid(Path p) {
    try {
      return (Integer) Files.getAttribute(p, "unix:uid");
    } catch (IOException | UnsupportedOperationException e) {
      return -1;
    }
  }
}
