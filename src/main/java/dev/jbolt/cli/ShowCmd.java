package dev.jbolt.cli;

import dev.jbolt.session.Console;
import dev.jbolt.session.RunOptions;
import dev.jbolt.session.Session;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;

/**
 * What every {@code show} command shares: {@code --format}, the project's options, and a session
 * open (project, inventory, modules; nothing connects) while it shows.
 */
abstract class ShowCmd implements Callable<Integer> {
  @Mixin Options.FormatOpt format;

  @Mixin Options.ProjectOpts project;

  final Console ctx;

  ShowCmd(Console ctx) {
    this.ctx = ctx;
  }

  /** Whether the user asked for JSON (the default is human). */
  boolean json() {
    return format.format == RunOptions.Format.json;
  }

  @Override
  public Integer call() {
    try (Session s = Session.open(ctx, project.options())) {
      show(s);
      return Main.OK;
    }
  }

  /** Prints what the command shows, from the open session. */
  abstract void show(Session s);
}
