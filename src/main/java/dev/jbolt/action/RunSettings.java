package dev.jbolt.action;

import dev.jbolt.Secret;
import dev.jbolt.inventory.Target;
import java.util.Map;

/**
 * Per-target settings of how actions run, from the target's transport config: {@code run-as} with
 * its {@code sudo-password} (falling back to the login password, as Bolt does), and {@code tmpdir}
 * (default /tmp).
 */
public record RunSettings(RunAs runAs, String tmpdir) {
  public static RunSettings of(Target t) {
    Map<String, Object> c = t.transportConfig();
    RunAs runAs = null;
    if (c.get("run-as") != null) {
      Object pw = c.get("sudo-password") != null ? c.get("sudo-password") : c.get("password");
      runAs = new RunAs(String.valueOf(c.get("run-as")), Secret.of(pw));
    }
    String tmpdir = c.get("tmpdir") == null ? "/tmp" : String.valueOf(c.get("tmpdir"));
    return new RunSettings(runAs, tmpdir);
  }
}
