package dev.jbolt.action;

import dev.jbolt.exec.TargetAction;
import dev.jbolt.transport.Exec;
import dev.jbolt.transport.Posix;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code script run}: a local script uploaded to a private temp dir, run with its arguments quoted,
 * removed.
 */
public final class ScriptAction {
  private ScriptAction() {}

  public static TargetAction run(
      Path script,
      List<String> args,
      Map<String, String> env,
      long timeoutMillis,
      Streams streams) {
    String name = script.getFileName().toString();
    return (t, c) -> {
      long start = System.nanoTime();
      RunSettings rs = RunSettings.of(t);
      Shell sh = new Shell(c, rs);
      String dir = sh.mktemp();
      try {
        String remote = dir + "/" + name;
        c.upload(script, remote, timeoutMillis);
        sh.makeExecutable(remote);
        sh.handOver(dir);
        String cmd = Posix.quote(remote) + (args.isEmpty() ? "" : " " + Posix.join(args));
        Exec.Output out = sh.run(cmd, env, null, timeoutMillis, Streams.tee(streams, t));
        return Outputs.command(t, "script", script.toString(), out, start);
      } finally {
        sh.removeQuietly(dir);
      }
    };
  }
}
