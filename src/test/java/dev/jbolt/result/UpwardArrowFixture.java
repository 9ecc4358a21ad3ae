package dev.jbolt.result;

import dev.jbolt.session.Console;

/** A deliberate violation for ArchitectureTest: {@code result} using a session's type. */
final class UpwardArrowFixture {
  Console console;
}
