package dev.jbolt.project;

import dev.jbolt.JboltException;
import dev.jbolt.files.LocalFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code jbolt module install}: every module of jbolt-project.yaml into {@code .modules/NAME} at
 * its ref. Branches and tags resolve to commits, recorded in {@code jbolt-project.lock}; with the
 * lock present the same commits are installed again ({@code update} re-resolves). Everything is
 * fetched into a staging dir first and swapped in at the end, so a failure leaves .modules as it
 * was. Local changes inside .modules are refused unless {@code force}.
 */
public final class ModuleInstaller {
  private final Project project;
  private final PrintStream out;

  public ModuleInstaller(Project project, PrintStream out) {
    if (project.dir() == null) {
      throw new JboltException("no project here: run 'jbolt project init' or give --project");
    }
    this.project = project;
    this.out = out;
  }

  public record Installed(String name, String git, String ref, String commit, boolean changed) {}

  public List<Installed> install(boolean update, boolean force) {
    List<ModuleSpec> specs = ModuleSpec.of(project);
    Path modulesDir = project.dir().resolve(".modules");
    for (ModuleSpec s : specs) {
      if (Files.isDirectory(project.dir().resolve("modules").resolve(s.name()))) {
        throw new JboltException(
            "module '"
                + s.name()
                + "' ("
                + s.git()
                + ") clashes with the project's own modules/"
                + s.name()
                + "; give it another 'name'");
      }
    }
    LockFile lock = update ? null : LockFile.read(project.dir());
    checkLocalChanges(modulesDir, force);
    Path staging;
    try {
      staging = Files.createTempDirectory(project.dir(), ".modules-staging-");
    } catch (IOException e) {
      throw new JboltException(
          "cannot make a staging dir in " + project.dir() + ": " + e.getMessage());
    }
    try {
      List<Installed> done = new ArrayList<>();
      for (ModuleSpec s : specs) {
        LockFile.Entry locked = lock == null ? null : lock.find(s);
        String wanted = locked != null ? locked.commit() : resolve(s); // full, or a short commit id
        Path existing = modulesDir.resolve(s.name());
        String head = Files.isDirectory(existing.resolve(".git")) ? head(existing) : null;
        boolean same =
            head != null
                && head.startsWith(wanted)
                && sameRepository(s.git(), remote(existing))
                && clean(existing);
        String commit;
        if (same) {
          copy(existing, staging.resolve(s.name()));
          commit = head;
        } else {
          commit = fetch(s, wanted, staging.resolve(s.name()));
        }
        done.add(new Installed(s.name(), s.git(), s.ref(), commit, !same));
      }
      new LockFile(
              done.stream()
                  .map(i -> new LockFile.Entry(i.name(), i.git(), i.ref(), i.commit()))
                  .toList())
          .write(project.dir());
      swap(staging, modulesDir);
      return done;
    } catch (IOException e) {
      throw new JboltException("module install failed: " + e.getMessage());
    } finally {
      LocalFiles.deleteTree(staging);
    }
  }

  /** The commit {@code spec.ref} names: a branch, a tag (peeled), or a commit id. */
  private String resolve(ModuleSpec s) {
    String listing =
        Git.check(
            project.dir(),
            "module " + s.name() + ": cannot reach " + s.git(),
            "ls-remote",
            "--",
            s.git());
    String ref = s.ref();
    String want = null;
    for (String line : listing.split("\n")) {
      String[] parts = line.split("\t");
      if (parts.length != 2) {
        continue;
      }
      String name = parts[1];
      if (name.equals(ref) || name.equals("refs/heads/" + ref) || name.equals("refs/tags/" + ref)) {
        want = parts[0];
      }
      if (name.equals("refs/tags/" + ref + "^{}")) {
        return parts[0]; // an annotated tag's commit
      }
    }
    if (want != null) {
      return want;
    }
    if (ref.matches("[0-9a-f]{7,40}")) {
      return ref; // a commit id: checked when fetched
    }
    throw new JboltException(
        "module " + s.name() + ": ref '" + ref + "' is not a branch, tag or commit of " + s.git());
  }

