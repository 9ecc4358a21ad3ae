package dev.jbolt.transport.ssh;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import javax.crypto.KEM;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.digest.Digest;
import org.apache.sshd.common.kex.AbstractDH;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;
import org.apache.sshd.common.kex.MontgomeryCurve;
import org.apache.sshd.common.kex.XDH;

/**
 * {@code mlkem768x25519-sha256} (OpenSSH 9.9's default exchange) on the JDK's own ML-KEM (Java 24+)
 * and X25519, so that the first exchange a current OpenSSH server takes needs no BouncyCastle
 * (MINA's own ML-KEM is BouncyCastle's, whose signed jar misses the start-up cache). Only the
 * client side: jbolt never serves SSH.
 */
final class JdkMlKem implements DHFactory {
  static final String NAME = "mlkem768x25519-sha256";
  static final JdkMlKem INSTANCE = new JdkMlKem();

  /** ML-KEM-768: a 1,184-byte public key, a 1,088-byte ciphertext, a 32-byte secret. */
  private static final int PUBLIC_KEY = 1184;

  private static final int CIPHERTEXT = 1088;
  private static final boolean SUPPORTED = probe();

  private JdkMlKem() {}

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
  public String getName() {
    return NAME;
  }

  @Override
  public boolean isSupported() {
    return SUPPORTED;
  }

  @Override
  public boolean isGroupExchange() {
    return false;
  }

  @Override
  public AbstractDH create(Object... params) throws Exception {
    return new XDH(MontgomeryCurve.x25519, true) { // raw: the 32 bytes of the secret, zeros kept
      @Override
      public KeyEncapsulationMethod getKeyEncapsulation() {
        return KEM_768;
      }

      @Override
      public Digest getHash() {
        return BuiltinDigests.sha256.create();
      }
    };
  }

  private static final KeyEncapsulationMethod KEM_768 =
      new KeyEncapsulationMethod() {
        @Override
        public Client getClient() {
          return new JdkClient();
        }

        @Override
        public Server getServer() {
          throw new UnsupportedOperationException("jbolt's ML-KEM is a client's only");
        }
      };

  private static final class JdkClient implements KeyEncapsulationMethod.Client {
    private KeyPair pair;

    @Override
    public void init() {
      try {
        pair = KeyPairGenerator.getInstance("ML-KEM-768").generateKeyPair();
      } catch (java.security.GeneralSecurityException e) {
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
      } catch (java.security.GeneralSecurityException e) {
        throw new IllegalStateException("ML-KEM-768: " + e.getMessage(), e);
      }
    }

    @Override
    public int getEncapsulationLength() {
      return CIPHERTEXT;
    }
  }
}
