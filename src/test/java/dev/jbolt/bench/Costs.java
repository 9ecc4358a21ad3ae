package dev.jbolt.bench;

import dev.jbolt.inventory.InventoryParser;
import dev.jbolt.inventory.Target;
import dev.jbolt.testing.Projects;
import dev.jbolt.testing.Sshd;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.ssh.SshTransport;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * Where the time of an SSH action goes, measured on real OpenSSH: connect+auth per key exchange
 * algorithm, and one more command on an open session as an exec channel (what jbolt does) against a
 * persistent remote shell fed framed commands (what Mitogen and Ansible pipelining do).
 */
public final class Costs {
  private static final int CONNECTS = 30;
  private static final int COMMANDS = 200;

  public static void main(String[] args) throws Exception {
    try (Sshd sshd = Sshd.start()) {
      KeyPair key;
      try (var in = Files.newInputStream(sshd.key())) {
        key =
            SecurityUtils.loadKeyPairIdentities(
                    null, NamedResource.ofName("k"), in, FilePasswordProvider.EMPTY)
                .iterator()
                .next();
      }
      System.out.println("| key exchange | connect+auth, median of " + CONNECTS + " |");
      System.out.println("|---|---|");
      for (String kex :
          List.of(
              "default",
              "sntrup761x25519-sha512@openssh.com",
              "mlkem768x25519-sha256",
              "curve25519-sha256",
              "ecdh-sha2-nistp256")) {
        BuiltinDHFactories f = BuiltinDHFactories.fromFactoryName(kex);
        if (f != null && !f.isSupported()) {
          System.out.printf(
              Locale.ROOT,
              "| %s | not available: MINA implements it only with BouncyCastle |%n",
              kex);
          continue;
        }
        SshClient c = client(kex, key);
        List<Double> ms = new ArrayList<>();
        String negotiated = "";
        try (ClientSession s =
            c.connect(sshd.user(), "127.0.0.1", sshd.port()).verify(10_000).getSession()) {
          s.auth().verify(10_000);
        } catch (SshException e) {
          System.out.printf(Locale.ROOT, "| %s | this sshd does not offer it |%n", kex);
          c.stop();
          continue;
        }
        for (int i = 0; i < CONNECTS + 3; i++) {
          long t0 = System.nanoTime();
          try (ClientSession s =
              c.connect(sshd.user(), "127.0.0.1", sshd.port()).verify(10_000).getSession()) {
            s.auth().verify(10_000);
            if (i >= 3) {
              ms.add((System.nanoTime() - t0) / 1e6);
            }
            negotiated =
                String.valueOf(s.getKexState()).isEmpty()
                    ? ""
                    : s.getNegotiatedKexParameter(KexProposalOption.ALGORITHMS);
          }
        }
        c.stop();
        System.out.printf(
            Locale.ROOT, "| %s (negotiated %s) | %.1f ms |%n", kex, negotiated, median(ms));
      }

      SshClient c = client("default", key);
      try (ClientSession s =
          c.connect(sshd.user(), "127.0.0.1", sshd.port()).verify(10_000).getSession()) {
        s.auth().verify(10_000);
        List<Double> exec = new ArrayList<>();
        for (int i = 0; i < COMMANDS; i++) {
          long t0 = System.nanoTime();
          try (ChannelExec ch = s.createExecChannel("true")) {
            ch.setOut(OutputStream.nullOutputStream());
            ch.setErr(OutputStream.nullOutputStream());
            ch.open().verify(10_000);
            ch.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), 10_000);
          }
          exec.add((System.nanoTime() - t0) / 1e6);
        }
        // A kept-open shell fed framed commands: the builtin alone (what Mitogen-like pipelining
        // costs at best); a user's command in its own subshell with no input (one fork); and the
        // same with an exec channel's end (the command has ended when every holder of its stdout
        // and stderr closed them, not when it exits: a cat on each stream waits for that).
        String[][] variants = {
          {"persistent shell, the builtin `true`, framed output", "true"},
          {
            "persistent shell, `( eval 'true' ) </dev/null` (a user's command: a subshell)",
            "( eval 'true' ) </dev/null"
          },
          {
            "persistent shell, `setsid \"$SHELL\" -c 'eval true'` (jbolt, a user's command"
                + " after the first)",
            "setsid \"$SHELL\" -c 'eval true' sh </dev/null"
          },
          {
            "persistent shell, as an exec channel ends (a cat on stdout and on stderr)",
            "{ { { ( eval 'true' ) </dev/null 5>&-; echo $? >&5; } 2>&1 1>&3 3>&- | cat 1>&2; }"
                + " 3>&1 | cat; } 5>/dev/null"
          }
        };
        List<String> rows = new ArrayList<>();
        for (String[] v : variants) {
          List<Double> shell = new ArrayList<>();
          try (ChannelExec sh = s.createExecChannel("sh")) {
            sh.setErr(OutputStream.nullOutputStream());
            sh.open().verify(10_000);
            OutputStream in = sh.getInvertedIn();
            InputStream out = sh.getInvertedOut();
            for (int i = 0; i < COMMANDS; i++) {
              long t0 = System.nanoTime();
              String marker = "__jbolt_" + i + "__";
              in.write(
                  (v[1] + "; printf '\\n" + marker + " %d\\n' $?\n")
                      .getBytes(StandardCharsets.UTF_8));
              in.flush();
              readUntil(out, marker);
              shell.add((System.nanoTime() - t0) / 1e6);
            }
          }
          rows.add(String.format(Locale.ROOT, "| %s | %.2f ms |", v[0], median(shell)));
        }
        System.out.println();
        System.out.println("| one more `true` on an open session | median of " + COMMANDS + " |");
        System.out.println("|---|---|");
        System.out.printf(
            Locale.ROOT,
            "| exec channel (jbolt: a target's first command, or one with input) | %.2f ms |%n",
            median(exec));
        rows.forEach(System.out::println);
      }
      c.stop();
      housekeeping(sshd);
    }
  }

  /**
   * What a task or script run spends on jbolt's own commands (mktemp, chmod, rm) on an open
   * connection: each on an exec channel, or through the connection's kept-open shell (runOwn).
   */
  private static void housekeeping(Sshd sshd) throws Exception {
    Target t =
        InventoryParser.parse(
                Projects.sshConfig(sshd) + "targets: [127.0.0.1]\n",
                "inventory.yaml",
                new PrintStream(OutputStream.nullOutputStream()))
            .target("127.0.0.1")
            .orElseThrow();
    try (var transport = new SshTransport(SshTransport.Options.DEFAULT)) {
      Connection conn = transport.connection(t);
      String[] steps = {
        "d=$(mktemp -d /tmp/jbolt.XXXXXXXXXX) && echo $d", "chmod u+x %s", "rm -rf %s"
      };
      List<Double> channels = new ArrayList<>();
      List<Double> kept = new ArrayList<>();
      for (int i = 0; i < COMMANDS / 2 + 5; i++) {
        for (boolean own : new boolean[] {false, true}) {
          long t0 = System.nanoTime();
          String dir = null;
          for (String step : steps) {
            String cmd = dir == null ? step : String.format(step, dir);
            var out = own ? conn.runOwn(cmd, 10_000) : Exec.run(conn, cmd, null, 10_000, null);
            dir = dir == null ? out.stdoutText().strip() : dir;
          }
          if (i >= 5) {
            (own ? kept : channels).add((System.nanoTime() - t0) / 1e6);
          }
        }
      }
      System.out.println();
      System.out.println(
          "| mktemp + chmod + rm of one task run, on an open connection | median of "
              + channels.size()
              + " |");
      System.out.println("|---|---|");
      System.out.printf(Locale.ROOT, "| a channel each | %.2f ms |%n", median(channels));
      System.out.printf(
          Locale.ROOT,
          "| the connection's kept-open shell (what jbolt does) | %.2f ms |%n",
          median(kept));
    }
  }

  private static SshClient client(String kex, KeyPair key) {
    SshClient c = SshClient.setUpDefaultClient();
    CoreModuleProperties.TCP_NODELAY.set(c, true);
    c.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE); // a throw-away benchmark target
    c.addPublicKeyIdentity(key);
    if (!kex.equals("default")) {
      BuiltinDHFactories f = BuiltinDHFactories.fromFactoryName(kex);
      List<KeyExchangeFactory> list = new ArrayList<>();
      list.add(ClientBuilder.DH2KEX.apply(f));
      c.setKeyExchangeFactories(list);
    }
    c.start();
    return c;
  }

  private static void readUntil(InputStream in, String marker) throws Exception {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] b = new byte[4096];
    while (!buf.toString(StandardCharsets.UTF_8).contains(marker)) {
      int n = in.read(b);
      if (n < 0) {
        throw new IllegalStateException("shell closed");
      }
      buf.write(b, 0, n);
    }
  }

  private static double median(List<Double> xs) {
    List<Double> s = new ArrayList<>(xs);
    s.sort(null);
    return s.get(s.size() / 2);
  }
}
