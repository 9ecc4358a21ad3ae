package dev.jbolt.transport;

import dev.jbolt.result.ErrorInfo;
import dev.jbolt.result.ErrorKind;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure to reach or use one target: a stable {@link ErrorKind}, Bolt's issue code (the kind's,
 * or a more precise one), and details. Whether the connection phase may be tried again is the
 * kind's to say.
 */
public class TransportException extends Exception {
  private final ErrorKind kind;
  private final String issueCode;
  private final Map<String, Object> details;

  public TransportException(ErrorKind kind, String message, Throwable cause) {
    this(kind, kind.issueCode(), message, Map.of(), cause);
  }

  public TransportException(ErrorKind kind, String issueCode, String message, Throwable cause) {
    this(kind, issueCode, message, Map.of(), cause);
  }

  public TransportException(
      ErrorKind kind,
      String issueCode,
      String message,
      Map<String, Object> details,
      Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.issueCode = issueCode;
    this.details = details;
  }

  /** The action was cancelled (Ctrl-C): what was running is stopped. */
  public static TransportException cancelled(String message, Throwable cause) {
    return new TransportException(ErrorKind.CANCELLED, message, cause);
  }

  public ErrorKind kind() {
    return kind;
  }

  public boolean retryable() {
    return kind.retryable();
  }

  /** This error with one more detail. */
  public TransportException withDetail(String key, Object value) {
    Map<String, Object> d = new LinkedHashMap<>(details);
    d.put(key, value);
    TransportException e = new TransportException(kind, issueCode, getMessage(), d, getCause());
    e.setStackTrace(getStackTrace());
    return e;
  }

  public ErrorInfo toError() {
    return new ErrorInfo(kind.id(), getMessage(), kind.withReason(details), issueCode);
  }
}
