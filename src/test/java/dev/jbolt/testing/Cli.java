package dev.jbolt.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jbolt.cli.Main;
import dev.jbolt.result.Json;
import dev.jbolt.session.Console;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

/** Runs the real CLI in-process with captured streams, as a user would from {@code cwd}. */
public final class Cli {
  private Cli() {}

  public record Outcome(int code, String out, String err) {
    public JsonNode json() {
      try {
        return Json.mapper().readTree(out);
      } catch (Exception e) {
        throw new AssertionError("not JSON: " + out + "\nstderr: " + err, e);
      }
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  public static Outcome run(Path cwd, String... args) {
    return runWithInput(cwd, "", args);
  }

  public static Outcome runWithInput(Path cwd, String stdin, String... args) {
    return run(cwd, Map.of(), stdin, args);
  }

  /** With environment variables and standard input. */
  public static Outcome run(Path cwd, Map<String, String> env, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Console ctx =
        new Console(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            cwd,
            env);
    int code = Main.run(ctx, args); // a console of its own: the run's secrets end with it
    return new Outcome(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
