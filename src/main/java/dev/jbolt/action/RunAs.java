package dev.jbolt.action;

import dev.jbolt.Secret;

/** Who a command runs as on the target ({@code run-as}) and the password sudo asks for. */
public record RunAs(String user, Secret sudoPassword) {}
