package dev.jbolt.action;

import dev.jbolt.Secret;
import java.util.List;

/**
 * Who a command runs as on the target ({@code run-as}) and how: {@code sudo-executable} (default
 * {@code sudo}) with the password sudo asks for, or Bolt's {@code run-as-command} (a command that
 * takes the user as its last word and asks for no password; {@code sudo-password} is not used with
 * it).
 *
 * @param command the run-as-command's words, or null for sudo
 */
public record RunAs(String user, Secret sudoPassword, String sudoExecutable, List<String> command) {
  public RunAs(String user, Secret sudoPassword) {
    this(user, sudoPassword, "sudo", null);
  }
}
