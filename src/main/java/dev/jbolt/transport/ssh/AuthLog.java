package dev.jbolt.transport.ssh;

import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.util.List;
import org.apache.sshd.client.auth.password.PasswordAuthenticationReporter;
import org.apache.sshd.client.auth.pubkey.PublicKeyAuthenticationReporter;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;

/**
 * Authentication for the debug log: each key offered (its type and fingerprint, never the key),
 * what the server answered, whether a password was tried (never the password).
 */
final class AuthLog {
  private AuthLog() {}

  private static String who(ClientSession s) {
    return s.getUsername()
        + "@"
        + (s.getConnectAddress() instanceof InetSocketAddress a
            ? a.getHostString() + ":" + a.getPort()
            : String.valueOf(s.getConnectAddress()));
  }

  private static String key(KeyPair k) {
    return k == null || k.getPublic() == null
        ? "a key"
        : KeyUtils.getKeyType(k.getPublic()) + " " + KeyUtils.getFingerPrint(k.getPublic());
  }

  static final PublicKeyAuthenticationReporter PUBLIC_KEY =
      new PublicKeyAuthenticationReporter() {
        @Override
        public void signalAuthenticationAttempt(
            ClientSession s, String service, KeyPair identity, String signature) {
          ConnectionContext.log(s).debug(who(s) + ": offering publickey " + key(identity));
        }

        @Override
        public void signalAuthenticationSuccess(ClientSession s, String service, KeyPair identity) {
          ConnectionContext.log(s)
              .debug(who(s) + ": authenticated with publickey " + key(identity));
        }

        @Override
        public void signalAuthenticationFailure(
            ClientSession s,
            String service,
            KeyPair identity,
            boolean partial,
            List<String> serverMethods) {
          ConnectionContext.log(s)
              .debug(
                  who(s)
                      + ": publickey "
                      + key(identity)
                      + " refused; the server allows "
                      + String.join(",", serverMethods));
        }
      };

  static final PasswordAuthenticationReporter PASSWORD =
      new PasswordAuthenticationReporter() {
        @Override
        public void signalAuthenticationAttempt(
            ClientSession s,
            String service,
            String oldPassword,
            boolean modified,
            String newPassword) {
          ConnectionContext.log(s).debug(who(s) + ": trying password authentication");
        }

        @Override
        public void signalAuthenticationSuccess(ClientSession s, String service, String password) {
          ConnectionContext.log(s).debug(who(s) + ": authenticated with a password");
        }

        @Override
        public void signalAuthenticationFailure(
            ClientSession s,
            String service,
            String password,
            boolean partial,
            List<String> serverMethods) {
          ConnectionContext.log(s)
              .debug(
                  who(s)
                      + ": password refused; the server allows "
                      + String.join(",", serverMethods));
        }
      };
}
