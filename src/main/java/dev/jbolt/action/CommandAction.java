package dev.jbolt.action;

import dev.jbolt.exec.TargetAction;
import dev.jbolt.inventory.Target;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.Posix;
import java.util.Map;

/**
 * {@code command run}: a shell command on each target, or on this machine per target ({@code
 * --local}).
 */
public final class CommandAction {
  private CommandAction() {}

  public static TargetAction run(
      String command, Map<String, String> env, long timeoutMillis, Streams streams) {
    return (t, c) -> {
      long start = System.nanoTime();
      Shell sh = new Shell(c, RunSettings.of(t));
      Exec.Output out = sh.run(command, env, null, timeoutMillis, Streams.tee(streams, t));
      return Outputs.command(t, "command", command, out, start);
    };
  }

  /**
   * The command run on this machine for each target, with %h, %n, %u, %p replaced by the target's
   * host, name, user and port (each shell-quoted) and %% by %.
   */
  public static TargetAction local(
      String template, Map<String, String> env, long timeoutMillis, Streams streams) {
    return (t, c) -> {
      long start = System.nanoTime();
      String command = substitute(template, t);
      Exec.Output out =
          new Shell(c).run(command, env, null, timeoutMillis, Streams.tee(streams, t));
      return Outputs.command(t, "command", template, out, start);
    };
  }

  static String substitute(String template, Target t) {
    Map<String, Object> cfg = t.transportConfig();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < template.length(); i++) {
      char ch = template.charAt(i);
      if (ch != '%' || i + 1 >= template.length()) {
        sb.append(ch);
        continue;
      }
      char k = template.charAt(++i);
      switch (k) {
        case 'h' -> sb.append(Posix.quote(t.host()));
        case 'n' -> sb.append(Posix.quote(t.safeName()));
        case 'u' ->
            sb.append(Posix.quote(cfg.get("user") == null ? "" : String.valueOf(cfg.get("user"))));
        case 'p' ->
            sb.append(
                Posix.quote(cfg.get("port") == null ? "22" : String.valueOf(cfg.get("port"))));
        case '%' -> sb.append('%');
        default -> sb.append('%').append(k);
      }
    }
    return sb.toString();
  }
}
