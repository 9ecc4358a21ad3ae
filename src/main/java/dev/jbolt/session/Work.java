package dev.jbolt.session;

import dev.jbolt.action.Streams;
import dev.jbolt.exec.TargetAction;
import dev.jbolt.inventory.Target;
import java.util.List;

/**
 * One action on many targets, for {@link Session}: its {@code action} and {@code object} (as JSON,
 * the run report and the output directory name them: "command", "uptime"), the targets, what it
 * does on each, and where its output streams as it comes ({@code streams}; null: gathered only).
 */
public record Work(
    String action, String object, List<Target> targets, TargetAction fn, Streams streams) {}
