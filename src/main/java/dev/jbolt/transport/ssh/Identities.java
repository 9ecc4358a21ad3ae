package dev.jbolt.transport.ssh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The keys a session offers: the target's {@code private-key} (a path or inline {@code key-data}),
 * or else the usual ~/.ssh/id_* files. Keys are parsed once per run, not once per target; a bastion
 * reached through {@code proxyjump} is offered the same keys.
 */
final class Identities implements KeyIdentityProvider {
  private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_ecdsa", "id_rsa");

  private final Map<String, List<KeyPair>> cache = new ConcurrentHashMap<>();

  @Override
  public Iterable<KeyPair> loadKeys(SessionContext session)
      throws IOException, GeneralSecurityException {
    SshSettings s = settings(session);
    if (s != null && s.privateKeyData() != null) {
      return load(
          "data:" + s.privateKeyData().reveal().hashCode(),
          () ->
              new ByteArrayInputStream(
                  s.privateKeyData().reveal().getBytes(StandardCharsets.UTF_8)),
          session);
    }
    if (s != null && s.privateKeyPath() != null) {
      Path p = Path.of(s.privateKeyPath());
      return load(p.toString(), () -> Files.newInputStream(p), session);
    }
    List<KeyPair> out = new ArrayList<>();
    for (String name : DEFAULT_KEYS) {
      Path p = Path.of(System.getProperty("user.home"), ".ssh", name);
      if (Files.isReadable(p)) {
        try {
          out.addAll(load(p.toString(), () -> Files.newInputStream(p), session));
        } catch (IOException | GeneralSecurityException e) {
          // An encrypted or odd default key is skipped, as ssh does without an agent.
        }
      }
    }
    return out;
  }

  private static SshSettings settings(SessionContext session) {
    if (session instanceof ClientSession cs) {
      AttributeRepository ctx = cs.getConnectionContext();
      return ctx == null ? null : ctx.getAttribute(HostKeys.SETTINGS);
    }
    return null;
  }

  /**
   * Checks a configured key can be read and parsed: a bad key is bad input, found before running.
   */
  void check(SshSettings s) throws IOException, GeneralSecurityException {
    if (s.privateKeyPath() != null) {
      Path p = Path.of(s.privateKeyPath());
      load(p.toString(), () -> Files.newInputStream(p), null);
    } else if (s.privateKeyData() != null) {
      load(
          "data:" + s.privateKeyData().reveal().hashCode(),
          () ->
              new ByteArrayInputStream(
                  s.privateKeyData().reveal().getBytes(StandardCharsets.UTF_8)),
          null);
    }
  }

  private interface Opener {
    InputStream open() throws IOException;
  }

  private List<KeyPair> load(String key, Opener opener, SessionContext session)
      throws IOException, GeneralSecurityException {
    List<KeyPair> cached = cache.get(key);
    if (cached != null) {
      return cached;
    }
    List<KeyPair> keys = new ArrayList<>();
    try (InputStream in = opener.open()) {
      Iterable<KeyPair> it =
          SecurityUtils.loadKeyPairIdentities(
              session,
              NamedResource.ofName(key.startsWith("data:") ? "private-key key-data" : key),
              in,
              FilePasswordProvider.EMPTY);
      if (it != null) {
        it.forEach(keys::add);
      }
    }
    if (keys.isEmpty()) {
      throw new GeneralSecurityException(
          "no private key found in " + (key.startsWith("data:") ? "key-data" : key));
    }
    cache.put(key, keys);
    return keys;
  }
}
