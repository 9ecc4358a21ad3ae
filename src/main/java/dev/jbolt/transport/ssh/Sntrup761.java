package dev.jbolt.transport.ssh;

import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * Key generation of Streamlined NTRU Prime 761 (the post-quantum half of OpenSSH 9's default {@code
 * sntrup761x25519-sha512}), written for speed: BouncyCastle's takes 34 ms a key under the
 * launcher's C1 compiler, 70% of a cold run's CPU on 100 targets; this one about 9 ms (R/3
 * bit-sliced, 64 coefficients a word; R/q with Montgomery's reduction). The key it makes is
 * BouncyCastle's, to the byte, for the same random bytes (SntrupTest checks it), and BouncyCastle
 * decapsulates with it.
 *
 * <p>From the NTRU Prime specification (p = 761, q = 4591, w = 286): g random small and invertible
 * in R/3, f random short, h = g/(3f) in R/q; public key Encode(h), secret key f, 1/g in R/3, the
 * public key, 191 random bytes and the first half of SHA-512(4 || public key). Both reciprocals use
 * the constant-time "divstep" iteration of the specification's reference design; the short
 * polynomial's positions come from a sorting network: no branch or memory access depends on a
 * secret.
 */
final class Sntrup761 {
  static final int P = 761;
  static final int Q = 4591;
  static final int W = 286;
  private static final int Q12 = (Q - 1) / 2;
  private static final long BARRETT = (1L << 32) / Q;
  private static final int OFFSET = Q12 + 2500 * Q;
  private static final int QINV = qInverse(); // 1/q mod 2^16

  private static int qInverse() {
    int inv = 1;
    for (int i = 0; i < 4; i++) {
      inv *= 2 - Q * inv; // Newton: doubles the bits of 1/q mod 2^k that are right
    }
    return (short) inv;
  }

  /** The encoded key, as BouncyCastle's SNTRUPrimePrivateKeyParameters takes it. */
  record Keys(byte[] publicKey, byte[] f, byte[] ginv, byte[] rho, byte[] hash) {}

  private Sntrup761() {}

  static Keys generate(SecureRandom random) {
    byte[] g = new byte[P];
    byte[] ginv = new byte[P];
    do {
      smallRandom(random, g);
    } while (!r3Reciprocal(ginv, g));
    byte[] f = shortRandom(random);
    int[] finv3 = new int[P];
    rqReciprocal3(finv3, f);
    int[] h = multiply(finv3, g);
    byte[] pk = encodeRq(h);
    byte[] rho = new byte[(P + 3) / 4];
    random.nextBytes(rho);
    byte[] hash;
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-512");
      sha.update((byte) 4);
      hash = Arrays.copyOf(sha.digest(pk), 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return new Keys(pk, encodeSmall(f), encodeSmall(ginv), rho, hash);
  }

  /** n random 32-bit words, little-endian from the random bytes (as the reference reads them). */
  private static int[] words(SecureRandom random, int n) {
    byte[] b = new byte[4 * n];
    random.nextBytes(b);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] =
          (b[4 * i] & 0xff)
              | (b[4 * i + 1] & 0xff) << 8
              | (b[4 * i + 2] & 0xff) << 16
              | (b[4 * i + 3] & 0xff) << 24;
    }
    return out;
  }

  /** Each coefficient -1, 0 or 1, from the top bits of (30 random bits) * 3. */
  private static void smallRandom(SecureRandom random, byte[] out) {
    int[] r = words(random, P);
    for (int i = 0; i < P; i++) {
      out[i] = (byte) ((((r[i] & 0x3fffffff) * 3) >>> 30) - 1);
    }
  }

  /**
   * Exactly W coefficients ±1, the rest 0, at random places: W words tagged "±1" and P - W tagged
   * "0" in their low two bits, sorted by their random high bits (as unsigned words).
   */
  private static byte[] shortRandom(SecureRandom random) {
    int[] l = words(random, P);
    for (int i = 0; i < P; i++) {
      l[i] = i < W ? l[i] & ~1 : (l[i] & ~3) | 1;
    }
    sortUnsigned(l);
    byte[] out = new byte[P];
    for (int i = 0; i < P; i++) {
      out[i] = (byte) ((l[i] & 3) - 1);
    }
    return out;
  }

  /**
   * Bitonic sorting network over the next power of two (the padding sorts last): the same compares
   * whatever the values, with a branch-free exchange.
   */
  static void sortUnsigned(int[] x) {
    int n = Integer.highestOneBit(x.length - 1) << 1;
    long[] a = new long[n];
    for (int i = 0; i < n; i++) {
      a[i] = i < x.length ? x[i] & 0xffffffffL : 0x100000000L;
    }
    for (int k = 2; k <= n; k <<= 1) {
      for (int j = k >> 1; j > 0; j >>= 1) {
        for (int i = 0; i < n; i++) {
          int l = i ^ j;
          if (l > i) {
            long lo = a[i];
            long hi = a[l];
            long swap = (hi - lo) >> 63; // all ones when hi < lo
            long descending = -(long) ((i & k) >>> Integer.numberOfTrailingZeros(k)); // 0 or -1
            long m = swap ^ descending;
            long t = m & (lo ^ hi);
            a[i] = lo ^ t;
            a[l] = hi ^ t;
          }
        }
      }
    }
    for (int i = 0; i < x.length; i++) {
      x[i] = (int) a[i];
    }
  }

  /**
   * Words of 64 coefficients mod 3, bit-sliced: {@code n} has a bit for nonzero, {@code s} for -1.
   */
  private static final int WORDS = (P + 1 + 63) / 64;

  /**
   * 1/in in R/3 into out; false when in has no reciprocal. The specification's divsteps on
   * bit-sliced polynomials: 64 coefficients of f, g, v and r a word, so one step is a few dozen
   * word operations, not 3,000 coefficient ones.
   */
  static boolean r3Reciprocal(byte[] out, byte[] in) {
    long[] fn = new long[WORDS];
    long[] fs = new long[WORDS];
    long[] gn = new long[WORDS];
    long[] gs = new long[WORDS];
    long[] vn = new long[WORDS];
    long[] vs = new long[WORDS];
    long[] rn = new long[WORDS];
    long[] rs = new long[WORDS];
    rn[0] = 1; // r = 1
    set(fn, fs, 0, 1);
    set(fn, fs, P - 1, -1);
    set(fn, fs, P, -1); // f = x^p - x - 1, reversed
    for (int i = 0; i < P; i++) {
      set(gn, gs, P - 1 - i, in[i]);
    }
    int delta = 1;
    for (int loop = 0; loop < 2 * P - 1; loop++) {
      timesX(vn);
      timesX(vs);
      long swap = (-delta >> 31) & -(gn[0] & 1); // delta > 0 and g[0] != 0: all ones
      delta ^= (int) swap & (delta ^ -delta);
      delta += 1;
      swap(swap, fn, gn);
      swap(swap, fs, gs);
      swap(swap, vn, rn);
      swap(swap, vs, rs);
      // c = -g0 / f0 (f0 is +1 or -1): g += c f, r += c v
      long cn = -(gn[0] & 1); // c is nonzero when g0 is
      long cs = -((gs[0] ^ fs[0] ^ 1) & 1) & cn; // c is -1 when g0 and f0 have the same sign
      addTimes(cn, cs, fn, fs, gn, gs);
      addTimes(cn, cs, vn, vs, rn, rs);
      overX(gn);
      overX(gs);
    }
    int sign = 1 - 2 * (int) (fs[0] & 1); // f[0] is +1 or -1: its own reciprocal
    for (int i = 0; i < P; i++) {
      int k = (P - 1 - i) >> 6;
      int b = (P - 1 - i) & 63;
      int n = (int) (vn[k] >>> b) & 1;
      int m = (int) (vs[k] >>> b) & 1;
      out[i] = (byte) (sign * n * (1 - 2 * m));
    }
    return delta == 0;
  }

  /** a *= x, one bit-sliced half of a polynomial. */
  private static void timesX(long[] a) {
    for (int k = WORDS - 1; k > 0; k--) {
      a[k] = a[k] << 1 | a[k - 1] >>> 63;
    }
    a[0] <<= 1;
  }

  /** a /= x (its constant term is zero). */
  private static void overX(long[] a) {
    for (int k = 0; k < WORDS - 1; k++) {
      a[k] = a[k] >>> 1 | a[k + 1] << 63;
    }
    a[WORDS - 1] >>>= 1;
  }

  /** Swaps a and b when {@code mask} is all ones, without a branch. */
  private static void swap(long mask, long[] a, long[] b) {
    for (int k = 0; k < WORDS; k++) {
      long t = mask & (a[k] ^ b[k]);
      a[k] ^= t;
      b[k] ^= t;
    }
  }

  /** b += c a, mod 3, bit-sliced: c is (cn, cs) in every bit, a is (an, as), b is (bn, bs). */
  private static void addTimes(long cn, long cs, long[] aN, long[] aS, long[] bN, long[] bS) {
    for (int k = 0; k < WORDS; k++) {
      long an = aN[k] & cn;
      long as = (aS[k] ^ cs) & an;
      long bn = bN[k];
      long bs = bS[k];
      bN[k] = (an | bn) & ~(an & bn & (as ^ bs));
      bS[k] = (an & ~bn & as) | (bn & ~an & bs) | (an & bn & ~(as ^ bs) & ~as);
    }
  }

  /** Sets coefficient i of a bit-sliced polynomial to c (-1, 0 or 1). */
  private static void set(long[] n, long[] s, int i, int c) {
    long bit = 1L << (i & 63);
    n[i >> 6] = (n[i >> 6] & ~bit) | (bit & -(long) (c & 1)); // -1 and 1 are odd
    s[i >> 6] = (s[i >> 6] & ~bit) | (bit & -(long) (c >>> 31));
  }

  /**
   * x mod q into -(q-1)/2 .. (q-1)/2, for |x| up to 11 million (every product and sum it is given
   * here stays below: the largest, in {@link #multiply}, is p (q-1)/2 plus a frozen value).
   */
  static int freezeQ(int x) {
    int y = x + OFFSET; // 0 < y < 2^25: the estimated quotient is low by at most one
    int r = y - Q * (int) ((y * BARRETT) >>> 32);
    r -= Q & ~((r - Q) >> 31);
    return r - Q12;
  }

  /** r^(q-2) mod q: the reciprocal of r. */
  private static int reciprocalQ(int r) {
    int out = 1;
    int base = freezeQ(r);
    for (int e = Q - 2; e > 0; e >>= 1) {
      if ((e & 1) != 0) {
        out = freezeQ(out * base);
      }
      base = freezeQ(base * base);
    }
    return out;
  }

  /**
   * x / 2^16 mod q, in (-q, q), for |x| below 2^15 q (Montgomery's reduction: two multiplies and a
   * shift, the cheapest under C1).
   */
  private static int montgomery(int x) {
    return (x - (short) (x * QINV) * Q) >> 16;
  }

  /**
   * 1/(3 in) in R/q into out (always exists: R/q is a field). The divsteps reduce with {@link
   * #montgomery}, which scales each new g and r alike by 2^-16: the pairs (f, v) and (g, r) stay
   * scalar multiples of the specification's, and the result, v / f[0], is the same.
   */
  static void rqReciprocal3(int[] out, byte[] in) {
    int[] f = new int[P + 1];
    int[] g = new int[P + 1];
    int[] v = new int[P + 1];
    int[] r = new int[P + 1];
    r[0] = reciprocalQ(3);
    f[0] = 1;
    f[P - 1] = -1;
    f[P] = -1;
    for (int i = 0; i < P; i++) {
      g[P - 1 - i] = in[i];
    }
    int delta = 1;
    for (int loop = 0; loop < 2 * P - 1; loop++) {
      int swap = (-delta >> 31) & -((g[0] | -g[0]) >>> 31);
      delta ^= swap & (delta ^ -delta);
      delta += 1;
      int f0 = f[0] ^ (swap & (f[0] ^ g[0]));
      int g0 = g[0] ^ (swap & (f[0] ^ g[0]));
      // swap f and g, g = (f0 g - g0 f) / 2^16, then g /= x
      f[0] = f0;
      for (int i = 1; i <= P; i++) {
        int t = swap & (f[i] ^ g[i]);
        int fi = f[i] ^ t;
        f[i] = fi;
        g[i - 1] = montgomery(f0 * (g[i] ^ t) - g0 * fi);
      }
      g[P] = 0;
      // v *= x, swap v and r, r = (f0 r - g0 v) / 2^16
      for (int i = P; i > 0; i--) {
        int vi = v[i - 1];
        int t = swap & (vi ^ r[i]);
        vi ^= t;
        v[i] = vi;
        r[i] = montgomery(f0 * (r[i] ^ t) - g0 * vi);
      }
      int v0 = swap & r[0];
      r[0] = montgomery(f0 * (r[0] ^ v0) - g0 * v0);
      v[0] = v0;
    }
    int scale = reciprocalQ(f[0]);
    for (int i = 0; i < P; i++) {
      out[i] = freezeQ(scale * v[P - 1 - i]);
    }
  }

  /** a * b in R/q = Z_q[x]/(x^p - x - 1), b small. */
  static int[] multiply(int[] a, byte[] b) {
    int[] ab = new int[2 * P - 1];
    for (int i = 0; i < P; i++) {
      int ai = a[i];
      for (int j = 0; j < P; j++) {
        ab[i + j] += ai * b[j]; // |sum| <= p (q-1)/2: fits an int
      }
    }
    for (int i = 2 * P - 2; i >= P; i--) {
      int c = freezeQ(ab[i]);
      ab[i - P] = freezeQ(ab[i - P] + c);
      ab[i - P + 1] = freezeQ(ab[i - P + 1] + c);
    }
    int[] out = new int[P];
    for (int i = 0; i < P; i++) {
      out[i] = freezeQ(ab[i]);
    }
    return out;
  }

  /** Four coefficients + 1 a byte, two bits each, low first; the last alone. */
  static byte[] encodeSmall(byte[] f) {
    byte[] out = new byte[(P + 3) / 4];
    for (int i = 0; i < P; i++) {
      out[i >> 2] |= (byte) ((f[i] + 1) << (2 * (i & 3)));
    }
    return out;
  }

  /** The specification's Encode of h + (q-1)/2 with every modulus q: 1,158 bytes for p = 761. */
  static byte[] encodeRq(int[] h) {
    int[] r = new int[P];
    int[] m = new int[P];
    for (int i = 0; i < P; i++) {
      r[i] = h[i] + Q12;
      m[i] = Q;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(1158);
    encode(out, r, m, P);
    return out.toByteArray();
  }

  private static void encode(ByteArrayOutputStream out, int[] r, int[] m, int len) {
    if (len == 1) {
      int rr = r[0];
      int mm = m[0];
      while (mm > 1) {
        out.write(rr & 0xff);
        rr >>>= 8;
        mm = (mm + 255) >>> 8;
      }
      return;
    }
    int half = (len + 1) / 2;
    int[] r2 = new int[half];
    int[] m2 = new int[half];
    for (int i = 0; i + 1 < len; i += 2) {
      long mm = (long) m[i] * m[i + 1];
      long rr = r[i] + (long) m[i] * r[i + 1];
      while (mm >= 16384) {
        out.write((int) (rr & 0xff));
        rr >>>= 8;
        mm = (mm + 255) >>> 8;
      }
      r2[i / 2] = (int) rr;
      m2[i / 2] = (int) mm;
    }
    if ((len & 1) != 0) {
      r2[half - 1] = r[len - 1];
      m2[half - 1] = m[len - 1];
    }
    encode(out, r2, m2, half);
  }
}
