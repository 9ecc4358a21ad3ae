package dev.jbolt.warm;

import dev.jbolt.session.Console;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;
import java.util.stream.Stream;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/** What {@code jbolt persist status|stop} says to the warm processes of this user. */
public final class WarmControl {
  private WarmControl() {}

  /**
   * Sends {@code verb} to the warm processes (to each whose project is {@code project}, when not
   * null); prints what they answer. A socket served by another user is not spoken to.
   */
  public static void ask(Console ctx, char verb, String project) {
    WarmDir.Choice where = WarmDir.choose(ctx.env());
    if (where.dir() == null) {
      ctx.err().println("jbolt: no warm process can be used: " + where.why());
      ctx.out().println("no warm jbolt process is running");
      return;
    }
    List<Path> sockets;
    try (Stream<Path> s = Files.list(where.dir())) {
      sockets = s.filter(p -> p.getFileName().toString().endsWith(".sock")).sorted().toList();
    } catch (IOException e) {
      sockets = List.of();
    }
    int answered = 0;
    UserPrincipal me;
    try {
      me = Files.getOwner(Path.of("/proc/self"));
    } catch (IOException e) {
      ctx.err().println("jbolt: cannot tell who runs this process: " + e.getMessage());
      return;
    }
    for (Path sock : sockets) {
      try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
        UnixDomainPrincipal peer = ch.getOption(ExtendedSocketOptions.SO_PEERCRED);
        if (!peer.user().equals(me)) {
          ctx.err()
              .println(
                  "jbolt: "
                      + sock
                      + " is served by "
                      + peer.user().getName()
                      + ", not you: skipped");
          continue;
        }
        OutputStream out = Channels.newOutputStream(ch);
        Frames.write(out, 'H', Frames.HELLO);
        Frames.write(out, verb, project == null ? "" : project);
        DataInputStream in =
            new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch)));
        boolean said = false;
        for (Frames.Frame f = Frames.read(in); f != null && f.type() != 'x'; f = Frames.read(in)) {
          if (f.type() == 'o') {
            ctx.out().print(f.text());
            said = true;
          }
        }
        answered += said ? 1 : 0;
      } catch (IOException e) {
        // not answering: a warm process that crashed left it; the next client replaces it
      }
    }
    if (answered == 0) {
      ctx.out()
          .println(
              project == null
                  ? "no warm jbolt process is running"
                  : "no warm jbolt process is running for " + project);
    }
  }
}
