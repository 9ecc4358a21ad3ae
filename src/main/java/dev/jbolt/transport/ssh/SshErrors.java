package dev.jbolt.transport.ssh;

import dev.jbolt.result.ErrorKind;
import dev.jbolt.transport.TransportException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.InterruptedByTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.session.ClientSession;

/** Maps what MINA throws while connecting to a {@link TransportException} with a stable kind. */
final class SshErrors {
  private SshErrors() {}

  static TransportException classify(
      Throwable e,
      ClientSession session,
      HostKeys.Verdict verdict,
      SshSettings s,
      String where,
      boolean authPhase) {
    if (verdict.problem != null) {
      return refused(verdict, e);
    }
    String root = rootMessage(e);
    if (root.contains("KeyExchange signature verification failed")) {
      // MINA checks a host certificate during the key exchange: signature, type, validity, host
      // names.
      return new TransportException(
          ErrorKind.HOST_KEY_UNKNOWN,
          "the host key or certificate of "
              + where
              + " did not verify ("
              + root.replaceFirst("^KeyExchange signature verification failed,? ?", "")
              + "); refusing to connect",
          e);
    }
    TransportException network = network(e, s, where);
    if (network != null) {
      return network;
    }
    if (root.contains("Server key did not validate")) {
      // Refused by the verifier on a path that left no reason (e.g. an unreadable known_hosts).
      return new TransportException(
          ErrorKind.HOST_KEY_UNKNOWN,
          "the host key of "
              + where
              + " could not be verified against "
              + KnownHosts.of(s, null).files(),
          e);
    }
    if (authPhase
        && (root.contains("No more authentication methods") || root.contains("authentication"))) {
      return new TransportException(
          ErrorKind.AUTH_ERROR,
          "authentication failed for user '"
              + (session == null ? s.user() : session.getUsername())
              + "' on "
              + where
              + " (no key or password was accepted)",
          e);
    }
    // Resets, broken pipes, sessions closed during key exchange (sshd's MaxStartups drops them so).
    return new TransportException(
        ErrorKind.CONNECT_ERROR, "connection to " + where + " failed: " + root, e);
  }

  /**
   * The network's failures anywhere in the chain of causes: cancelled, DNS, refused, no route,
   * timed out; null when none is.
   */
  private static TransportException network(Throwable e, SshSettings s, String where) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof InterruptedException
          || (c instanceof InterruptedIOException && !(c instanceof SocketTimeoutException))) {
        return TransportException.cancelled("cancelled while connecting to " + where, e);
      }
      if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
        return new TransportException(
            ErrorKind.DNS_ERROR, "cannot resolve host name '" + s.host() + "'", e);
      }
      if (c instanceof ConnectException) {
        return new TransportException(
            ErrorKind.CONNECT_REFUSED, "connection refused by " + where, e);
      }
      if (c instanceof NoRouteToHostException) {
        return new TransportException(ErrorKind.CONNECT_ERROR, "no route to " + where, e);
      }
      if (c instanceof SocketTimeoutException
          || c instanceof TimeoutException
          || c instanceof InterruptedByTimeoutException
          || String.valueOf(c.getMessage()).toLowerCase().contains("timeout")
          || String.valueOf(c.getMessage()).contains("timed out")) {
        return new TransportException(
            ErrorKind.CONNECT_TIMEOUT,
            "timed out after " + s.connectTimeoutMillis() / 1000.0 + " s connecting to " + where,
            e);
      }
    }
    return null;
  }

  /** The host key check's refusal, by its kind. */
  private static TransportException refused(HostKeys.Verdict verdict, Throwable e) {
    return new TransportException(
        switch (verdict.refusal) {
          case CHANGED -> ErrorKind.HOST_KEY_CHANGED;
          case REVOKED -> ErrorKind.HOST_KEY_REVOKED;
          case UNKNOWN -> ErrorKind.HOST_KEY_UNKNOWN;
        },
        "HOST_KEY_ERROR",
        verdict.problem,
        e);
  }

  static String rootMessage(Throwable e) {
    Throwable c = e;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    String m = c.getMessage();
    return m == null ? c.getClass().getSimpleName() : m.replaceAll("\\s+", " ");
  }
}
