package dev.jbolt.transport.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.crypto.KeyAgreement;
import org.apache.sshd.common.kex.AbstractDH;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.MontgomeryCurve;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeKEMGenerator;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeKeyPairGenerator;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimeParameters;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimePrivateKeyParameters;
import org.bouncycastle.pqc.crypto.ntruprime.SNTRUPrimePublicKeyParameters;
import org.junit.jupiter.api.Test;

/**
 * jbolt's sntrup761 key generation against BouncyCastle's: the same key to the byte from the same
 * random bytes, and secrets that BouncyCastle's encapsulation and decapsulation agree on. (Every
 * SSH test against OpenSSH 9.2 negotiates this exchange too.)
 */
class SntrupTest {
  /** A SecureRandom that hands out a fixed stream of bytes: both generators read the same. */
  private static final class Replay extends SecureRandom {
    private final Random stream;

    Replay(long seed) {
      super(new byte[0]);
      stream = new Random(seed);
    }

    @Override
    public void nextBytes(byte[] bytes) {
      stream.nextBytes(bytes);
    }
  }

  @Test
  void theSameKeyAsBouncyCastleFromTheSameRandomBytes() {
    for (long seed = 1; seed <= 40; seed++) {
      Sntrup761.Keys ours = Sntrup761.generate(new Replay(seed));
      SNTRUPrimeKeyPairGenerator bc = new SNTRUPrimeKeyPairGenerator();
      bc.init(
          new SNTRUPrimeKeyGenerationParameters(new Replay(seed), SNTRUPrimeParameters.sntrup761));
      AsymmetricCipherKeyPair theirs = bc.generateKeyPair();
      SNTRUPrimePrivateKeyParameters sk = (SNTRUPrimePrivateKeyParameters) theirs.getPrivate();
      assertArrayEquals(
          ((SNTRUPrimePublicKeyParameters) theirs.getPublic()).getEncoded(),
          ours.publicKey(),
          "public key, seed " + seed);
      assertArrayEquals(sk.getF(), ours.f(), "f, seed " + seed);
      assertArrayEquals(sk.getGinv(), ours.ginv(), "1/g, seed " + seed);
      assertArrayEquals(sk.getRho(), ours.rho(), "rho, seed " + seed);
      assertArrayEquals(sk.getHash(), ours.hash(), "hash, seed " + seed);
    }
  }

