package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.project.LockFile;
import dev.jbolt.project.ModuleInstaller;
import dev.jbolt.project.ModuleSpec;
import dev.jbolt.project.Project;
import dev.jbolt.project.ProjectFiles;
import dev.jbolt.session.Console;
import dev.jbolt.session.Session;
import dev.jbolt.task.ModulePath;
import dev.jbolt.task.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "module",
    description = "Install the project's task modules from git.",
    mixinStandardHelpOptions = true,
    subcommands = {ModuleCmd.Install.class, ModuleCmd.Add.class, ModuleCmd.Show.class})
final class ModuleCmd {
  private static void report(Console ctx, List<ModuleInstaller.Installed> done) {
    long changed = done.stream().filter(ModuleInstaller.Installed::changed).count();
    ctx.out()
        .println(
            "Installed "
                + done.size()
                + " module"
                + (done.size() == 1 ? "" : "s")
                + " in .modules/ ("
                + changed
                + " fetched, "
                + (done.size() - changed)
                + " already there); commits in "
                + LockFile.NAME);
  }

  @Command(
      name = "install",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Install the modules of jbolt-project.yaml into .modules/, at the commits of jbolt-project.lock",
        "when it exists (else their refs, recorded in a new lock)."
      })
  static final class Install implements Callable<Integer> {
    @Option(names = "--update", description = "Resolve every ref again and rewrite the lock.")
    boolean update;

    @Option(
        names = "--force",
        description = "Replace modules in .modules/ even when they have local changes.")
    boolean force;

    @Mixin Options.ProjectOpts project;
    private final Console ctx;

    Install(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      try (Session s = Session.open(ctx, project.options())) {
        report(ctx, new ModuleInstaller(s.project(), ctx.out()).install(update, force));
      }
      return Main.OK;
    }
  }

  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "Add a module from git to jbolt-project.yaml (its comments kept) and install.")
  static final class Add implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "URL",
        description = "file://, a path, https:// or ssh:// / git@host:path.")
    String url;

    @Option(
        names = "--ref",
        paramLabel = "REF",
        defaultValue = "HEAD",
        description = "A branch, tag or commit (default: HEAD).")
    String ref;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "The module's name (default: from the URL).")
    String name;

    @Mixin Options.ProjectOpts project;
    private final Console ctx;

    Add(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      Project p;
      try (Session s = Session.open(ctx, project.options())) {
        p = s.project();
      }
      if (p.dir() == null) {
        throw new JboltException("no project here: run 'jbolt project init' first");
      }
      ModuleSpec.checkUrl(url, "module add");
      ModuleSpec.checkRef(ref, "module add");
      if (name != null && !name.matches(ModuleSpec.NAME)) {
        throw new JboltException("module add: --name '" + name + "' must match " + ModuleSpec.NAME);
      }
      for (ModuleSpec s : ModuleSpec.of(p)) {
        if (s.git().equals(url)) {
          throw new JboltException("module " + s.name() + " already comes from " + url);
        }
      }
      String before = read(p);
      ProjectFiles.addModule(p, url, ref, name);
      try (Session again = Session.open(ctx, project.options())) {
        report(ctx, new ModuleInstaller(again.project(), ctx.out()).install(false, false));
      } catch (RuntimeException e) {
        restore(p, before); // a module that cannot be installed is not added
        throw e;
      }
      return Main.OK;
    }

    private static String read(Project p) {
      Path f = ProjectFiles.projectFile(p);
      try {
        return Files.exists(f) ? Files.readString(f) : null;
      } catch (IOException e) {
        throw new JboltException(f.getFileName() + ": " + e.getMessage());
      }
    }

    private static void restore(Project p, String text) {
      Path f = ProjectFiles.projectFile(p);
      try {
        if (text == null) {
          Files.deleteIfExists(f);
        } else {
          Files.writeString(f, text);
        }
      } catch (IOException e) {
        // the error being reported matters more
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "List the project's modules: ref, commit, tasks.")
  static final class Show implements Callable<Integer> {
    @Mixin Options.ProjectOpts project;
    private final Console ctx;

    Show(Console ctx) {
      this.ctx = ctx;
    }

    @Override
    public Integer call() {
      Project p;
      ModulePath path;
      try (Session s = Session.open(ctx, project.options())) {
        p = s.project();
        path = s.modules();
      }
      List<ModuleSpec> specs = ModuleSpec.of(p);
      LockFile lock = p.dir() == null ? null : LockFile.read(p.dir());
      var tasks = Task.all(path);
      for (ModuleSpec s : specs) {
        LockFile.Entry e = lock == null ? null : lock.find(s);
        boolean installed =
            p.dir() != null && Files.isDirectory(p.dir().resolve(".modules").resolve(s.name()));
        long count = tasks.values().stream().filter(t -> t.module().equals(s.name())).count();
        ctx.out()
            .println(
                s.name()
                    + "  "
                    + s.git()
                    + "  ref "
                    + s.ref()
                    + "  "
                    + (e == null ? "not locked" : "commit " + e.commit().substring(0, 12))
                    + "  "
                    + (installed ? count + " task" + (count == 1 ? "" : "s") : "not installed"));
      }
      if (specs.isEmpty()) {
        ctx.out().println("No modules in " + p.fileName());
      }
      return Main.OK;
    }
  }
}
