package dev.jbolt.plan.yaml;

import java.util.ArrayList;
import java.util.List;

/**
 * The part of the Puppet language that YAML plans use in their values, compiled to JavaScript for
 * the plan engine: variables ({@code $name}), literals (strings, numbers, booleans, {@code undef},
 * arrays, hashes), indexing ({@code $x[0]}, {@code $r['stdout']}), method-style and plain calls of
 * the functions {@link PuppetFunctions} names ({@code $users.join(',')}, {@code file::read('x')}),
 * arithmetic, comparison and {@code and}/{@code or}/{@code !}, and double-quoted interpolation
 * ({@code "${users[0]} and $name"}). Everything else (lambdas, assignments, conditionals, types,
 * resource expressions) is Puppet code that needs Puppet's evaluator: {@link Unsupported} names it.
 * Values keep Puppet's meaning through the {@code puppet} helpers of the plan prelude (integer
 * division, case-insensitive string equality, {@code undef} and {@code false} the only falsy
 * values).
 */
final class PuppetExpr extends PuppetCursor {

  /** Turns a Puppet variable name into the JavaScript name that holds it, or null if unknown. */
  interface Scope {
    String variable(String name);
  }

  private final Scope scope;

  private PuppetExpr(String src, Scope scope) {
    super(src);
    this.scope = scope;
  }

  /** The JavaScript expression for Puppet expression {@code code}. */
  static String compile(String code, Scope scope) {
    PuppetExpr p = new PuppetExpr(code, scope);
    String js = p.orExpr();
    p.skipSpace();
    if (p.pos < p.src.length()) {
      throw p.unsupportedAt();
    }
    return js;
  }

  static String variable(String name, Scope scope) {
    String js = scope.variable(name.startsWith("::") ? name.substring(2) : name);
    if (js == null) {
      throw new UnknownVariable(name);
    }
    return js;
  }

  /** A reference to a variable that is neither a parameter nor an earlier named step. */
  static final class UnknownVariable extends RuntimeException {
    UnknownVariable(String name) {
      super("$" + name + " is not a parameter of the plan nor the name of an earlier step");
    }
  }

  // ---- the parser: precedence climbing over Puppet's operators ----

  private String orExpr() {
    String left = andExpr();
    while (word("or")) {
      left = "(puppet.truthy(" + left + ") || puppet.truthy(" + andExpr() + "))";
    }
    return left;
  }

  private String andExpr() {
    String left = relational();
    while (word("and")) {
      left = "(puppet.truthy(" + left + ") && puppet.truthy(" + relational() + "))";
    }
    return left;
  }

  private String relational() {
    String left = equality();
    while (true) {
      String op = operator("<=", ">=", "<", ">");
      if (op == null) {
        return left;
      }
      left = "puppet.op('" + op + "', " + left + ", " + equality() + ")";
    }
  }

  private String equality() {
    String left = additive();
    while (true) {
      String op = operator("==", "!=");
      if (op == null) {
        return left;
      }
      String eq = "puppet.eq(" + left + ", " + additive() + ")";
      left = op.equals("==") ? eq : "!" + eq;
    }
  }

  private String additive() {
    String left = multiplicative();
    while (true) {
      String op = operator("+", "-");
      if (op == null) {
        return left;
      }
      left = "puppet.op('" + op + "', " + left + ", " + multiplicative() + ")";
    }
  }

  private String multiplicative() {
    String left = unary();
    while (true) {
      String op = operator("*", "/", "%");
      if (op == null) {
        return left;
      }
      left = "puppet.op('" + op + "', " + left + ", " + unary() + ")";
    }
  }

  private String unary() {
    skipSpace();
    if (peek('!') && !src.startsWith("!=", pos) && !src.startsWith("!~", pos)) {
      pos++;
      return "!puppet.truthy(" + unary() + ")";
    }
    if (peek('-')) {
      pos++;
      return "puppet.op('-', 0, " + unary() + ")";
    }
    return postfix();
  }

  private String postfix() {
    String v = primary();
    while (true) {
      skipSpace();
      if (peek('[')) {
        pos++;
        List<String> args = list(']');
        if (args.isEmpty() || args.size() > 2) {
          throw new Unsupported("an index with " + args.size() + " values");
        }
        v = "puppet.at(" + v + ", " + String.join(", ", args) + ")";
      } else if (peek('.') && pos + 1 < src.length() && Character.isLetter(src.charAt(pos + 1))) {
        pos++;
        String name = ident();
        List<String> args = new ArrayList<>();
        skipSpace();
        if (peek('(')) {
          pos++;
          args = list(')');
        }
        lambdaCheck(name);
        if (!PuppetFunctions.FUNCTIONS.contains(name)) {
          throw unknownFunction(name);
        }
        v =
            "puppet.call('"
                + name
                + "', "
                + v
                + (args.isEmpty() ? "" : ", " + String.join(", ", args))
                + ")";
      } else {
        lambdaCheck(null);
        return v;
      }
    }
  }

  /** A lambda ({@code map |$t| { ... }}) is Puppet code jbolt cannot run: refused, by name. */
  private void lambdaCheck(String function) {
    skipSpace();
    if (peek('|')) {
      throw new Unsupported(
          (function == null ? "" : function + " with ") + "a lambda (|...| { ... })");
    }
  }