  @Test
  void bouncyCastleEncapsulatesToOurKeyAndDecapsulatesWithIt() {
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < 20; i++) {
      Sntrup761.Keys k = Sntrup761.generate(random);
      assertEquals(1158, k.publicKey().length);
      SecretWithEncapsulation enc =
          new SNTRUPrimeKEMGenerator(random)
              .generateEncapsulated(
                  new SNTRUPrimePublicKeyParameters(SNTRUPrimeParameters.sntrup761, k.publicKey()));
      byte[] secret = SntrupKex.extractor(k).extractSecret(enc.getEncapsulation());
      assertArrayEquals(enc.getSecret(), secret);
      // a tampered ciphertext gives another (implicitly rejected) secret, not an exception
      byte[] bad = enc.getEncapsulation().clone();
      bad[7] ^= 1;
      byte[] other = SntrupKex.extractor(k).extractSecret(bad);
      assertFalse(Arrays.equals(secret, other));
    }
  }

  /**
   * The hybrid exchanges hash the X25519 secret as its 32 raw bytes: one secret in 256 starts with
   * a zero byte, and stripping it (as curve25519-sha256's mpint does) failed that many handshakes.
   */
  @Test
  void theX25519HalfKeepsALeadingZeroByte() throws Exception {
    List<DHFactory> hybrids = new ArrayList<>();
    hybrids.add(SntrupKex.INSTANCE);
    if (JdkMlKem.INSTANCE.isSupported()) {
      hybrids.add(JdkMlKem.INSTANCE);
    }
    for (var factory : hybrids) {
      AbstractDH dh = factory.create();
      PublicKey ours = MontgomeryCurve.x25519.decode(dh.getE());
      for (int tries = 0; ; tries++) {
        KeyPair server = MontgomeryCurve.x25519.generateKeyPair();
        KeyAgreement ka = MontgomeryCurve.x25519.createKeyAgreement();
        ka.init(server.getPrivate());
        ka.doPhase(ours, true);
        byte[] shared = ka.generateSecret();
        if (shared[0] == 0) {
          dh.setF(MontgomeryCurve.x25519.encode(server.getPublic()));
          assertArrayEquals(shared, dh.getK(), factory.getName());
          break;
        }
        assertTrue(tries < 20_000, "no secret with a leading zero in 20,000 tries");
      }
    }
  }

  /** The reciprocals, checked by multiplying back: g (1/g) = 1 in R/3, 3 f (1/(3 f)) = 1 in R/q. */
  @Test
  void theReciprocalsAreReciprocals() {
    Random random = new Random(11);
    int none = 0;
    for (int n = 0; n < 200; n++) {
      byte[] g = new byte[Sntrup761.P];
      for (int i = 0; i < g.length; i++) {
        g[i] = (byte) (random.nextInt(3) - 1);
      }
      byte[] inv = new byte[Sntrup761.P];
      if (Sntrup761.r3Reciprocal(inv, g)) {
        int[] product = times(g, inv, 3);
        assertEquals(1, product[0]);
        for (int i = 1; i < product.length; i++) {
          assertEquals(0, product[i], "coefficient " + i);
        }
      } else {
        none++;
      }
      int[] finv3 = new int[Sntrup761.P];
      Sntrup761.rqReciprocal3(finv3, g);
      int[] h = Sntrup761.multiply(finv3, g);
      assertEquals(Math.floorMod(Sntrup761.freezeQ(3 * h[0]), Sntrup761.Q), 1);
      for (int i = 1; i < h.length; i++) {
        assertEquals(0, Sntrup761.freezeQ(3 * h[i]), "coefficient " + i);
      }
    }
    assertEquals(0, none, "random g without a reciprocal in R/3: possible, but not for these 200");
    assertFalse(Sntrup761.r3Reciprocal(new byte[Sntrup761.P], new byte[Sntrup761.P]), "zero");
  }

  /** a b mod (x^p - x - 1) with coefficients mod m, as 0 .. m-1; schoolbook, for the test. */
  private static int[] times(byte[] a, byte[] b, int m) {
    int p = Sntrup761.P;
    long[] ab = new long[2 * p - 1];
    for (int i = 0; i < p; i++) {
      for (int j = 0; j < p; j++) {
        ab[i + j] += a[i] * b[j];
      }
    }
    for (int i = 2 * p - 2; i >= p; i--) {
      ab[i - p] += ab[i];
      ab[i - p + 1] += ab[i];
    }
    int[] out = new int[p];
    for (int i = 0; i < p; i++) {
      out[i] = (int) Math.floorMod(ab[i], (long) m);
    }
    return out;
  }

  @Test
  void freezeIsTheCentredRemainder() {
    for (int x = -11_000_000; x <= 11_000_000; x++) { // every value the arithmetic can reach
      int want = Math.floorMod(x, Sntrup761.Q);
      if (want > (Sntrup761.Q - 1) / 2) {
        want -= Sntrup761.Q;
      }
      assertEquals(want, Sntrup761.freezeQ(x), "x = " + x);
    }
  }

  @Test
  void theSortingNetworkSortsAsUnsignedWords() {
    Random r = new Random(3);
    for (int n : new int[] {2, 3, 5, 761, 1024}) {
      int[] x = r.ints(n).toArray();
      x[0] = -1; // the largest unsigned word
      int[] want =
          Arrays.stream(x)
              .mapToLong(v -> v & 0xffffffffL)
              .sorted()
              .mapToInt(v -> (int) v)
              .toArray();
      Sntrup761.sortUnsigned(x);
      assertArrayEquals(want, x);
    }
  }
}
