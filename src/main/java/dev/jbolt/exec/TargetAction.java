package dev.jbolt.exec;

import dev.jbolt.inventory.Target;
import dev.jbolt.result.Result;
import dev.jbolt.transport.Connection;
import dev.jbolt.transport.TransportException;

/** What one action does on one target, given that target's connection. */
@FunctionalInterface
public interface TargetAction {
  Result run(Target target, Connection connection) throws TransportException;
}