  private String primary() {
    skipSpace();
    if (pos >= src.length()) {
      throw new Unsupported("an expression that ends too early");
    }
    char c = src.charAt(pos);
    if (c == '$') {
      return variableReference();
    }
    if (c == '\'') {
      return singleQuoted();
    }
    if (c == '"') {
      return doubleQuoted();
    }
    if (Character.isDigit(c)) {
      return number();
    }
    if (c == '[') {
      pos++;
      return "[" + String.join(", ", list(']')) + "]";
    }
    if (c == '{') {
      pos++;
      return hash();
    }
    if (c == '(') {
      pos++;
      String inner = orExpr();
      expect(')');
      return "(" + inner + ")";
    }
    if (Character.isLowerCase(c)) {
      return wordOrCall();
    }
    if (Character.isUpperCase(c)) {
      throw new Unsupported("a Puppet type or resource reference");
    }
    throw unsupportedAt();
  }

  /** {@code $name}, {@code $::name}, {@code $a::b}: a plan variable; an assignment is refused. */
  private String variableReference() {
    pos++;
    int start = pos;
    if (src.startsWith("::", pos)) {
      pos += 2;
    }
    String name = src.substring(start, pos) + ident();
    while (src.startsWith("::", pos)) {
      pos += 2;
      name += "::" + ident();
    }
    skipSpace();
    if (peek('=') && !src.startsWith("==", pos) && !src.startsWith("=~", pos)) {
      throw new Unsupported("an assignment ($" + name + " = ...)");
    }
    return variable(name, scope);
  }

  /** A double-quoted string, with its ${...} and $name interpolated. */
  private String doubleQuoted() {
    int start = ++pos;
    while (pos < src.length() && src.charAt(pos) != '"') {
      pos += src.charAt(pos) == '\\' ? 2 : 1;
    }
    if (pos >= src.length()) {
      throw new Unsupported("a string that is never closed");
    }
    String text = src.substring(start, pos++).replace("\\\"", "\"").replace("\\\\", "\\");
    return PuppetStrings.interpolate(text, scope);
  }

  /** An integer or a decimal number, as written. */
  private String number() {
    int start = pos;
    while (pos < src.length()
        && (Character.isDigit(src.charAt(pos)) || src.charAt(pos) == '.')
        && !(src.charAt(pos) == '.'
            && (pos + 1 >= src.length() || !Character.isDigit(src.charAt(pos + 1))))) {
      pos++;
    }
    return src.substring(start, pos);
  }

  /**
   * true, false, undef, or a function call: Bolt's plan functions and the Puppet functions jbolt
   * has; Puppet's keywords (if, case, ...) are refused by name.
   */
  private String wordOrCall() {
    int start = pos;
    String name = ident();
    while (src.startsWith("::", pos)) {
      pos += 2;
      name += "::" + ident();
    }
    switch (name) {
      case "true", "false" -> {
        return name;
      }
      case "undef" -> {
        return "null";
      }
      case "if", "unless", "case", "function", "plan", "apply", "class", "define", "node" ->
          throw new Unsupported("a Puppet '" + name + "' expression");
      default -> {}
    }
    skipSpace();
    if (!peek('(')) {
      pos = start;
      throw unsupportedAt();
    }
    pos++;
    List<String> args = list(')');
    lambdaCheck(name);
    if (PuppetFunctions.BOLT_FUNCTIONS.containsKey(name)) {
      return PuppetFunctions.BOLT_FUNCTIONS.get(name) + "(" + String.join(", ", args) + ")";
    }
    if (PuppetFunctions.FUNCTIONS.contains(name)) {
      return "puppet.call('"
          + name
          + "'"
          + (args.isEmpty() ? "" : ", ")
          + String.join(", ", args)
          + ")";
    }
    throw unknownFunction(name);
  }

  private static Unsupported unknownFunction(String name) {
    return new Unsupported(
        "the function " + name + ", which jbolt does not have (docs/plans.md lists those it has)");
  }

  private String hash() {
    List<String> entries = new ArrayList<>();
    skipSpace();
    while (!peek('}')) {
      String key = orExpr();
      skipSpace();
      if (!src.startsWith("=>", pos)) {
        throw unsupportedAt();
      }
      pos += 2;
      entries.add("[puppet.key(" + key + ")]: " + orExpr());
      skipSpace();
      if (peek(',')) {
        pos++;
        skipSpace();
      } else if (!peek('}')) {
        throw unsupportedAt();
      }
    }
    pos++;
    return "{" + String.join(", ", entries) + "}";
  }

  /** Comma-separated expressions up to {@code close} (consumed); a trailing comma is fine. */
  private List<String> list(char close) {
    List<String> out = new ArrayList<>();
    skipSpace();
    while (!peek(close)) {
      out.add(orExpr());
      skipSpace();
      if (peek(',')) {
        pos++;
        skipSpace();
      } else if (!peek(close)) {
        throw unsupportedAt();
      }
    }
    pos++;
    return out;
  }
}
