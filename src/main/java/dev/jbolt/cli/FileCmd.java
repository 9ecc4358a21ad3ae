package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.action.DownloadAction;
import dev.jbolt.action.UploadAction;
import dev.jbolt.session.Console;
import dev.jbolt.session.Session;
import dev.jbolt.session.Work;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "file",
    description = "Copy files to and from targets.",
    mixinStandardHelpOptions = true,
    subcommands = {FileCmd.Upload.class, FileCmd.Download.class})
final class FileCmd {
  @Command(
      name = "upload",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Copy a local file or directory (recursively, modes kept) to DEST on every target.")
  static final class Upload implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SRC")
    Path source;

    @Parameters(
        index = "1",
        paramLabel = "DEST",
        description = "The remote path; an existing directory receives SRC inside it.")
    String destination;

    @Mixin Options.TargetOpts targets;
    @Mixin Options.RunOpts run;
    @Mixin Options.ConnectOpts connect;
    @Mixin Options.ProjectOpts project;

    private final Console ctx;

    Upload(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      Path src = ctx.cwd().resolve(source);
      String why = UploadAction.unreadable(src, source.toString());
      if (why != null) {
        throw new JboltException(why);
      }
      try (Session s = Session.open(ctx, project.options(), connect.options(), run.options(null))) {
        return Main.exitCode(
            s.run(
                new Work(
                    "upload",
                    source.toString(),
                    s.targets(targets.targets, targets.rerun, false),
                    UploadAction.of(src, source.toString(), destination, s.timeoutMillis()),
                    null)));
      }
    }
  }

  @Command(
      name = "download",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description =
          "Copy SRC from every target into DEST/<target name>/, so that targets never overwrite each other.")
  static final class Download implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SRC", description = "The remote file or directory.")
    String source;

    @Parameters(index = "1", paramLabel = "DEST", description = "A local directory.")
    Path destination;

    @Mixin Options.TargetOpts targets;
    @Mixin Options.RunOpts run;
    @Mixin Options.ConnectOpts connect;
    @Mixin Options.ProjectOpts project;

    private final Console ctx;

    Download(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      Path dest = ctx.cwd().resolve(destination);
      if (Files.exists(dest) && !Files.isDirectory(dest)) {
        throw new JboltException(
            "download destination " + destination + " is a file, not a directory");
      }
      try (Session s = Session.open(ctx, project.options(), connect.options(), run.options(null))) {
        return Main.exitCode(
            s.run(
                new Work(
                    "download",
                    source,
                    s.targets(targets.targets, targets.rerun, false),
                    DownloadAction.of(source, dest, s.timeoutMillis()),
                    null)));
      }
    }
  }
}
