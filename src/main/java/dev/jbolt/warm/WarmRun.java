package dev.jbolt.warm;

import dev.jbolt.RunScope;
import dev.jbolt.exec.Cancellation;
import dev.jbolt.session.Console;
import dev.jbolt.session.Interrupts;
import dev.jbolt.transports.KeptConnections;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * One client's run in the warm process: its arguments, environment, working directory and terminal
 * come in, jbolt runs as it would in a process of its own ({@link WarmServer.Runner}), and its
 * output, its questions and its exit code go back. Ctrl-C from the client cancels the run as SIGINT
 * would; a client that goes away cancels it too.
 */
final class WarmRun {
  final List<String> args = new ArrayList<>();
  final Map<String, String> env = new LinkedHashMap<>();
  Path cwd;

  /** The client's umask, in octal: a warm process serves only clients with its own. */
  String umask;

  /** What came with the verb: for {@code K}, the project to stop ("" for any). */
  String verbText = "";

  boolean stdinTty;
  boolean stdoutTty;
  boolean stderrTty;

  private final DataInputStream in;
  private final OutputStream out;
  private final LinkedBlockingQueue<Frames.Frame> replies = new LinkedBlockingQueue<>();
  private volatile Cancellation cancellation;
  private volatile boolean interrupted;
  private volatile boolean gone;
  private Thread reader;
  private volatile boolean sessionless = true;

  /** The signal that cancels the run: the client's Ctrl-C (INT), SIGTERM or SIGHUP; or ours. */
  private volatile int signal = 2;

  private final WarmServer.Runner runner;
  private final KeptConnections kept;

  WarmRun(DataInputStream in, OutputStream out, WarmServer.Runner runner, KeptConnections kept) {
    this.in = in;
    this.out = out;
    this.runner = runner;
    this.kept = kept;
  }

  /** Reads the request up to its verb (R, Q or K); null when the client hung up first. */
  Character readRequest() throws IOException {
    for (Frames.Frame f = Frames.read(in); f != null; f = Frames.read(in)) {
      switch (f.type()) {
        case 'A' -> args.add(f.text());
        case 'E' -> {
          String kv = f.text();
          int eq = kv.indexOf('=');
          if (eq > 0) {
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
          }
        }
        case 'D' -> cwd = Path.of(f.text());
        case 'U' -> umask = f.text();
        case 'T' -> {
          String t = f.text() + "000";
          stdinTty = t.charAt(0) == '1';
          stdoutTty = t.charAt(1) == '1';
          stderrTty = t.charAt(2) == '1';
        }
        case 'S' -> {
          String[] rc = f.text().strip().split(" ");
          // The terminal's width, for output laid out to it (as the launcher gives a cold run).
          if (rc.length == 2 && rc[1].matches("[1-9][0-9]{0,4}")) {
            env.putIfAbsent("JBOLT_COLUMNS", rc[1]);
          }
        }
        case 'R', 'Q', 'K' -> {
          verbText = f.text();
          return f.type();
        }
        default -> {}
      }
    }
    return null;
  }

  void send(char type, String text) {
    try {
      Frames.write(out, type, text);
    } catch (IOException e) {
      gone = true;
    }
  }

  /** Runs jbolt for the client; returns the exit code, for {@link #finish}. */
  int run() {
    reader = Thread.ofPlatform().daemon().name("jbolt-warm-client").start(this::listen);
    PrintStream stdout = new PrintStream(new Sink('o'), true, StandardCharsets.UTF_8);
    PrintStream stderr = new PrintStream(new Sink('e'), true, StandardCharsets.UTF_8);
    Console console =
        new Console(
            stdout,
            stderr,
            new Stdin(),
            cwd,
            Map.copyOf(env),
            new Tty(),
            stdoutTty,
            stderrTty,
            kept,
            RunScope.fresh()); // this run's secrets and log, not the previous run's
    int code = runner.run(console, args.toArray(String[]::new));
    stdout.flush();
    stderr.flush();
    return code;
  }

  /**
   * Sends the client the run's exit code, unless it is gone or has one already, then stops reading
   * from it (interrupting the reader closes the socket, so it comes last).
   */
  void finish(int code) {
    if (!gone) {
      send('x', String.valueOf(code));
    }
    reader.interrupt();
  }

  /** The client's frames during the run: Ctrl-C, stdin, answers; its end cancels the run. */
  private void listen() {
    try {
      for (Frames.Frame f = Frames.read(in); f != null; f = Frames.read(in)) {
        if (f.type() == 'C') {
          signal = Interrupts.SIGNALS.getOrDefault(f.text(), 2);
          interrupt();
        } else {
          replies.add(f);
        }
      }
    } catch (IOException e) {
      // the client went away
    }
    gone = true;
    replies.add(new Frames.Frame('i', new byte[0]));
    interrupt();
  }

  /** The warm process itself got SIGTERM or SIGHUP: the run ends as the client's would. */
  void terminate(int number) {
    signal = number;
    interrupt();
  }

  /**
   * Ctrl-C: cancels the run's session; a command that has none (it only reads the project) ends for
   * the client at once with 130, as SIGINT ends a process of its own.
   */
  private void interrupt() {
    interrupted = true;
    Cancellation c = cancellation;
    if (c != null) {
      Thread.ofPlatform().daemon().name("jbolt-cancel").start(c::cancel);
    } else if (!gone && sessionless) {
      send('x', String.valueOf(128 + signal));
      gone = true;
    }
  }

  private Frames.Frame reply() {
    try {
      return replies.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Frames.Frame('i', new byte[0]);
    }
  }

  /** Output to the client; after it went away, nowhere. */
  private final class Sink extends OutputStream {
    private final char type;

    Sink(char type) {
      this.type = type;
    }

    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (!gone && len > 0) {
        try {
          Frames.write(out, type, b, off, len);
        } catch (IOException e) {
          gone = true;
        }
      }
    }
  }

  /** The client's stdin, read only when the run asks for it (as a process of its own would). */
  private final class Stdin extends InputStream {
    private byte[] buf = new byte[0];
    private int pos;
    private boolean eof;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      while (pos >= buf.length) {
        if (eof || gone) {
          return -1;
        }
        send('r', String.valueOf(Math.max(len, 8192)));
        Frames.Frame f = reply();
        if (f.type() == 'I') {
          buf = f.data();
          pos = 0;
        } else {
          eof = true;
        }
      }
      int n = Math.min(len, buf.length - pos);
      System.arraycopy(buf, pos, b, off, n);
      pos += n;
      return n;
    }
  }

  /** The client's terminal: it asks the questions (not echoed) and sends Ctrl-C. */
  private final class Tty implements Console.Terminal {
    @Override
    public String ask(String message, boolean secret) {
      if (!stdinTty || gone) {
        return null;
      }
      send('q', (secret ? "s" : "p") + message + ": ");
      Frames.Frame f = reply();
      if (f.type() != 'P') {
        return "";
      }
      return new String(f.data(), StandardCharsets.UTF_8).replaceFirst("\r?\n$", "");
    }

    @Override
    public AutoCloseable onInterrupt(Cancellation c) {
      sessionless = false;
      cancellation = c;
      if (interrupted) {
        interrupt();
      }
      return () -> cancellation = null;
    }

    @Override
    public int cancelledExit() {
      return 128 + signal;
    }
  }
}
