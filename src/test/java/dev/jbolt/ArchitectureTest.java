package dev.jbolt;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

/**
 * The layering of docs/architecture.md, checked on the compiled classes: every package of jbolt is
 * in one layer of {@link #LAYERS}, a class uses only its own layer and those below it, no two
 * packages depend on each other (slices by every package, not only the top-level ones), and the
 * transports' implementations are reached only through {@code transports}.
 */
class ArchitectureTest {
  /**
   * The layers, top first, as the diagram in docs/architecture.md draws them; each names its
   * packages (ArchUnit's syntax: {@code ..} takes sub-packages too).
   */
  static final List<List<String>> LAYERS =
      List.of(
          List.of("dev.jbolt.cli.."),
          List.of("dev.jbolt.warm.."),
          List.of("dev.jbolt.plan.."),
          List.of("dev.jbolt.service.."),
          List.of("dev.jbolt.session.."),
          List.of("dev.jbolt.output.."),
          List.of("dev.jbolt.task.."),
          List.of("dev.jbolt.action.."),
          List.of("dev.jbolt.exec.."),
          List.of("dev.jbolt.transports.."),
          List.of(
              "dev.jbolt.transport.ssh..",
              "dev.jbolt.transport.local..",
              "dev.jbolt.transport.container.."),
          List.of("dev.jbolt.transport"),
          List.of("dev.jbolt.project.."),
          List.of("dev.jbolt.inventory.."),
          List.of("dev.jbolt.secret.."),
          List.of("dev.jbolt.files.."),
          List.of("dev.jbolt"),
          List.of("dev.jbolt.result.."));

  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes = new ClassFileImporter().importPath(Path.of("target/classes"));
  }

  @Test
  void noPackageCycles() {
    noCycles().check(classes);
  }

  static ArchRule noCycles() {
    return slices().matching("dev.jbolt.(**)").should().beFreeOfCycles();
  }

  @Test
  void everyPackageIsInALayer() {
    List<String> loose =
        classes.stream()
            .map(JavaClass::getPackageName)
            .distinct()
            .filter(p -> p.startsWith("dev.jbolt"))
            .filter(p -> LAYERS.stream().flatMap(List::stream).noneMatch(l -> matches(p, l)))
            .sorted()
            .toList();
    assertEquals(List.of(), loose, "packages in no layer of ArchitectureTest.LAYERS");
  }

  private static boolean matches(String pkg, String layer) {
    return layer.endsWith("..")
        ? pkg.equals(layer.substring(0, layer.length() - 2))
            || pkg.startsWith(layer.substring(0, layer.length() - 1))
        : pkg.equals(layer);
  }

  @Test
  void arrowsPointDown() {
    for (ArchRule r : layerRules()) {
      r.check(classes);
    }
  }

  /** One rule per layer: its classes use nothing of the layers above it. */
  static List<ArchRule> layerRules() {
    List<ArchRule> rules = new ArrayList<>();
    for (int i = 1; i < LAYERS.size(); i++) {
      List<String> above = LAYERS.subList(0, i).stream().flatMap(List::stream).toList();
      rules.add(
          noClasses()
              .that()
              .resideInAnyPackage(LAYERS.get(i).toArray(String[]::new))
              .should()
              .dependOnClassesThat()
              .resideInAnyPackage(above.toArray(String[]::new))
              .as(LAYERS.get(i) + " uses nothing above it"));
    }
    return rules;
  }

  @Test
  void theTransportsAreReachedThroughTheirFactory() {
    noClasses()
        .that()
        .resideOutsideOfPackages(
            "dev.jbolt.transports..",
            "dev.jbolt.transport.ssh..",
            "dev.jbolt.transport.local..",
            "dev.jbolt.transport.container..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.jbolt.transport.ssh..",
            "dev.jbolt.transport.local..",
            "dev.jbolt.transport.container..")
        .check(classes);
  }

  /**
   * {@code cli} holds commands (picocli's {@code @Command} classes, and the classes nested in them)
   * and these, which serve them; a renderer, a protocol or a process of its own goes to its layer.
   */
  static final Set<String> CLI_SUPPORT =
      Set.of(
          "Main", // argv to a command, exit codes
          "Options", // the shared mixins
          "ListOpts",
          "EnvVars",
          "ShowCmd", // the base of the show commands
          "Help", // tables and usage lines for help and show
          "Complete", // TAB completion, from picocli's model
          "ManPages", // man pages, from picocli's model
          "Warm", // the warm process's entry (its code: warm)
          "Train"); // the start-up cache's training run

  @Test
  void theCommandLineHoldsCommands() {
    List<String> other =
        classes.stream()
            .filter(c -> c.getPackageName().equals("dev.jbolt.cli") && c.isTopLevelClass())
            .filter(c -> !c.isAnnotatedWith(Command.class))
            .map(JavaClass::getSimpleName)
            .filter(n -> !CLI_SUPPORT.contains(n))
            .sorted()
            .toList();
    assertEquals(List.of(), other, "cli classes that are neither commands nor CLI_SUPPORT");
  }

  @Test
  void minaStaysInsideTheSshTransport() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.jbolt.transport.ssh..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.sshd..")
        .check(classes);
  }

  /**
   * The rules fail where they should: a test-only class in {@code transport} that uses {@code
   * transports} (an arrow up, and a cycle with it) and one in {@code result} that uses a {@code
   * session} type.
   */
  @Test
  void anArrowUpOrACycleFails() {
    JavaClasses withViolations =
        new ClassFileImporter()
            .importPaths(
                Path.of("target/classes"),
                Path.of("target/test-classes/dev/jbolt/transport/UpwardArrowFixture.class"),
                Path.of("target/test-classes/dev/jbolt/result/UpwardArrowFixture.class"));
    assertThrows(AssertionError.class, () -> noCycles().check(withViolations));
    List<String> failed = new ArrayList<>();
    for (ArchRule r : layerRules()) {
      try {
        r.check(withViolations);
      } catch (AssertionError e) {
        failed.add(r.getDescription());
      }
    }
    assertEquals(
        List.of(
            "[dev.jbolt.transport] uses nothing above it",
            "[dev.jbolt.result..] uses nothing above it"),
        failed);
  }

  @Test
  void graalStaysInsidePlans() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.jbolt.plan..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.graalvm..")
        .check(classes);
  }

  /** A method past 60 lines does more than one step: split it by phase (javac's own parser). */
  @Test
  void noMethodOverSixtyLines() throws IOException {
    Path root = Path.of("src/main/java/dev/jbolt");
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null);
    JavacTask task =
        (JavacTask)
            javac.getTask(
                null,
                fm,
                d -> {},
                List.of("-proc:none"),
                null,
                fm.getJavaFileObjectsFromPaths(files));
    SourcePositions at = Trees.instance(task).getSourcePositions();
    Set<String> long60 = new TreeSet<>();
    for (CompilationUnitTree unit : task.parse()) {
      String file =
          root.toAbsolutePath().relativize(Path.of(unit.getSourceFile().toUri())).toString();
      new TreeScanner<Void, Void>() {
        @Override
        public Void visitMethod(MethodTree m, Void v) {
          if (m.getBody() != null) {
            long first = unit.getLineMap().getLineNumber(at.getStartPosition(unit, m));
            long last = unit.getLineMap().getLineNumber(at.getEndPosition(unit, m));
            if (last - first + 1 > 60) {
              long60.add(file + " " + m.getName());
            }
          }
          return super.visitMethod(m, v);
        }
      }.scan(unit, null);
    }
    assertEquals(Set.of(), long60, "methods over 60 lines: split them by phase");
  }

  /** A file past 400 lines does more than one thing: split it by concern before it lands. */
  @Test
  void noMainFileOverFourHundredLines() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      List<String> tooLong =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .filter(p -> lines(p) > 400)
              .map(p -> p + " (" + lines(p) + " lines)")
              .toList();
      assertEquals(List.of(), tooLong);
    }
  }

  private static long lines(Path p) {
    try (Stream<String> l = Files.lines(p)) {
      return l.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
