package dev.jbolt.action;

import dev.jbolt.JboltException;
import dev.jbolt.Secret;
import dev.jbolt.inventory.Target;
import java.util.List;
import java.util.Map;

/**
 * Per-target settings of how actions run, from the target's transport config, with Bolt's names:
 * {@code run-as} with its {@code sudo-password} (falling back to the login password, as Bolt does),
 * {@code sudo-executable} and {@code run-as-command}; {@code tmpdir} (default /tmp), {@code
 * script-dir} (a fixed name under it instead of a random one) and {@code cleanup} (false keeps the
 * temp dirs). Checked when the run's targets are resolved: a bad value is bad input.
 *
 * @param scriptDir null for a fresh random directory per action
 */
public record RunSettings(RunAs runAs, String tmpdir, String scriptDir, boolean cleanup) {
  public static RunSettings of(Target t) {
    Map<String, Object> c = t.transportConfig();
    String where = "target '" + t.safeName() + "': " + t.transport() + ".";
    RunAs runAs = null;
    if (c.get("run-as") != null) {
      Object pw = c.get("sudo-password") != null ? c.get("sudo-password") : c.get("password");
      String exec =
          c.get("sudo-executable") == null ? "sudo" : String.valueOf(c.get("sudo-executable"));
      if (exec.isBlank() || exec.startsWith("-")) {
        throw new JboltException(where + "sudo-executable '" + exec + "' is not a command");
      }
      runAs =
          new RunAs(
              String.valueOf(c.get("run-as")),
              Secret.of(pw),
              exec,
              words(c.get("run-as-command"), where + "run-as-command"));
    }
    String tmpdir = c.get("tmpdir") == null ? "/tmp" : String.valueOf(c.get("tmpdir"));
    String scriptDir = null;
    if (c.get("script-dir") != null) {
      scriptDir = String.valueOf(c.get("script-dir"));
      if (scriptDir.isEmpty()
          || scriptDir.startsWith("/")
          || scriptDir.startsWith("-")
          || List.of(scriptDir.split("/")).stream().anyMatch(p -> p.equals("..") || p.equals("."))
          || scriptDir.chars().anyMatch(ch -> ch < 0x20)) {
        throw new JboltException(
            where + "script-dir '" + scriptDir + "' must be a relative path under tmpdir");
      }
    }
    Object cleanup = c.getOrDefault("cleanup", true);
    if (!(cleanup instanceof Boolean)) {
      throw new JboltException(where + "cleanup must be true or false, not '" + cleanup + "'");
    }
    return new RunSettings(runAs, tmpdir, scriptDir, (Boolean) cleanup);
  }

  /** A list of words (Bolt's form), or one string split on white space; null when not set. */
  private static List<String> words(Object v, String what) {
    if (v == null) {
      return null;
    }
    List<String> out =
        v instanceof List<?> l
            ? l.stream().map(String::valueOf).toList()
            : List.of(String.valueOf(v).strip().split("\\s+"));
    if (out.isEmpty() || out.get(0).isBlank() || out.get(0).startsWith("-")) {
      throw new JboltException(what + " must be a command and its options, e.g. [sudo, -nkSEu]");
    }
    return out;
  }
}
