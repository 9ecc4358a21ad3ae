package dev.jbolt.transport.ssh;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import javax.crypto.KEM;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;
import org.apache.sshd.common.kex.MontgomeryCurve;

/**
 * {@code mlkem768x25519-sha256} (OpenSSH 9.9's default exchange) on the JDK's own ML-KEM (Java 24+)
 * and X25519, so that the first exchange a current OpenSSH server takes needs no BouncyCastle
 * (MINA's own ML-KEM is BouncyCastle's, whose signed jar misses the start-up cache). Only the
 * client side: jbolt never serves SSH.
 */
final class JdkMlKem extends HybridKex {
  static final String NAME = "mlkem768x25519-sha256";
  static final JdkMlKem INSTANCE = new JdkMlKem();

  /** ML-KEM-768: a 1,184-byte public key, a 1,088-byte ciphertext, a 32-byte secret. */
  private static final int PUBLIC_KEY = 1184;

  private static final int CIPHERTEXT = 1088;
  private static final boolean SUPPORTED = probe();

  private JdkMlKem() {
    super(NAME, BuiltinDigests.sha256);
  }

  private static boolean probe() {
    try {
      KeyPairGenerator.getInstance("ML-KEM-768");
      KEM.getInstance("ML-KEM");
      return MontgomeryCurve.x25519.isSupported();
    } catch (Exception | LinkageError e) {
      return false; // Java 21-23: the exchange is not offered
    }
  }

  @Override
  public boolean isSupported() {
    return SUPPORTED;
  }

  @Override
  KeyEncapsulationMethod.Client client() {
    return new JdkClient();
  }

  private static final class JdkClient implements KeyEncapsulationMethod.Client {
    private KeyPair pair;

    @Override
    public void init() {
      try {
        pair = KeyPairGenerator.getInstance("ML-KEM-768").generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("ML-KEM-768: " + e.getMessage(), e);
      }
    }

    /** The raw public key: the end of its X.509 encoding (a fixed header, then the key). */
    @Override
    public byte[] getPublicKey() {
      byte[] spki = pair.getPublic().getEncoded();
      return Arrays.copyOfRange(spki, spki.length - PUBLIC_KEY, spki.length);
    }

    @Override
    public byte[] extractSecret(byte[] encapsulated) {
      if (encapsulated.length != CIPHERTEXT) {
        throw new IllegalArgumentException(
            "ML-KEM-768 ciphertext of " + encapsulated.length + " bytes, not " + CIPHERTEXT);
      }
      try {
        return KEM.getInstance("ML-KEM")
            .newDecapsulator(pair.getPrivate())
            .decapsulate(encapsulated)
            .getEncoded();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("ML-KEM-768: " + e.getMessage(), e);
      }
    }

    @Override
    public int getEncapsulationLength() {
      return CIPHERTEXT;
    }
  }
}
