package dev.jbolt.transport.ssh;

import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentKeyConstraint;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * An ssh-agent client on the JDK's Unix domain sockets ({@code SSH_AUTH_SOCK}), so that keys held
 * by an agent log in as they do with OpenSSH. MINA's own agent client needs native libraries. Only
 * listing keys and signing are used; jbolt never forwards the agent.
 */
final class Agent implements SshAgent {
  private static final byte REQUEST_IDENTITIES = 11;
  private static final byte IDENTITIES_ANSWER = 12;
  private static final byte SIGN_REQUEST = 13;
  private static final byte SIGN_RESPONSE = 14;
  private static final int RSA_SHA2_256 = 2;
  private static final int RSA_SHA2_512 = 4;

  private final SocketChannel socket;

  Agent(Path socketPath) throws IOException {
    socket = SocketChannel.open(UnixDomainSocketAddress.of(socketPath));
  }

  /** The factory MINA asks for an agent during public-key authentication. */
  static SshAgentFactory factory(Path socketPath) {
    return new SshAgentFactory() {
      @Override
      public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
        return List.of();
      }

      @Override
      public SshAgent createClient(Session session, FactoryManager manager) throws IOException {
        return new Agent(socketPath);
      }

      @Override
      public SshAgentServer createServer(ConnectionService service) {
        throw new UnsupportedOperationException("jbolt does not forward the agent");
      }
    };
  }

  private synchronized Buffer request(byte type, Buffer body) throws IOException {
    byte[] payload = body == null ? new byte[0] : body.getCompactData();
    ByteBuffer out = ByteBuffer.allocate(5 + payload.length);
    out.putInt(1 + payload.length).put(type).put(payload).flip();
    while (out.hasRemaining()) {
      socket.write(out);
    }
    ByteBuffer len = read(4);
    int n = len.getInt();
    if (n <= 0 || n > 256 * 1024) {
      throw new IOException("bad reply length from ssh-agent: " + n);
    }
    return new ByteArrayBuffer(read(n).array());
  }

  private ByteBuffer read(int n) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(n);
    while (b.hasRemaining()) {
      if (socket.read(b) < 0) {
        throw new EOFException("ssh-agent closed the connection");
      }
    }
    return b.flip();
  }

  @Override
  public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() throws IOException {
    Buffer reply = request(REQUEST_IDENTITIES, null);
    if (reply.getByte() != IDENTITIES_ANSWER) {
      throw new IOException("ssh-agent refused to list its keys");
    }
    int count = reply.getInt();
    List<Map.Entry<PublicKey, String>> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] blob = reply.getBytes();
      String comment = reply.getString();
      try {
        keys.add(new SimpleImmutableEntry<>(new ByteArrayBuffer(blob).getRawPublicKey(), comment));
      } catch (RuntimeException | IOException e) {
        // a key type this client does not know is skipped, as OpenSSH does
      }
    }
    return keys;
  }

  @Override
  public Map.Entry<String, byte[]> sign(
      SessionContext session, PublicKey key, String algo, byte[] data) throws IOException {
    Buffer body = new ByteArrayBuffer();
    Buffer blob = new ByteArrayBuffer();
    blob.putRawPublicKey(key);
    body.putBytes(blob.getCompactData());
    body.putBytes(data);
    body.putInt(
        "rsa-sha2-256".equals(algo)
            ? RSA_SHA2_256
            : "rsa-sha2-512".equals(algo) ? RSA_SHA2_512 : 0);
    Buffer reply = request(SIGN_REQUEST, body);
    if (reply.getByte() != SIGN_RESPONSE) {
      throw new IOException("ssh-agent refused to sign with " + algo);
    }
    Buffer signature = new ByteArrayBuffer(reply.getBytes());
    return new SimpleImmutableEntry<>(signature.getString(), signature.getBytes());
  }

  @Override
  public void addIdentity(KeyPair key, String comment, SshAgentKeyConstraint... constraints) {
    throw new UnsupportedOperationException("jbolt only reads the agent's keys");
  }

  @Override
  public void removeIdentity(PublicKey key) {
    throw new UnsupportedOperationException("jbolt only reads the agent's keys");
  }

  @Override
  public void removeAllIdentities() {
    throw new UnsupportedOperationException("jbolt only reads the agent's keys");
  }

  @Override
  public boolean isOpen() {
    return socket.isOpen();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
