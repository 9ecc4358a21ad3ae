package dev.jbolt;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layering of docs/architecture.md, checked on the compiled classes: arrows point down ({@code
 * cli -> plan -> session -> task -> action -> exec -> transport}), {@code result} is imported by
 * all and imports none of them, nothing imports {@code cli}, and no package depends on another that
 * depends back on it.
 */
class ArchitectureTest {
  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.jbolt");
  }

  @Test
  void noPackageCycles() {
    slices().matching("dev.jbolt.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void nothingImportsTheCommandLine() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.jbolt.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.jbolt.cli..")
        .check(classes);
  }

  @Test
  void resultsImportNothingOfJbolts() {
    noClasses()
        .that()
        .resideInAPackage("dev.jbolt.result..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.jbolt.cli..",
            "dev.jbolt.session..",
            "dev.jbolt.plan..",
            "dev.jbolt.task..",
            "dev.jbolt.action..",
            "dev.jbolt.exec..",
            "dev.jbolt.transport..",
            "dev.jbolt.output..",
            "dev.jbolt.inventory..",
            "dev.jbolt.project..")
        .check(classes);
  }

  @Test
  void theSessionIsBelowPlansAndCommands() {
    noClasses()
        .that()
        .resideInAPackage("dev.jbolt.session..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.jbolt.plan..", "dev.jbolt.cli..")
        .check(classes);
  }

  @Test
  void actionsAndTheExecutorKnowNoSessionPlanOrTask() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.jbolt.action..", "dev.jbolt.exec..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.jbolt.session..",
            "dev.jbolt.plan..",
            "dev.jbolt.task..",
            "dev.jbolt.output..",
            "dev.jbolt.project..")
        .check(classes);
  }

  @Test
  void transportsAreTheBottom() {
    noClasses()
        .that()
        .resideInAPackage("dev.jbolt.transport..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.jbolt.action..",
            "dev.jbolt.exec..",
            "dev.jbolt.session..",
            "dev.jbolt.plan..",
            "dev.jbolt.task..",
            "dev.jbolt.output..",
            "dev.jbolt.project..")
        .check(classes);
  }

  @Test
  void minaStaysInsideTheSshTransport() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.jbolt.transport.ssh..", "dev.jbolt.cli..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.sshd..")
        .check(classes);
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
