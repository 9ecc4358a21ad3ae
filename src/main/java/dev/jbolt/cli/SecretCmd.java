package dev.jbolt.cli;

import dev.jbolt.JboltException;
import dev.jbolt.secret.Pkcs7;
import dev.jbolt.session.Console;
import dev.jbolt.session.Session;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "secret",
    description =
        "Encrypted values for inventories and project files, as Bolt's 'secret' (pkcs7 plugin).",
    mixinStandardHelpOptions = true,
    subcommands = {SecretCmd.CreateKeys.class, SecretCmd.Encrypt.class, SecretCmd.Decrypt.class})
final class SecretCmd {
  /** The options every secret command has: where the project is, and Bolt's --plugin. */
  static class Base {
    @Option(
        names = "--plugin",
        paramLabel = "PLUGIN",
        description = "The secret plugin: pkcs7 (the default and the only one).")
    String plugin = "pkcs7";

    @Mixin Options.ProjectOpts project;

    final Console ctx;

    Base(Console ctx) {
      this.ctx = ctx;
    }

    /** The project's keys (plugins.pkcs7 in the project file, else keys/ of the project). */
    Pkcs7 keys(Session s) {
      if (!plugin.equals("pkcs7")) {
        throw new JboltException("unknown secret plugin '" + plugin + "' (jbolt has pkcs7)");
      }
      Path dir = s.project().dir() == null ? ctx.cwd() : s.project().dir();
      return Pkcs7.forProject(dir, s.project().pluginSettings());
    }

    String shown(Path p) {
      return ctx.cwd().relativize(p.toAbsolutePath()).toString();
    }
  }

  @Command(
      name = "createkeys",
      mixinStandardHelpOptions = true,
      description =
          "Create the key pair that encrypts and decrypts values (mode 0600 private key).")
  static final class CreateKeys extends Base implements Callable<Integer> {
    @Option(names = "--force", description = "Replace an existing key pair.")
    boolean force;

    CreateKeys(Console ctx) {
      super(ctx);
    }

    @Override
    public Integer call() {
      try (Session s = Session.open(ctx, project.options())) {
        Pkcs7 keys = keys(s);
        keys.createKeys(force);
        ctx.out().println("Created the private key " + shown(keys.privateKey()));
        ctx.out().println("Created the public key  " + shown(keys.publicKey()));
        ctx.out().println("Keep the private key out of version control; share it as a secret.");
        return Main.OK;
      }
    }
  }

  @Command(
      name = "encrypt",
      mixinStandardHelpOptions = true,
      description = {
        "Print ENC[PKCS7,...] for a value, to paste into inventory.yaml under"
            + " {_plugin: pkcs7, encrypted_value: ...}.",
        "Without VALUE it is read from a prompt (not echoed) or one line of stdin, so that it"
            + " appears in no process list."
      })
  static final class Encrypt extends Base implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "VALUE")
    String value;

    Encrypt(Console ctx) {
      super(ctx);
    }

    @Override
    public Integer call() {
      try (Session s = Session.open(ctx, project.options())) {
        Pkcs7 keys = keys(s);
        String plain = value != null ? value : ctx.ask("Value to encrypt", true);
        ctx.out().println(keys.encrypt(plain));
        return Main.OK;
      }
    }
  }

  @Command(
      name = "decrypt",
      mixinStandardHelpOptions = true,
      description = "Print the plaintext of an ENC[PKCS7,...] value (without VALUE: all of stdin).")
  static final class Decrypt extends Base implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "VALUE")
    String value;

    Decrypt(Console ctx) {
      super(ctx);
    }

    @Override
    public Integer call() throws IOException {
      try (Session s = Session.open(ctx, project.options())) {
        Pkcs7 keys = keys(s);
        String enc =
            value != null ? value : new String(ctx.in().readAllBytes(), StandardCharsets.UTF_8);
        ctx.out().println(keys.decrypt(enc));
        return Main.OK;
      }
    }
  }
}
