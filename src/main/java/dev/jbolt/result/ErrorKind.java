package dev.jbolt.result;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The kinds of failure jbolt itself reports, each with its id as Bolt spells it (Bolt's own where
 * Bolt has one: every failure to reach or keep a target is {@code puppetlabs.tasks/connect-error},
 * as in Bolt's lib/bolt/node/errors.rb), Bolt's issue code, whether the connection phase may be
 * tried again, and the short reason the human summary shows, which JSON keeps as {@code
 * details.reason}. Only what Bolt has no kind for keeps a {@code jbolt/} id (docs/output.md). Kinds
 * that tasks report are free strings in {@link ErrorInfo}; {@link #of} maps known ones back here.
 */
public enum ErrorKind {
  CONNECT_REFUSED("puppetlabs.tasks/connect-error", "CONNECT_ERROR", true, "connection refused"),
  CONNECT_TIMEOUT("puppetlabs.tasks/connect-error", "CONNECT_ERROR", true, "connect timeout"),
  CONNECT_ERROR("puppetlabs.tasks/connect-error", "CONNECT_ERROR", true, "connection failed"),
  DNS_ERROR("puppetlabs.tasks/connect-error", "CONNECT_ERROR", false, "unknown host name"),
  AUTH_ERROR("puppetlabs.tasks/connect-error", "AUTH_ERROR", false, "authentication failed"),
  HOST_KEY_UNKNOWN("puppetlabs.tasks/connect-error", "HOST_KEY_ERROR", false, "unknown host key"),
  HOST_KEY_CHANGED("puppetlabs.tasks/connect-error", "HOST_KEY_ERROR", false, "HOST KEY CHANGED"),
  HOST_KEY_REVOKED("puppetlabs.tasks/connect-error", "HOST_KEY_ERROR", false, "HOST KEY REVOKED"),
  CHANNEL_ERROR("puppetlabs.tasks/connect-error", "CONNECT_ERROR", false, "channel refused"),
  CONNECTION_LOST("puppetlabs.tasks/connect-error", "CONNECT_ERROR", false, "connection lost"),
  CONNECTION_SILENT(
      "puppetlabs.tasks/connect-error", "CONNECT_ERROR", false, "connection went silent"),
  SHELL_ERROR("jbolt/shell-error", "SHELL_ERROR", false, "login shell is not POSIX"),
  TIMEOUT("jbolt/timeout", "TIMEOUT", false, "timed out"),
  CANCELLED("jbolt/cancelled", "CANCELLED", false, "cancelled"),
  OUT_OF_MEMORY("jbolt/out-of-memory", "OUT_OF_MEMORY", false, "out of memory"),
  FILE_ERROR("puppetlabs.tasks/task_file_error", "FILE_ERROR", false, null),
  ESCALATE_ERROR("puppetlabs.tasks/escalate-error", "SUDO_DENIED", false, null),
  COMMAND_ERROR("puppetlabs.tasks/command-error", "COMMAND_ERROR", false, null),
  TASK_ERROR("puppetlabs.tasks/task-error", "TASK_ERROR", false, null),
  EXCEPTION("puppetlabs.tasks/exception-error", "EXCEPTION", false, null),
  NO_IMPLEMENTATION("bolt/no-implementation", "NO_IMPLEMENTATION", false, null),
  INVALID_TASK_ERROR("bolt/invalid-task-error", null, false, null),
  WAIT_UNTIL_AVAILABLE("bolt/wait-until-available", null, false, null);

  private final String id;
  private final String issueCode;
  private final boolean retryable;
  private final String reason;

  ErrorKind(String id, String issueCode, boolean retryable, String reason) {
    this.id = id;
    this.issueCode = issueCode;
    this.retryable = retryable;
    this.reason = reason;
  }

  /** The kind as JSON shows it: {@code jbolt/timeout}, {@code puppetlabs.tasks/task-error}, ... */
  public String id() {
    return id;
  }

  /** Bolt's issue code; an error may carry a more precise one. */
  public String issueCode() {
    return issueCode;
  }

  /** Whether a failure of this kind while connecting is worth another attempt. */
  public boolean retryable() {
    return retryable;
  }

  /** An error of this kind, with its own issue code. */
  public ErrorInfo error(String msg) {
    return error(msg, Map.of());
  }

  public ErrorInfo error(String msg, Map<String, Object> details) {
    return new ErrorInfo(id, msg, withReason(details), issueCode);
  }

  /** {@code details} with this kind's reason as {@code reason} (jbolt's finer word for it). */
  public Map<String, Object> withReason(Map<String, Object> details) {
    if (reason == null || details.containsKey("reason")) {
      return details;
    }
    Map<String, Object> d = new LinkedHashMap<>(details);
    d.put("reason", reason);
    return d;
  }

  /**
   * The kind of {@code e}, its reason telling apart those that share Bolt's id; null for one jbolt
   * does not know (a task's own).
   */
  public static ErrorKind of(ErrorInfo e) {
    ErrorKind first = null;
    for (ErrorKind k : values()) {
      if (k.id.equals(e.kind())) {
        if (k.reason == null || k.reason.equals(e.details().get("reason"))) {
          return k;
        }
        first = first == null ? k : first;
      }
    }
    return first;
  }

  /**
   * Why {@code e} failed, short and the same for every target it applies to, so that the summary
   * can fold targets by it: the kind's reason, an exit code, sudo's verdict, or the message's first
   * line.
   */
  public static String reason(ErrorInfo e) {
    ErrorKind k = of(e);
    Object code = e.details().get("exit_code");
    if (code != null && (k == COMMAND_ERROR || k == TASK_ERROR)) {
      return "exit code " + code;
    }
    if (k == ESCALATE_ERROR) {
      return "sudo: "
          + (e.issueCode() == null
              ? "refused"
              : e.issueCode().toLowerCase(Locale.ROOT).replace('_', ' '));
    }
    if (k != null && k.reason != null) {
      return k.reason;
    }
    String line = e.msg().lines().findFirst().orElse("");
    return line.length() > 120 ? line.substring(0, 117) + "..." : line;
  }
}
