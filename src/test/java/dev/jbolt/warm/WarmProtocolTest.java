package dev.jbolt.warm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.DocsTest;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol of docs/warm.md is the one both sides speak: its table names every frame type the
 * warm process's code knows, and its conversation is played between the real Perl client
 * (scripts/warm-client.pl) and this test speaking through {@link Frames}, frame by frame.
 */
class WarmProtocolTest {
  @TempDir Path tmp;

  private static String doc() throws IOException {
    return Files.readString(Path.of("docs/warm.md"));
  }

  @Test
  void theTableNamesEveryFrameTypeOfTheCodeAndNoOther() throws IOException {
    List<String> documented = new ArrayList<>();
    for (String row : DocsTest.marked(doc(), "warm frames").get(0).split("\n")) {
      String[] cells = row.split("\\|");
      if (cells.length > 2 && cells[2].trim().matches("`.`")) {
        documented.add(cells[2].trim().substring(1, 2));
      }
    }
    String code;
    try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/jbolt/warm"))) {
      StringBuilder all = new StringBuilder();
      for (Path f : files.toList()) {
        all.append(Files.readString(f));
      }
      code = all.toString();
    }
    String perl = Files.readString(Path.of("scripts/warm-client.pl"));
    for (String t : documented) {
      assertTrue(code.contains("'" + t + "'"), "the warm process's code has no frame '" + t + "'");
      assertTrue(
          perl.contains("frame('" + t + "'")
              || perl.contains("eq '" + t + "'")
              || perl.contains("ne '" + t + "'")
              || "QKbn".contains(t), // persist's verbs (WarmControl); refusals end a slot's try
          "scripts/warm-client.pl neither sends nor reads '" + t + "'");
    }
    assertEquals(22, documented.size(), documented.toString());
    // ... and neither side uses a type the table lacks ('1' is a terminal flag's value; '/' and
    // 's' are the Perl client's path and secret-question checks).
    List<String> undocumented = new ArrayList<>();
    Matcher java =
        Pattern.compile("(?:write\\(\\w+, |send\\(|case |== |Frame\\(|Sink\\()'(.)'").matcher(code);
    while (java.find()) {
      undocumented.add(java.group(1));
    }
    Matcher pl = Pattern.compile("(?:frame\\(|eq |ne )'(.)'").matcher(perl);
    while (pl.find()) {
      undocumented.add(pl.group(1));
    }
    undocumented.removeAll(documented);
    undocumented.removeAll(List.of("1", "/", "s"));
    assertEquals(List.of(), undocumented, "frame types missing from docs/warm.md's table");
  }

  /** The client's connection; fails saying what the client did when it ends without one. */
  private static SocketChannel accept(ServerSocketChannel server, Process client)
      throws IOException, InterruptedException {
    server.configureBlocking(false);
    for (int i = 0; i < 6000; i++) {
      SocketChannel ch = server.accept(); // blocking, whatever the server's mode
      if (ch != null) {
        return ch;
      }
      if (!client.isAlive()) {
        throw new AssertionError(
            "the client ended without connecting: exit "
                + client.exitValue()
                + ", stderr: "
                + new String(client.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
      }
      Thread.sleep(10);
    }
    throw new AssertionError("the client did not connect in 60 s");
  }

  private static boolean written(Path file) throws IOException {
    return Files.exists(file) && Files.readString(file).endsWith("\n");
  }

  @Test
  @Timeout(120)
  void thePerlClientPlaysTheDocumentedConversation() throws Exception {
    Path rt = Files.createDirectory(tmp.resolve("rt"));
    Files.setPosixFilePermissions(rt, PosixFilePermissions.fromString("rwx------"));
    Path cwd = Files.createDirectory(tmp.resolve("cwd"));
    Path socketFile = tmp.resolve("socket-path");
    // Started as the warm process would be: says where to listen, waits until something does.
    Path launcher = tmp.resolve("launcher");
    Files.writeString(
        launcher,
        "#!/bin/sh\n"
            + "[ \"$1\" = --jbolt-warm-daemon ] || exit 99\n"
            + "echo \"$2\" > '"
            + socketFile
            + "'\n"
            + "i=0; while [ ! -S \"$2\" ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i+1)); done\n"
            // ... and lives while the socket does, as a warm process does: once the client found
            // this launcher ended and its connect refused (most likely between the test's bind
            // and listen, which a busy machine stretches), went cold, and the test waited.
            + "i=0; while [ -S \"$2\" ] && [ $i -lt 6000 ]; do sleep 0.01; i=$((i+1)); done\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
    ProcessBuilder pb =
        new ProcessBuilder(
                "perl",
                "-e",
                "umask 022; exec @ARGV",
                "perl",
                Path.of("scripts/warm-client.pl").toAbsolutePath().toString(),
                "command",
                "run",
                "echo hi")
            .directory(cwd.toFile());
    pb.environment().clear();
    pb.environment().put("LANG", "C.UTF-8");
    pb.environment().put("XDG_RUNTIME_DIR", rt.toString());
    pb.environment().put("JBOLT_WARM_LAUNCHER", launcher.toString());
    pb.environment().put("JBOLT_WARM_JAR", tmp.resolve("jbolt.jar").toString());
    Process client = pb.start();
    client.getOutputStream().write("typed".getBytes(StandardCharsets.UTF_8));
    client.getOutputStream().close();
    // The file exists before echo has written the path into it: wait for the whole line.
    for (int i = 0; i < 3000 && !written(socketFile); i++) {
      Thread.sleep(10);
    }
    assertTrue(written(socketFile), "the client started its warm process");
    Path socket = Path.of(Files.readString(socketFile).strip());
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket));
      try (SocketChannel ch = accept(server, client)) {
        DataInputStream in =
            new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch)));
        OutputStream out = Channels.newOutputStream(ch);
        String conversation = DocsTest.marked(doc(), "warm conversation").get(0);
        for (String line : conversation.split("\n")) {
          String[] f = line.split(" ", 3);
          String payload =
              (f.length > 2 ? f[2] : "")
                  .replace("{cwd}", cwd.toString())
                  .replace("{rt}", rt.toString())
                  .replace("\\n", "\n");
          char type = f[1].charAt(0);
          if (f[0].equals("server")) {
            Frames.write(out, type, payload);
          } else {
            Frames.Frame got = Frames.read(in);
            assertEquals(
                type + " " + payload,
                got == null ? "(the client closed its socket)" : got.type() + " " + got.text(),
                line);
          }
        }
      }
    } finally {
      Files.deleteIfExists(socket);
    }
    assertTrue(client.waitFor(10, TimeUnit.SECONDS), "the client ends at x");
    assertEquals(3, client.exitValue(), "the client exits with x's code");
    assertEquals(
        "hi\n", new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    assertEquals(
        "a warning\n", new String(client.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
