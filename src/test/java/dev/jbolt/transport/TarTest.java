package dev.jbolt.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sizes as GNU tar writes them for files of 8 GiB and more (base-256, as the target's `tar -c`
 * sends a download without SFTP), and as pax records: extraction reads both.
 */
class TarTest {
  @TempDir Path tmp;

  private static byte[] header(String name, byte[] size) {
    byte[] h = new byte[512];
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(n, 0, h, 0, n.length);
    System.arraycopy("0000644\0".getBytes(StandardCharsets.US_ASCII), 0, h, 100, 8);
    System.arraycopy(size, 0, h, 124, 12);
    h[156] = '0';
    System.arraycopy("ustar  \0".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    return h;
  }

  private static byte[] stream(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
      out.writeBytes(new byte[(512 - p.length % 512) % 512]);
    }
    out.writeBytes(new byte[1024]);
    return out.toByteArray();
  }

  @Test
  void aBase256SizeIsRead() throws Exception {
    byte[] size = new byte[12];
    size[0] = (byte) 0x80; // GNU tar's mark of a binary number
    size[11] = 5;
    Tar.extract(new ByteArrayInputStream(stream(header("big", size), "hello".getBytes())), tmp);
    assertEquals("hello", Files.readString(tmp.resolve("big")));
  }

  @Test
  void gnuTarWritesBase256ForEightGibibytes() throws Exception {
    Path big = tmp.resolve("src/huge");
    Files.createDirectories(big.getParent());
    try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
      f.setLength(8L << 30);
    }
    Process p =
        new ProcessBuilder("sh", "-c", "tar -c -f - huge | head -c 512")
            .directory(big.getParent().toFile())
            .start();
    byte[] h = p.getInputStream().readAllBytes();
    p.waitFor();
    assertEquals(0x80, h[124] & 0xff, "what the test above reads is what GNU tar sends");
  }

  /**
   * A size of 8 GiB or more does not fit the header's 11 octal digits: jbolt's own archives
   * (uploads without SFTP, containers) write it in base-256, which GNU tar reads, instead of
   * cutting it.
   */
  @Test
  void jboltWritesBigSizesInBase256AndGnuTarReadsThem() throws Exception {
    long size = (9L << 30) + 12345;
    byte[] h = Tar.header("huge", 0644, size, '0', "");
    assertEquals(0x80, h[124] & 0xff);
    assertEquals(size, TarFields.number(h, 124, 12));
    assertEquals(01234, TarFields.number(Tar.header("small", 01234, 7, '0', ""), 100, 8));
    Path archive = tmp.resolve("head.tar");
    Files.write(archive, h);
    Process p =
        new ProcessBuilder("tar", "-t", "-v", "-f", archive.toString())
            .redirectErrorStream(true)
            .start();
    String listing = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    assertTrue(listing.contains(" " + size + " "), listing);
  }

  @Test
  void aPaxSizeRecordIsRead() throws Exception {
    byte[] record = "12 size=500\n".getBytes(StandardCharsets.US_ASCII);
    byte[] paxSize = "00000000014\0".getBytes(StandardCharsets.US_ASCII);
    byte[] pax = header("././@PaxHeader", paxSize);
    pax[156] = 'x';
    byte[] zero = "00000000000\0".getBytes(StandardCharsets.US_ASCII);
    byte[] data = "x".repeat(500).getBytes(StandardCharsets.US_ASCII);
    Tar.extract(new ByteArrayInputStream(stream(pax, record, header("f", zero), data)), tmp);
    assertEquals(500, Files.size(tmp.resolve("f")));
  }
}