  /** Clones {@code s} into {@code dest} at {@code commit}; returns the full commit id. */
  private String fetch(ModuleSpec s, String commit, Path dest) {
    out.println(
        "Installing "
            + s.name()
            + " from "
            + s.git()
            + " at "
            + s.ref()
            + " ("
            + commit.substring(0, Math.min(12, commit.length()))
            + ")");
    Git.check(
        project.dir(), // a relative path is the project's, wherever jbolt runs from
        "module " + s.name() + ": cannot clone " + s.git(),
        "clone",
        "--quiet",
        "--no-checkout",
        "--",
        s.git(),
        dest.toString());
    String full =
        Git.check(
                dest,
                "module " + s.name() + ": no commit '" + commit + "' in " + s.git(),
                "rev-parse",
                "--verify",
                "--quiet",
                "--end-of-options",
                commit + "^{commit}")
            .strip();
    if (!full.matches("[0-9a-f]{40}([0-9a-f]{24})?")) {
      throw new JboltException(
          "module " + s.name() + ": git gave '" + full + "' for " + commit + ", not a commit id");
    }
    Git.check(
        dest,
        "module " + s.name() + ": cannot check out " + commit,
        "-c",
        "advice.detachedHead=false",
        "checkout",
        "--quiet",
        "--detach",
        full);
    return full;
  }

  private static String head(Path repo) {
    Git.Out o = Git.run(repo, "rev-parse", "HEAD");
    return o.code() == 0 ? o.stdout().strip() : null;
  }

  private static boolean clean(Path repo) {
    Git.Out st = Git.run(repo, "status", "--porcelain");
    return st.code() == 0 && st.stdout().isBlank();
  }

  /**
   * Whether an installed module's origin is the repository the project names: git stores a local
   * path as an absolute one, so a relative {@code git:} path is compared as the project's.
   */
  private boolean sameRepository(String git, String origin) {
    if (origin == null) {
      return false;
    }
    if (git.equals(origin)) {
      return true;
    }
    boolean localPath = !git.contains("://") && !git.matches("[^/]*:.*");
    return localPath
        && Path.of(origin).isAbsolute()
        && project.dir().resolve(git).normalize().equals(Path.of(origin).normalize());
  }

  private static String remote(Path repo) {
    Git.Out o = Git.run(repo, "config", "--get", "remote.origin.url");
    return o.code() == 0 ? o.stdout().strip() : null;
  }

  /**
   * Refuses to throw away work: uncommitted changes in an installed module, or a dir jbolt did not
   * make.
   */
  private void checkLocalChanges(Path modulesDir, boolean force) {
    if (force || !Files.isDirectory(modulesDir)) {
      return;
    }
    try (Stream<Path> s = Files.list(modulesDir)) {
      for (Path m : s.filter(Files::isDirectory).sorted().toList()) {
        if (!Files.isDirectory(m.resolve(".git"))) {
          throw new JboltException(
              ".modules/"
                  + m.getFileName()
                  + " was not installed by jbolt (no .git); move it"
                  + " to modules/ or use --force to replace it");
        }
        Git.Out st = Git.run(m, "status", "--porcelain");
        if (st.code() != 0 || !st.stdout().isBlank()) {
          throw new JboltException(
              ".modules/"
                  + m.getFileName()
                  + " has local changes ("
                  + st.stdout().lines().count()
                  + " files); keep them elsewhere, or use --force to discard them");
        }
      }
    } catch (IOException e) {
      throw new JboltException("cannot read " + modulesDir + ": " + e.getMessage());
    }
  }

  private static void swap(Path staging, Path modulesDir) throws IOException {
    Path old = null;
    if (Files.exists(modulesDir)) {
      old = Files.createTempDirectory(modulesDir.getParent(), ".modules-old-");
      Files.delete(old);
      Files.move(modulesDir, old);
    }
    Files.move(staging, modulesDir);
    if (old != null) {
      LocalFiles.deleteTree(old);
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
  }
}
