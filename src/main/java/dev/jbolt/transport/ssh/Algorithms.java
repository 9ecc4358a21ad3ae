package dev.jbolt.transport.ssh;

import dev.jbolt.JboltException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.BaseBuilder;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.mac.Mac;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.signature.Signature;

/**
 * The algorithms a session offers. The key exchanges follow a current OpenSSH client's order
 * ({@link #KEX_POLICY}: ML-KEM, then sntrup761, then curve25519); a target's inventory ({@code
 * kex-algorithms}, {@code encryption-algorithms}, {@code host-key-algorithms}, {@code
 * mac-algorithms}, Bolt's settings) or else ~/.ssh/config ({@code KexAlgorithms}, {@code Ciphers},
 * {@code HostKeyAlgorithms}, {@code MACs}, with OpenSSH's {@code +}, {@code -} and {@code ^}) may
 * choose others. A null list is the default.
 */
public record Algorithms(
    List<String> kex, List<String> ciphers, List<String> hostKeys, List<String> macs) {
  static final Algorithms DEFAULT = new Algorithms(null, null, null, null);

  /** OpenSSH 9.9's KexAlgorithms, of which jbolt has all but none. */
  static final List<String> KEX_POLICY =
      List.of(
          "mlkem768x25519-sha256",
          "sntrup761x25519-sha512",
          "sntrup761x25519-sha512@openssh.com",
          "curve25519-sha256",
          "curve25519-sha256@libssh.org",
          "ecdh-sha2-nistp256",
          "ecdh-sha2-nistp384",
          "ecdh-sha2-nistp521",
          "diffie-hellman-group-exchange-sha256",
          "diffie-hellman-group16-sha512",
          "diffie-hellman-group18-sha512",
          "diffie-hellman-group14-sha256");

  /**
   * The key exchanges this client has, in the policy's order, then MINA's. Apart from {@link
   * Available}: the other kinds need a whole MINA client built (about 20 ms of a cold run), which
   * only a setting that names ciphers, MACs or host key algorithms asks for.
   */
  private static final class Kex {
    static final Map<String, KeyExchangeFactory> KEX = new LinkedHashMap<>();

    static {
      Map<String, KeyExchangeFactory> builtin = builtinKex();
      if (JdkMlKem.INSTANCE.isSupported()) { // the JDK's, in place of BouncyCastle's
        builtin.put(JdkMlKem.NAME, ClientBuilder.DH2KEX.apply(JdkMlKem.INSTANCE));
      }
      for (SntrupKex k : new SntrupKex[] {SntrupKex.INSTANCE, SntrupKex.OPENSSH}) {
        if (k.isSupported()) { // jbolt's key generation (9 ms a key, BouncyCastle's 34)
          builtin.put(k.getName(), ClientBuilder.DH2KEX.apply(k));
        }
      }
      for (String n : KEX_POLICY) {
        if (builtin.containsKey(n)) {
          KEX.put(n, builtin.get(n));
        }
      }
      builtin.forEach(KEX::putIfAbsent); // the rest, offered only when a setting names them
    }
  }

  /** Every other algorithm this client has, by kind, in MINA's default order. */
  private static final class Available {
    /**
     * MINA's defaults for ciphers, MACs and host keys. Its key exchanges are listed by {@link
     * #builtinKex} instead: MINA's own list asks each post-quantum exchange whether it is
     * supported, which loads BouncyCastle, whose signed jar the JVM then verifies: about a quarter
     * of a cold one-target run's CPU before its first packet (JFR, 6 runs).
     */
    private static final SshClient DEFAULTS = client(List.of());

    static final Map<String, NamedFactory<Cipher>> CIPHERS = byName(c -> c.getCipherFactories());
    static final Map<String, NamedFactory<Mac>> MACS = byName(c -> c.getMacFactories());
    static final Map<String, NamedFactory<Signature>> HOST_KEYS =
        byName(c -> c.getSignatureFactories());

    private static <T extends NamedResource> Map<String, T> byName(
        Function<SshClient, List<? extends T>> list) {
      Map<String, T> out = new LinkedHashMap<>();
      for (T f : list.apply(DEFAULTS)) {
        out.put(f.getName(), f);
      }
      return out;
    }
  }

  /** A client with {@code kex} (MINA's defaults for everything else), not started. */
  static SshClient client(List<KeyExchangeFactory> kex) {
    return ClientBuilder.builder().keyExchangeFactories(kex).build();
  }

  /**
   * MINA's default key exchanges by name, as {@code setUpDefaultClient} lists them: those of
   * BouncyCastle (ML-KEM, sntrup761: on the classpath, so supported) without loading it, the others
   * as far as this Java supports them.
   */
  private static Map<String, KeyExchangeFactory> builtinKex() {
    Map<String, KeyExchangeFactory> out = new LinkedHashMap<>();
    for (BuiltinDHFactories f : BaseBuilder.DEFAULT_KEX_PREFERENCE) { // MINA's own choice of them
      String n = f.getName();
      if (n.startsWith("mlkem") || n.startsWith("sntrup") || f.isSupported()) {
        out.put(n, ClientBuilder.DH2KEX.apply(f));
      }
    }
    return out;
  }

  /** The key exchanges offered when nothing chooses: the policy's, as far as this Java has them. */
  static List<KeyExchangeFactory> defaultKex() {
    List<KeyExchangeFactory> out = new ArrayList<>();
    for (String n : KEX_POLICY) {
      if (Kex.KEX.containsKey(n)) {
        out.add(Kex.KEX.get(n));
      }
    }
    return out;
  }

  /** Bolt's four settings from a target's ssh config; a name jbolt lacks is bad input. */
  static Algorithms of(Map<String, Object> config, String where) {
    return new Algorithms(
        names(config.get("kex-algorithms"), where + "kex-algorithms", () -> Kex.KEX),
        names(
            config.get("encryption-algorithms"),
            where + "encryption-algorithms",
            () -> Available.CIPHERS),
        names(
            config.get("host-key-algorithms"),
            where + "host-key-algorithms",
            () -> Available.HOST_KEYS),
        names(config.get("mac-algorithms"), where + "mac-algorithms", () -> Available.MACS));
  }

  private static List<String> names(
      Object v, String what, Supplier<? extends Map<String, ?>> known) {
    if (v == null) {
      return null;
    }
    Map<String, ?> available = known.get();
    List<String> out = new ArrayList<>();
    if (v instanceof List<?> l) {
      l.forEach(x -> out.add(String.valueOf(x).strip()));
    } else {
      for (String s : String.valueOf(v).split(",")) {
        out.add(s.strip());
      }
    }
    out.removeIf(String::isEmpty);
    for (String n : out) {
      if (!available.containsKey(n)) {
        throw new JboltException(
            what + ": jbolt has no '" + n + "'; it has " + String.join(", ", available.keySet()));
      }
    }
    if (out.isEmpty()) {
      throw new JboltException(what + ": give at least one algorithm");
    }
    return List.copyOf(out);
  }

  /** Where the inventory chose nothing, what ~/.ssh/config's entry for the host says. */
  Algorithms withConfig(HostConfigEntry entry) {
    if (entry == null) {
      return this;
    }
    return new Algorithms(
        kex != null
            ? kex
            : openssh(entry, "KexAlgorithms", () -> Kex.KEX, defaultNames(defaultKex())),
        ciphers != null ? ciphers : openssh(entry, "Ciphers", () -> Available.CIPHERS, null),
        hostKeys != null
            ? hostKeys
            : openssh(entry, "HostKeyAlgorithms", () -> Available.HOST_KEYS, null),
        macs != null ? macs : openssh(entry, "MACs", () -> Available.MACS, null));
  }

  /**
   * {@link #openssh(HostConfigEntry, String, List, Map)} for {@code key}, when the entry sets it:
   * the algorithms ({@code known}) are only listed then; {@code defaults} null for all of them.
   */
  private static List<String> openssh(
      HostConfigEntry entry,
      String key,
      Supplier<? extends Map<String, ?>> known,
      List<String> defaults) {
    String v = entry.getProperty(key);
    if (v == null || v.isBlank()) {
      return null;
    }
    Map<String, ?> available = known.get();
    return openssh(
        entry, key, defaults != null ? defaults : List.copyOf(available.keySet()), available);
  }

  private static List<String> defaultNames(List<KeyExchangeFactory> fs) {
    return fs.stream().map(NamedResource::getName).toList();
  }

  /**
   * An ssh_config value as OpenSSH reads it: {@code +a,b} after the defaults, {@code -a,b} (with
   * {@code *} and {@code ?}) taken out of them, {@code ^a,b} before them, else the list itself.
   * Names jbolt does not have are left out, as they could not be offered anyway.
   */
  static List<String> openssh(
      HostConfigEntry entry, String key, List<String> defaults, Map<String, ?> available) {
    String v = entry.getProperty(key);
    if (v == null || v.isBlank()) {
      return null;
    }
    v = v.strip();
    char op = v.charAt(0);
    List<String> given = new ArrayList<>();
    for (String s : (op == '+' || op == '-' || op == '^' ? v.substring(1) : v).split("[,\\s]+")) {
      if (!s.isEmpty()) {
        given.add(s);
      }
    }
    List<String> out = new ArrayList<>();
    switch (op) {
      case '+' -> {
        out.addAll(defaults);
        given.stream().filter(n -> !out.contains(n)).forEach(out::add);
      }
      case '-' ->
          defaults.stream()
              .filter(n -> given.stream().noneMatch(g -> glob(g, n)))
              .forEach(out::add);
      case '^' -> {
        out.addAll(given);
        defaults.stream().filter(n -> !out.contains(n)).forEach(out::add);
      }
      default -> out.addAll(given);
    }
    out.removeIf(n -> !available.containsKey(n));
    if (out.isEmpty()) {
      throw new JboltException(
          "~/.ssh/config: " + key + " " + v + " leaves no algorithm jbolt has");
    }
    return List.copyOf(out);
  }

  private static boolean glob(String pattern, String name) {
    String re =
        Pattern.quote(pattern.toLowerCase(Locale.ROOT))
            .replace("*", "\\E.*\\Q")
            .replace("?", "\\E.\\Q");
    return name.toLowerCase(Locale.ROOT).matches(re);
  }

  /** A session's choice, in its connection context (see {@link #LISTENER}). */
  static final AttributeKey<Algorithms> KEY = new AttributeKey<>();

  /**
   * Offers each new session its connection's algorithms before the key exchange starts, and says at
   * debug level what was negotiated.
   */
  static final SessionListener LISTENER =
      new SessionListener() {
        @Override
        public void sessionCreated(Session session) {
          Algorithms a = of(session);
          if (a != null) {
            a.apply((ClientSession) session);
          }
        }

        @Override
        public void sessionNegotiationOptionsCreated(
            Session session, Map<KexProposalOption, String> proposal) {
          Algorithms a = of(session);
          if (a != null) {
            a.propose(proposal);
          }
        }

        @Override
        public void sessionNegotiationEnd(
            Session session,
            Map<KexProposalOption, String> client,
            Map<KexProposalOption, String> server,
            Map<KexProposalOption, String> negotiated,
            Throwable reason) {
          if (reason == null && negotiated != null) {
            ConnectionContext.log(session)
                .debug(
                    "negotiated with "
                        + session.getIoSession().getRemoteAddress()
                        + ": kex "
                        + negotiated.get(KexProposalOption.ALGORITHMS)
                        + ", host key "
                        + negotiated.get(KexProposalOption.SERVERKEYS)
                        + ", cipher "
                        + negotiated.get(KexProposalOption.C2SENC)
                        + ", mac "
                        + negotiated.get(KexProposalOption.C2SMAC));
          }
        }

        private static Algorithms of(Session session) {
          AttributeRepository ctx =
              session instanceof ClientSession cs ? cs.getConnectionContext() : null;
          return ctx == null ? null : ctx.getAttribute(KEY);
        }
      };

  /** Offers these algorithms on {@code session}, before its key exchange starts. */
  void apply(ClientSession session) {
    if (kex != null) {
      session.setKeyExchangeFactories(pick(kex, Kex.KEX));
    }
    if (ciphers != null) {
      session.setCipherFactories(pick(ciphers, Available.CIPHERS));
    }
    if (macs != null) {
      session.setMacFactories(pick(macs, Available.MACS));
    }
  }

  /**
   * The host key algorithms asked of the server, in the proposal only: MINA's signature factories
   * also sign the user's own key, which OpenSSH's HostKeyAlgorithms leaves alone.
   */
  void propose(Map<KexProposalOption, String> proposal) {
    if (hostKeys != null) {
      proposal.put(KexProposalOption.SERVERKEYS, String.join(",", hostKeys));
    }
  }

  private static <T> List<T> pick(List<String> names, Map<String, T> available) {
    return names.stream().map(available::get).toList();
  }
}
