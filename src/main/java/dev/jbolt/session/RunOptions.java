package dev.jbolt.session;

import dev.jbolt.JboltException;
import dev.jbolt.project.Project;
import dev.jbolt.transport.OutputBudget;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * How to run and show a run, from the command line; null means "not given": the project's setting
 * or the default decides.
 */
public record RunOptions(
    Integer concurrency,
    Format format,
    Double timeout,
    boolean noGather,
    boolean stream,
    ColorMode color,
    Path outputDir,
    Map<String, String> env,
    Integer outputMemory,
    Path report,
    Boolean saveRerun) {
  public static final RunOptions DEFAULT = builder().build();

  /** Options by name; what is not set is not given. */
  public static Builder builder() {
    return new Builder();
  }

  /** {@link RunOptions} by name: each setter is the option of the same name. */
  public static final class Builder {
    private Integer concurrency;
    private Format format;
    private Double timeout;
    private boolean noGather;
    private boolean stream;
    private ColorMode color;
    private Path outputDir;
    private Map<String, String> env = Map.of();
    private Integer outputMemory;
    private Path report;
    private Boolean saveRerun;

    private Builder() {}

    public Builder concurrency(Integer n) {
      concurrency = n;
      return this;
    }

    public Builder format(Format f) {
      format = f;
      return this;
    }

    public Builder timeout(Double seconds) {
      timeout = seconds;
      return this;
    }

    public Builder noGather(boolean b) {
      noGather = b;
      return this;
    }

    public Builder stream(boolean b) {
      stream = b;
      return this;
    }

    public Builder color(ColorMode c) {
      color = c;
      return this;
    }

    public Builder outputDir(Path dir) {
      outputDir = dir;
      return this;
    }

    public Builder env(Map<String, String> vars) {
      env = Map.copyOf(vars);
      return this;
    }

    public Builder outputMemory(Integer mib) {
      outputMemory = mib;
      return this;
    }

    public Builder report(Path file) {
      report = file;
      return this;
    }

    public Builder saveRerun(Boolean b) {
      saveRerun = b;
      return this;
    }

    public RunOptions build() {
      return new RunOptions(
          concurrency,
          format,
          timeout,
          noGather,
          stream,
          color,
          outputDir,
          env,
          outputMemory,
          report,
          saveRerun);
    }
  }

  /** --[no-]save-rerun, else the project's 'save-rerun', else true: write .jbolt/rerun.json. */
  boolean saveRerun(Project project) {
    return saveRerun != null
        ? saveRerun
        : !Boolean.FALSE.equals(project.settings().get("save-rerun"));
  }

  /** --concurrency, else the project's 'concurrency', else 100; 1 or more. */
  int concurrency(Project project) {
    int n = concurrency != null ? concurrency : project.intSetting("concurrency", 100);
    if (n < 1) {
      throw new JboltException("--concurrency must be 1 or more, not " + n);
    }
    return n;
  }

  /** --format, else the project's 'format', else human. */
  Format format(Project project) {
    return format != null ? format : Format.valueOf(project.stringSetting("format", "human"));
  }

  /**
   * --timeout in milliseconds, 0 without one; it must be more than 0 seconds, and a fraction of a
   * millisecond is a millisecond (never 0, which would mean no limit).
   */
  long timeoutMillis() {
    Double seconds = timeout;
    if (seconds == null) {
      return 0;
    }
    if (!(seconds > 0) || seconds > 31_536_000) {
      throw new JboltException(
          "--timeout must be more than 0 seconds and at most a year, not " + seconds);
    }
    return (long) Math.ceil(seconds * 1000);
  }

  /**
   * --output-memory, else the project's 'output-memory', in MiB, as bytes; else the default. At
   * most half the heap: output must never be what runs the JVM out of memory.
   */
  long outputMemoryBytes(Project project, PrintStream warnings) {
    Integer option = outputMemory;
    if (option == null && project.settings().get("output-memory") == null) {
      return OutputBudget.defaultLimit();
    }
    int mib = option != null ? option : project.intSetting("output-memory", 0);
    if (mib < 1) {
      throw new JboltException("--output-memory must be 1 (MiB) or more, not " + mib);
    }
    long most = Runtime.getRuntime().maxMemory() / 2;
    if (((long) mib << 20) > most) {
      warnings.println(
          "jbolt: warning: output-memory "
              + mib
              + " MiB is more than half the heap; "
              + (most >> 20)
              + " MiB is used (give the JVM more heap with JAVA_OPTS=-Xmx...)");
      return most;
    }
    return (long) mib << 20;
  }

  public enum Format {
    human,
    json
  }

  public enum ColorMode {
    auto,
    always,
    never
  }

  /**
   * Colour for human output: --color, else the project's {@code color}, else on a terminal unless
   * NO_COLOR is set.
   */
  boolean colour(Project project, Console console, Format format) {
    ColorMode mode =
        color != null
            ? color
            : project.settings().get("color") instanceof Boolean b
                ? (b ? ColorMode.always : ColorMode.never)
                : ColorMode.auto;
    return format == Format.human
        && switch (mode) {
          case always -> true;
          case never -> false;
          case auto -> console.stdoutTerminal() && !console.env().containsKey("NO_COLOR");
        };
  }
}
