package dev.jbolt.testing;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace of the test's own, for faults the loopback of the host cannot stage: a
 * blackholed address, where packets vanish without an answer or an error. Inside it, loopback
 * addresses are local only when {@link #addLocal} says so, and {@link #blackhole} routes one into a
 * bridge without ports, which drops whatever it is given. Nothing leaves 127.0.0.0/8. Making one
 * needs root and ip(8); without them the test is skipped, saying why.
 */
public final class Netns implements AutoCloseable {
  private final String name;

  private Netns(String name) {
    this.name = name;
  }

  public static Netns create() {
    Quick.skipsWhatNeeds("a network namespace");
    String name =
        "jbolt-"
            + ProcessHandle.current().pid()
            + "-"
            + Long.toHexString(System.nanoTime() & 0xffffff);
    try {
      Cmd.run("ip", "netns", "add", name);
    } catch (IllegalStateException e) {
      Assumptions.abort(
          "cannot make a network namespace on this machine (needs root and ip(8)): "
              + e.getMessage());
    }
    Netns ns = new Netns(name);
    try {
      ns.run("ip", "link", "set", "lo", "up");
      ns.run("ip", "link", "add", "jbhole", "type", "bridge");
      ns.run("ip", "link", "set", "jbhole", "arp", "off", "up");
      ns.run("sysctl", "-qw", "net.ipv4.conf.all.route_localnet=1");
      ns.run("sysctl", "-qw", "net.ipv4.conf.jbhole.route_localnet=1");
      // Only 127.0.0.1 and what addLocal adds answer; the rest of 127/8 can then be routed away.
      ns.run("ip", "route", "del", "local", "127.0.0.0/8", "dev", "lo", "table", "local");
    } catch (IllegalStateException e) {
      ns.close();
      Assumptions.abort(
          "cannot stage a blackhole in a network namespace on this machine: " + e.getMessage());
    }
    return ns;
  }

  /** The prefix that runs a command inside this namespace. */
  public List<String> prefix() {
    return List.of("ip", "netns", "exec", name);
  }

  public String run(String... argv) {
    List<String> cmd = new ArrayList<>(prefix());
    cmd.addAll(List.of(argv));
    return Cmd.run(cmd.toArray(String[]::new));
  }

  /** {@code address} answers locally, as 127.0.0.1 does. */
  public void addLocal(String address) {
    run("ip", "route", "add", "local", address + "/32", "dev", "lo", "table", "local");
  }

  /**
   * From now on, packets to {@code address} are dropped: connections to it hang, established ones
   * stall.
   */
  public void blackhole(String address) {
    try {
      run("ip", "route", "del", "local", address + "/32", "dev", "lo", "table", "local");
    } catch (IllegalStateException e) {
      // it was not local
    }
    run("ip", "route", "add", address + "/32", "dev", "jbhole");
  }

  @Override
  public void close() {
    Cmd.runQuietly("ip", "netns", "del", name);
  }
}
