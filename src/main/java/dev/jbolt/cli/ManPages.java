package dev.jbolt.cli;

import dev.jbolt.session.Console;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes the release's man pages (one per command, {@code jbolt-command-run.1}, from picocli's
 * model) and completion scripts. Run by the build ({@code mvn package}): {@code ManPages DIR} fills
 * {@code DIR/man/man1} and {@code DIR/completion}. picocli-codegen writes AsciiDoc, which needs
 * Asciidoctor (JRuby) to become a man page: troff is written here instead.
 */
public final class ManPages {
  private ManPages() {}

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args[0]);
    Path man = Files.createDirectories(out.resolve("man/man1"));
    CommandLine root = Main.all(Console.system());
    for (CommandLine c : commands(root, new ArrayList<>())) {
      String name = c.getCommandSpec().qualifiedName("-");
      Files.writeString(man.resolve(name + ".1"), page(c.getCommandSpec()));
    }
    Path completion = Files.createDirectories(out.resolve("completion"));
    Files.writeString(
        completion.resolve("jbolt.bash"), CompletionCmd.script(CompletionCmd.Shell.bash));
    Files.writeString(completion.resolve("_jbolt"), CompletionCmd.script(CompletionCmd.Shell.zsh));
  }

  /** The command and every subcommand under it but picocli's {@code help}, depth first. */
  private static List<CommandLine> commands(CommandLine c, List<CommandLine> into) {
    into.add(c);
    for (CommandLine sub : c.getSubcommands().values()) {
      if (!sub.getCommandSpec().usageMessage().hidden()
          && !(sub.getCommand() instanceof CommandLine.HelpCommand)) {
        commands(sub, into);
      }
    }
    return into;
  }

  /** The OPTIONS section: each visible option, its names and value, its description. */
  private static void options(CommandSpec spec, StringBuilder t) {
    t.append(".SH OPTIONS\n");
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) {
        continue;
      }
      t.append(".TP\n");
      List<String> names = new ArrayList<>();
      for (String n : o.names()) {
        names.add("\\fB" + escape(n) + "\\fR");
      }
      t.append(String.join(", ", names));
      if (o.arity().max() > 0) {
        t.append(" \\fI").append(escape(o.paramLabel())).append("\\fR");
      }
      t.append('\n').append(escape(String.join(" ", o.description()))).append('\n');
    }
  }

  /** SEE ALSO: the parent command and the subcommands (not help). */
  private static void seeAlso(CommandSpec spec, StringBuilder t) {
    t.append(".SH SEE ALSO\n");
    List<String> see = new ArrayList<>();
    if (spec.parent() != null) {
      see.add(spec.parent().qualifiedName("-"));
    }
    spec.subcommands().values().forEach(c -> see.add(c.getCommandSpec().qualifiedName("-")));
    see.removeIf(s -> s.endsWith("-help"));
    List<String> refs = new ArrayList<>();
    for (String s : see) {
      refs.add("\\fB" + escape(s) + "\\fR(1)");
    }
    t.append(String.join(", ", refs)).append('\n');
  }

  static String page(CommandSpec spec) {
    StringBuilder t = new StringBuilder();
    String name = spec.qualifiedName("-");
    String[] description = spec.usageMessage().description();
    t.append(".TH \"")
        .append(name.toUpperCase(Locale.ROOT))
        .append("\" \"1\" \"\" \"")
        .append(Main.Version.text())
        .append("\" \"jbolt manual\"\n");
    t.append(".SH NAME\n").append(escape(name)).append(" \\- ");
    t.append(escape(description.length == 0 ? "" : firstSentence(description[0])));
    t.append("\n.SH SYNOPSIS\n.nf\n");
    t.append(escape(spec.commandLine().getHelp().synopsis(0).strip())).append("\n.fi\n");
    if (description.length > 0) {
      t.append(".SH DESCRIPTION\n");
      for (String d : description) {
        t.append(escape(d)).append("\n.PP\n");
      }
    }
    Map<String, CommandLine> subs = spec.subcommands();
    if (!subs.isEmpty()) {
      t.append(".SH COMMANDS\n");
      subs.forEach(
          (n, c) -> {
            String[] d = c.getCommandSpec().usageMessage().description();
            t.append(".TP\n.B ").append(escape(n)).append('\n');
            t.append(escape(d.length == 0 ? "" : d[0])).append('\n');
          });
    }
    if (!spec.positionalParameters().isEmpty()) {
      t.append(".SH ARGUMENTS\n");
      for (PositionalParamSpec p : spec.positionalParameters()) {
        if (!p.hidden()) {
          t.append(".TP\n.I ").append(escape(p.paramLabel())).append('\n');
          t.append(escape(String.join(" ", p.description()))).append('\n');
        }
      }
    }
    options(spec, t);
    seeAlso(spec, t);
    t.append(".PP\nThe guides: share/doc/jbolt in the install directory, docs/ in the source.\n");
    return t.toString();
  }

  private static String firstSentence(String s) {
    int dot = s.indexOf(". ");
    return (dot < 0 ? s : s.substring(0, dot + 1)).replace('\n', ' ');
  }

  /** troff: backslashes, hyphens, and a line starting with '.' or '\''. */
  static String escape(String s) {
    String e = s.replace("\\", "\\e").replace("-", "\\-");
    return e.replaceAll("(?m)^([.'])", "\\\\&$1");
  }
}
