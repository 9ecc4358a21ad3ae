package dev.jbolt.transport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * What a special file (FIFO, device, socket) is, in words: transfers skip them, never open them
 * (opening a FIFO waits for a writer forever), and say what they skipped.
 */
public final class SpecialFiles {
  private SpecialFiles() {}

  /** What {@code p} is: "a FIFO", "a socket", ... (it is not followed when a link). */
  public static String describe(Path p) {
    try {
      Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return kind(((Integer) mode) & 0170000);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "not a regular file, directory or link";
    }
  }

  /** A file type from the top bits of a Unix mode ({@code S_IFMT}). */
  public static String kind(int type) {
    return switch (type) {
      case 0010000 -> "a FIFO";
      case 0020000 -> "a character device";
      case 0060000 -> "a block device";
      case 0140000 -> "a socket";
      default -> "a special file";
    };
  }

  static String tarType(char type) {
    return switch (type) {
      case '6' -> "a FIFO";
      case '3' -> "a character device";
      case '4' -> "a block device";
      default -> "an unsupported tar entry of type '" + type + "'";
    };
  }
}
