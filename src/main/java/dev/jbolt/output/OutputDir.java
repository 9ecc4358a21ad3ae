package dev.jbolt.output;

import dev.jbolt.JboltException;
import dev.jbolt.exec.RunListener;
import dev.jbolt.files.LocalFiles;
import dev.jbolt.inventory.Target;
import dev.jbolt.result.Json;
import dev.jbolt.result.Result;
import dev.jbolt.result.Text;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code --output-dir DIR}: DIR/<target>/stdout, stderr and result.json, written as each target
 * finishes.
 */
public final class OutputDir implements RunListener {
  private final Path dir;
  private final PrintStream warnings;

  public OutputDir(Path dir, PrintStream warnings) {
    this.dir = dir;
    this.warnings = warnings;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new JboltException("--output-dir " + dir + ": " + e.getMessage());
    }
  }

  /**
   * The exact bytes when the output was not text, else the text; a link in its place is replaced.
   */
  private static void write(Path file, Object text, Object base64) throws IOException {
    if (text instanceof Text t) { // the bytes as they came, binary or not
      LocalFiles.write(
          file,
          out -> {
            try (InputStream in = t.open()) {
              in.transferTo(out);
            }
          });
      return;
    }
    LocalFiles.write(
        file,
        base64 instanceof String b
            ? Base64.getDecoder().decode(b)
            : String.valueOf(text).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void finished(Result r) {
    String name = Target.fileName(r.target());
    Object stdout = r.value().containsKey("stdout") ? r.value().get("stdout") : HumanOutput.body(r);
    Object stderr = r.value().getOrDefault("stderr", "");
    Map<String, Object> json = new LinkedHashMap<>(r.toMap());
    json.put("attempts", r.attempts());
    json.put("elapsed_ms", r.elapsedMillis());
    try {
      Path d = LocalFiles.dir(dir, name);
      write(d.resolve("stdout"), stdout, r.value().get("stdout_base64"));
      write(d.resolve("stderr"), stderr, r.value().get("stderr_base64"));
      LocalFiles.write(
          d.resolve("result.json"),
          out -> {
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8); // flushed, not closed
            new Json.Writer(w, true).write(json);
            w.write("\n");
            w.flush();
          });
    } catch (IOException e) {
      warnings.println("jbolt: warning: cannot write " + dir.resolve(name) + ": " + e.getMessage());
    }
  }
}
