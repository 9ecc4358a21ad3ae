package dev.jbolt.plan;

import dev.jbolt.action.UploadAction;
import dev.jbolt.exec.TargetAction;
import dev.jbolt.files.LocalFiles;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code write_file(content, destination, targets, [options])}: the content uploaded as a file. */
final class WriteFile extends TargetStep {
  WriteFile(PlanApi api) {
    super(api, "write_file", "write_file");
  }

  @Override
  String object(Args a) {
    return a.string("destination");
  }

  @Override
  TargetAction action(Args a, Step step) throws Exception {
    String destination = a.string("destination");
    Path dir = Files.createTempDirectory("jbolt-write");
    step.closing().add(() -> LocalFiles.deleteTree(dir));
    String base =
        Path.of(destination).getFileName() == null
            ? "file"
            : Path.of(destination).getFileName().toString();
    Path f = Files.writeString(dir.resolve(base), a.string("content"));
    return UploadAction.of(f, "content", destination, step.timeoutMillis());
  }
}
