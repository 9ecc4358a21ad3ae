package dev.jbolt.transport;

import dev.jbolt.result.ErrorKind;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * A transfer that lands in a staging directory beside its destination and is then moved into place,
 * for the transports that move trees as tar streams (SSH without SFTP, containers): the destination
 * is never half written, and a file goes into an existing directory as {@code cp} puts it there.
 */
public final class Staging {
  private Staging() {}

  /**
   * The shell lines that move {@code base}, unpacked in the staging directory {@code $d}, to {@code
   * destination} (quoted), then remove {@code $d}: a file goes into an existing directory, a
   * directory is merged into one (so that uploading it again gives the same tree), else either
   * becomes the destination. Exits with the move's status.
   */
  public static String placeScript(Path source, String destination) {
    String base = Posix.quote(source.getFileName().toString());
    String dest = Posix.quote(destination);
    return "if [ -d "
        + dest
        + " ]; then "
        + (Files.isDirectory(source)
            ? "cp -pPR \"$d\"/" + base + "/. " + dest + "/"
            : "mv -f \"$d\"/" + base + " " + dest + "/")
        + "; else mv -f \"$d\"/"
        + base
        + " "
        + dest
        + "; fi; rc=$?; rm -rf \"$d\"; exit $rc";
  }

  /**
   * What a tar stream of {@code source} (on {@code where}) left in {@code staging}; refused when it
   * is not there: the source was a special file ({@code skipped} says which) or missing.
   */
  public static Path extracted(String source, String where, Path staging, List<String> skipped)
      throws TransportException {
    Path name = Path.of(source).getFileName();
    Path got = staging.resolve(name == null ? "" : name.toString());
    if (!Files.exists(got, LinkOption.NOFOLLOW_LINKS)) {
      throw new TransportException(
          ErrorKind.FILE_ERROR,
          "READ_ERROR",
          source
              + " on "
              + where
              + " is "
              + (skipped.isEmpty()
                  ? "missing from tar's output"
                  : skipped.get(0).replaceFirst("^.* \\((.*)\\)$", "$1"))
              + ", not a file or directory: nothing to download",
          null);
    }
    return got;
  }
}
