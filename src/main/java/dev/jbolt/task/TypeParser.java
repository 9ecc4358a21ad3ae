package dev.jbolt.task;

import dev.jbolt.JboltException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Parses Puppet's type syntax: {@code Name}, {@code Name[arg, ...]} with arguments that are types,
 * numbers, {@code default}, quoted strings, bare words (in Enum), {@code /regexes/} and {@code {key
 * => Type}} hashes (in Struct). Namespaced types from modules ({@code Stdlib::Port}) cannot be
 * checked here and accept any value.
 */
public final class TypeParser {
  private final String text;
  private final TypeBuilder builder;
  private int pos;

  private TypeParser(String text) {
    this.text = text;
    this.builder = new TypeBuilder(text);
  }

  public static PType parse(String text) {
    TypeParser p = new TypeParser(text);
    try {
      PType t = p.type();
      p.skipSpace();
      if (p.pos != text.length()) {
        throw p.error("unexpected '" + text.substring(p.pos) + "'");
      }
      return t;
    } catch (StackOverflowError e) {
      throw new JboltException("invalid type '" + text + "': nested too deeply");
    }
  }

  private JboltException error(String why) {
    return new JboltException("invalid type '" + text + "': " + why);
  }

  private void skipSpace() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean peek(char c) {
    skipSpace();
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c) {
    if (!peek(c)) {
      throw error(
          "expected '"
              + c
              + "'"
              + (pos < text.length() ? " at '" + text.substring(pos) + "'" : " at the end"));
    }
    pos++;
  }

  private String name() {
    skipSpace();
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (Character.isLetterOrDigit(c) || c == '_') {
        pos++;
      } else if (text.startsWith("::", pos)) {
        pos += 2; // Stdlib::Port
      } else {
        break;
      }
    }
    if (start == pos) {
      throw error(
          pos < text.length()
              ? "expected a type name at '" + text.substring(pos) + "'"
              : "expected a type name");
    }
    return text.substring(start, pos);
  }

  private PType type() {
    String name = name();
    List<Object> args = peek('[') ? args() : List.of();
    return builder.build(name, args);
  }

  private List<Object> args() {
    expect('[');
    List<Object> out = new ArrayList<>();
    if (peek(']')) {
      pos++;
      return out;
    }
    while (true) {
      out.add(arg());
      if (peek(',')) {
        pos++;
        if (peek(']')) {
          pos++;
          return out;
        }
        continue;
      }
      expect(']');
      return out;
    }
  }

  private Object arg() {
    skipSpace();
    if (pos >= text.length()) {
      throw error("unexpected end");
    }
    char c = text.charAt(pos);
    if (c == '\'' || c == '"') {
      return new TypeBuilder.Quoted(string(c));
    }
    if (c == '/') {
      return regex();
    }
    if (c == '{') {
      return hash();
    }
    if (c == '-' || Character.isDigit(c)) {
      return number();
    }
    int save = pos;
    String n = name();
    if (n.equals("default")) {
      return TypeBuilder.Default.INSTANCE;
    }
    if (Character.isLowerCase(n.charAt(0)) && !peek('[')) {
      return new TypeBuilder.Quoted(n); // a bare word, as in Enum[a, b]
    }
    pos = save;
    return type();
  }

  private String string(char quote) {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < text.length() && text.charAt(pos) != quote) {
      if (text.charAt(pos) == '\\' && pos + 1 < text.length()) {
        pos++;
      }
      sb.append(text.charAt(pos++));
    }
    if (pos >= text.length()) {
      throw error("unterminated string");
    }
    pos++;
    return sb.toString();
  }

  private Pattern regex() {
    pos++;
    StringBuilder sb = new StringBuilder();
    while (pos < text.length() && text.charAt(pos) != '/') {
      if (text.charAt(pos) == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '/') {
        pos++;
      }
      sb.append(text.charAt(pos++));
    }
    if (pos >= text.length()) {
      throw error("unterminated regex");
    }
    pos++;
    try {
      // Puppet's regexes are Ruby's: \A and \z anchor the string, as in Java.
      return Pattern.compile(sb.toString().replace("\\Z", "\\z"));
    } catch (PatternSyntaxException e) {
      throw error("bad regex /" + sb + "/: " + e.getDescription());
    }
  }

  private Object number() {
    int start = pos;
    if (text.charAt(pos) == '-') {
      pos++;
    }
    while (pos < text.length()
        && (Character.isDigit(text.charAt(pos))
            || text.charAt(pos) == '.'
            || text.charAt(pos) == 'e'
            || text.charAt(pos) == 'E')) {
      pos++;
    }
    String s = text.substring(start, pos);
    try {
      return s.contains(".") || s.contains("e") || s.contains("E")
          ? (Object) new BigDecimal(s)
          : new BigInteger(s);
    } catch (NumberFormatException e) {
      throw error("bad number '" + s + "'");
    }
  }

  private Map<Object, PType> hash() {
    expect('{');
    Map<Object, PType> out = new LinkedHashMap<>();
    while (!peek('}')) {
      Object key = arg();
      skipSpace();
      if (!text.startsWith("=>", pos)) {
        throw error("expected '=>' in a hash");
      }
      pos += 2;
      out.put(key, type());
      if (peek(',')) {
        pos++;
      } else if (!peek('}')) {
        throw error("expected ',' or '}' in a hash");
      }
    }
    pos++;
    return out;
  }
}
