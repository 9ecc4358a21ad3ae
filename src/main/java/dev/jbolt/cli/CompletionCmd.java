package dev.jbolt.cli;

import dev.jbolt.session.Console;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code jbolt completion bash|zsh}: the shell's completion script, to source or install. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print the completion script of bash or zsh. It completes commands and options, and the"
          + " targets, groups, tasks, plans and parameters of the project you are in.",
      "bash: source <(jbolt completion bash)   zsh: source <(jbolt completion zsh)"
    })
final class CompletionCmd implements Callable<Integer> {
  enum Shell {
    bash,
    zsh
  }

  @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
  Shell shell;

  private final Console ctx;

  CompletionCmd(Console ctx) {
    this.ctx = ctx;
  }

  @Override
  public Integer call() throws IOException {
    ctx.out().print(script(shell));
    ctx.out().flush();
    return Main.OK;
  }

  static String script(Shell shell) throws IOException {
    try (InputStream in = CompletionCmd.class.getResourceAsStream("completion." + shell)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
