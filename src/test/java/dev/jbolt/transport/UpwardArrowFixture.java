package dev.jbolt.transport;

import dev.jbolt.transports.Transports;

/** A deliberate violation for ArchitectureTest: {@code transport} using the layer above it. */
final class UpwardArrowFixture {
  Transports transports;
}
