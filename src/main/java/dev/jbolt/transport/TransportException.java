package dev.jbolt.transport;

import dev.jbolt.result.ErrorInfo;
import java.util.Map;

/**
 * A failure to reach or use one target. It carries a stable kind (see {@link Kind}), Bolt's issue
 * code, and whether the connection phase may be tried again.
 */
public class TransportException extends Exception {
  private final String kind;
  private final String issueCode;
  private final boolean retryable;
  private final Map<String, Object> details;

  public TransportException(String kind, String issueCode, String message, boolean retryable, Throwable cause) {
    this(kind, issueCode, message, retryable, Map.of(), cause);
  }

  public TransportException(
      String kind, String issueCode, String message, boolean retryable, Map<String, Object> details, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.issueCode = issueCode;
    this.retryable = retryable;
    this.details = details;
  }

  public String kind() {
    return kind;
  }

  public boolean retryable() {
    return retryable;
  }

  /** This error with one more detail. */
  public TransportException withDetail(String key, Object value) {
    Map<String, Object> d = new java.util.LinkedHashMap<>(details);
    d.put(key, value);
    TransportException e = new TransportException(kind, issueCode, getMessage(), retryable, d, getCause());
    e.setStackTrace(getStackTrace());
    return e;
  }

  public ErrorInfo toError() {
    return new ErrorInfo(kind, getMessage(), details, issueCode);
  }

  /** The kinds a transport reports. Bolt's kinds where Bolt has a distinct one. */
  public static final class Kind {
    public static final String CONNECT_REFUSED = "jbolt/connect-refused";
    public static final String CONNECT_TIMEOUT = "jbolt/connect-timeout";
    public static final String CONNECT_ERROR = "jbolt/connect-error";
    public static final String DNS_ERROR = "jbolt/dns-error";
    public static final String AUTH_ERROR = "jbolt/auth-error";
    public static final String HOST_KEY_UNKNOWN = "jbolt/host-key-unknown";
    public static final String HOST_KEY_CHANGED = "jbolt/host-key-changed";
    public static final String HOST_KEY_REVOKED = "jbolt/host-key-revoked";
    public static final String CHANNEL_ERROR = "jbolt/channel-error";
    public static final String CONNECTION_LOST = "jbolt/connection-lost";
    public static final String CONNECTION_SILENT = "jbolt/connection-silent";
    public static final String SHELL_ERROR = "jbolt/shell-error";
    public static final String TIMEOUT = "jbolt/timeout";
    public static final String CANCELLED = "jbolt/cancelled";
    public static final String FILE_ERROR = "puppetlabs.tasks/task_file_error";
    public static final String ESCALATE_ERROR = "puppetlabs.tasks/escalate-error";
    public static final String COMMAND_ERROR = "puppetlabs.tasks/command-error";
    public static final String EXCEPTION = "puppetlabs.tasks/exception-error";

    private Kind() {}
  }
}
