package dev.jbolt.inventory;

import java.util.Map;

/**
 * A reference plugin, as in Bolt: what a {@code {_plugin: NAME, ...}} mapping in the inventory or
 * project file stands for. It gets the mapping's other keys (their own references resolved) and
 * gives the value that replaces the mapping; a failure is a {@link dev.jbolt.JboltException} whose
 * message says what went wrong, never a secret it handled.
 */
@FunctionalInterface
public interface Plugin {
  Object resolve(Map<String, Object> params);
}
