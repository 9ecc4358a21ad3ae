package dev.jbolt.transport.ssh;

import org.apache.sshd.common.digest.BuiltinDigests;
import org.apache.sshd.common.digest.Digest;
import org.apache.sshd.common.kex.AbstractDH;
import org.apache.sshd.common.kex.DHFactory;
import org.apache.sshd.common.kex.KeyEncapsulationMethod;
import org.apache.sshd.common.kex.MontgomeryCurve;
import org.apache.sshd.common.kex.XDH;

/**
 * A hybrid exchange as OpenSSH defines them (a post-quantum KEM beside X25519, the two secrets
 * hashed together), client side only: jbolt never serves SSH. Each exchange gets a new {@link
 * #client()}. The X25519 half is raw: its secret's 32 bytes are hashed as they are, leading zeros
 * kept (stripping them, as curve25519-sha256's mpint does, failed one handshake in 256).
 */
abstract class HybridKex implements DHFactory {
  private final String name;
  private final BuiltinDigests hash;

  HybridKex(String name, BuiltinDigests hash) {
    this.name = name;
    this.hash = hash;
  }

  /** The KEM's client side for one exchange. */
  abstract KeyEncapsulationMethod.Client client();

  @Override
  public String getName() {
    return name;
  }

  @Override
  public boolean isGroupExchange() {
    return false;
  }

  @Override
  public AbstractDH create(Object... params) throws Exception {
    KeyEncapsulationMethod kem =
        new KeyEncapsulationMethod() {
          @Override
          public Client getClient() {
            return client();
          }

          @Override
          public Server getServer() {
            throw new UnsupportedOperationException(name + ": jbolt has a client's side only");
          }
        };
    return new XDH(MontgomeryCurve.x25519, true) {
      @Override
      public KeyEncapsulationMethod getKeyEncapsulation() {
        return kem;
      }

      @Override
      public Digest getHash() {
        return hash.create();
      }
    };
  }
}
