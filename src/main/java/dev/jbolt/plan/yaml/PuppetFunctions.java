package dev.jbolt.plan.yaml;

import java.util.Map;
import java.util.Set;

/** The functions a YAML plan's expressions may call, and what each becomes in JavaScript. */
final class PuppetFunctions {
  private PuppetFunctions() {}

  /**
   * Functions an expression may call, by their Puppet name, with the JavaScript they become: Bolt's
   * plan functions and the common Puppet data functions (the latter through {@code puppet.call}).
   */
  static final Map<String, String> BOLT_FUNCTIONS =
      Map.ofEntries(
          Map.entry("get_targets", "get_targets"),
          Map.entry("get_target", "get_target"),
          Map.entry("run_command", "run_command"),
          Map.entry("run_script", "run_script"),
          Map.entry("run_task", "run_task"),
          Map.entry("run_plan", "run_plan"),
          Map.entry("upload_file", "upload_file"),
          Map.entry("download_file", "download_file"),
          Map.entry("write_file", "write_file"),
          Map.entry("wait_until_available", "wait_until_available"),
          Map.entry("fail_plan", "fail_plan"),
          Map.entry("vars", "vars"),
          Map.entry("facts", "facts"),
          Map.entry("set_var", "set_var"),
          Map.entry("add_facts", "add_facts"),
          Map.entry("set_feature", "set_feature"),
          Map.entry("get_resources", "get_resources"),
          Map.entry("file::read", "file.read"),
          Map.entry("file::exists", "file.exists"),
          Map.entry("file::join", "file.join"),
          Map.entry("dir::children", "dir.children"),
          Map.entry("system::env", "system.env"),
          Map.entry("out::message", "out.message"),
          Map.entry("out::verbose", "out.verbose"),
          Map.entry("prompt", "prompt"),
          Map.entry("prompt::menu", "prompt.menu"),
          Map.entry("ctrl::sleep", "ctrl.sleep"));

  /** Puppet's data functions jbolt provides ({@code puppet.call(name, ...)} in the prelude). */
  static final Set<String> FUNCTIONS =
      Set.of(
          "first",
          "last",
          "length",
          "size",
          "count",
          "empty",
          "keys",
          "values",
          "join",
          "split",
          "flatten",
          "unique",
          "sort",
          "reverse",
          "upcase",
          "downcase",
          "capitalize",
          "strip",
          "to_json",
          "to_data",
          "ok",
          "ok_set",
          "error_set",
          "names",
          "targets",
          "value",
          "target",
          "message",
          "error",
          "status",
          "name",
          "uri",
          "host",
          "port",
          "user",
          "protocol",
          "transport",
          "safe_name",
          "vars",
          "facts",
          "features",
          "max",
          "min",
          "abs",
          "results",
          "find",
          "merge",
          "include");
}
