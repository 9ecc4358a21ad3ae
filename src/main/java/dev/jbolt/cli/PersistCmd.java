package dev.jbolt.cli;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;

/** {@code jbolt persist status|stop}: the warm processes of this user (docs/warm.md). */
@Command(
    name = "persist",
    description = "See or stop the warm processes that keep jbolt and its SSH sessions up.",
    mixinStandardHelpOptions = true,
    subcommands = {PersistCmd.Status.class, PersistCmd.Stop.class})
final class PersistCmd {
  /** The directory of the warm processes' sockets, as the client finds it. */
  static Path socketDir(Map<String, String> env) {
    String rt = env.get("XDG_RUNTIME_DIR");
    if (rt != null && !rt.isEmpty() && Files.isDirectory(Path.of(rt))) {
      return Path.of(rt, "jbolt");
    }
    String cache = env.get("XDG_CACHE_HOME");
    if (cache == null || cache.isEmpty()) {
      cache = env.getOrDefault("HOME", System.getProperty("user.home")) + "/.cache";
    }
    return Path.of(cache, "jbolt", "run");
  }

  /** Sends {@code verb} to every warm process; prints what they answer. */
  static int ask(Console ctx, char verb) {
    Path dir = socketDir(ctx.env());
    List<Path> sockets;
    try (Stream<Path> s = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
      sockets = s.filter(p -> p.getFileName().toString().endsWith(".sock")).sorted().toList();
    } catch (IOException e) {
      sockets = List.of();
    }
    int answered = 0;
    for (Path sock : sockets) {
      try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(sock))) {
        OutputStream out = Channels.newOutputStream(ch);
        Frames.write(out, 'H', Frames.HELLO);
        Frames.write(out, verb, "");
        DataInputStream in =
            new DataInputStream(new BufferedInputStream(Channels.newInputStream(ch)));
        for (Frames.Frame f = Frames.read(in); f != null && f.type() != 'x'; f = Frames.read(in)) {
          if (f.type() == 'o') {
            ctx.out().print(f.text());
          }
        }
        answered++;
      } catch (IOException e) {
        // not answering: a warm process that crashed left it; the next client replaces it
      }
    }
    if (answered == 0) {
      ctx.out().println("no warm jbolt process is running");
    }
    return Main.OK;
  }

  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = "Show each warm process: its project, idle time, kept SSH sessions, memory.")
  static final class Status implements Callable<Integer> {
    private final Console ctx;

    Status(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      return ask(ctx, 'Q');
    }
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop every warm process of this user, closing its SSH sessions.")
  static final class Stop implements Callable<Integer> {
    private final Console ctx;

    Stop(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      return ask(ctx, 'K');
    }
  }
}
