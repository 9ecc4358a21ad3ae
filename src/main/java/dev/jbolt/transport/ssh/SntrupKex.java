package dev.jbolt.transport.ssh;

import java.security.SecureRandom;
import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;
import org.apache.sshd.common.kex.MontgomeryCurve;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeKEMExtractor;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeParameters;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimePrivateKeyParameters;

/**
 * {@code sntrup761x25519-sha512} (and its {@code @openssh.com} name), the exchange OpenSSH 9.0 to
 * 9.8 choose, with jbolt's own key generation ({@link Sntrup761}) in place of BouncyCastle's, which
 * was most of the CPU a cold run spent per target. BouncyCastle still decapsulates (about 1 ms).
 * Only the client side: jbolt never serves SSH.
 */
final class SntrupKex extends HybridKex {
  static final SntrupKex INSTANCE = new SntrupKex("sntrup761x25519-sha512");
  static final SntrupKex OPENSSH = new SntrupKex("sntrup761x25519-sha512@openssh.com");

  private static final SecureRandom RANDOM = new SecureRandom();

  private SntrupKex(String name) {
    super(name, BuiltinDigests.sha512);
  }

  @Override
  public boolean isSupported() {
    return MontgomeryCurve.x25519.isSupported();
  }

  @Override
  KeyEncapsulationMethod.Client client() {
    return new SntrupClient();
  }

  /** BouncyCastle's decapsulation with a key of {@link Sntrup761}. */
  static SNTRUPrimeKEMExtractor extractor(Sntrup761.Keys keys) {
    return new SNTRUPrimeKEMExtractor(
        new SNTRUPrimePrivateKeyParameters(
            SNTRUPrimeParameters.sntrup761,
            keys.f(),
            keys.ginv(),
            keys.publicKey(),
            keys.rho(),
            keys.hash()));
  }

  /** One exchange's key pair: made for it alone, never reused. */
  private static final class SntrupClient implements KeyEncapsulationMethod.Client {
    private Sntrup761.Keys keys;
    private SNTRUPrimeKEMExtractor extractor;

    @Override
    public void init() {
      keys = Sntrup761.generate(RANDOM);
      extractor = extractor(keys);
    }

    @Override
    public byte[] getPublicKey() {
      return keys.publicKey().clone();
    }

    @Override
    public byte[] extractSecret(byte[] encapsulated) {
      if (encapsulated.length != extractor.getEncapsulationLength()) {
        throw new IllegalArgumentException(
            "sntrup761 ciphertext of "
                + encapsulated.length
                + " bytes, not "
                + extractor.getEncapsulationLength());
      }
      return extractor.extractSecret(encapsulated);
    }

    @Override
    public int getEncapsulationLength() {
      return extractor.getEncapsulationLength();
    }
  }
}
