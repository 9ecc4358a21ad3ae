package dev.jbolt.task;

import dev.jbolt.JboltException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The meaning of Puppet's type names and their arguments, once {@link TypeParser} has read them:
 * which types exist, what arguments each takes, and the {@link PType} they make.
 */
final class TypeBuilder {
  private final String text;

  TypeBuilder(String text) {
    this.text = text;
  }

  private JboltException error(String why) {
    return new JboltException("invalid type '" + text + "': " + why);
  }

  /** A quoted string argument (a bare word in Enum too). */
  record Quoted(String value) {}

  /** The {@code default} argument. */
  enum Default {
    INSTANCE
  }

  /** The type {@code name} with {@code args}. */
  PType build(String name, List<Object> args) {
    return switch (name) {
      case "Any" -> none(name, args, new PType.Any());
      case "Data", "Scalar", "ScalarData", "RichData" ->
          none(name, args, new PType.Data(name.equals("RichData") ? "Data" : name));
      case "Undef" -> none(name, args, new PType.Undef());
      case "Boolean" -> none(name, args, new PType.Bool());
      case "TargetSpec" -> none(name, args, new PType.TargetSpec());
      case "String" -> new PType.Str(count(args, 0, 0), count(args, 1, Long.MAX_VALUE));
      case "Integer" -> new PType.Int(integer(args, 0), integer(args, 1));
      case "Float", "Numeric" ->
          new PType.Num(name.equals("Numeric"), decimal(args, 0), decimal(args, 1));
      case "Enum" -> new PType.Enum(args.stream().map(a -> quoted(name, a)).toList());
      case "Pattern" ->
          new PType.Pat(
              args.stream()
                  .map(
                      a ->
                          a instanceof Pattern p
                              ? p
                              : Pattern.compile(Pattern.quote(quoted(name, a))))
                  .toList());
      case "Optional" -> new PType.Opt(one(name, args));
      case "NotUndef" -> new PType.NotUndef(args.isEmpty() ? new PType.Any() : one(name, args));
      case "Sensitive" -> new PType.Sensitive(args.isEmpty() ? new PType.Any() : one(name, args));
      case "Variant" -> new PType.Variant(args.stream().map(a -> typeArg(name, a)).toList());
      case "Array" -> array(args);
      case "Hash" -> hashType(args);
      case "Struct" -> struct(args);
      case "Tuple" -> tuple(args);
      default -> {
        if (name.contains("::")) {
          yield new PType.Any(); // a module's type alias: not checked
        }
        throw error("unknown type '" + name + "'");
      }
    };
  }

  private PType none(String name, List<Object> args, PType t) {
    if (!args.isEmpty()) {
      throw error(name + " takes no parameters");
    }
    return t;
  }

  private PType one(String name, List<Object> args) {
    if (args.size() != 1) {
      throw error(name + " takes one type");
    }
    Object a = args.get(0);
    if (a instanceof Quoted q) {
      return new PType.Enum(List.of(q.value()));
    }
    return typeArg(name, a);
  }

  private PType typeArg(String name, Object a) {
    if (a instanceof PType t) {
      return t;
    }
    throw error(name + " expects types, not " + a);
  }

  private String quoted(String name, Object a) {
    if (a instanceof Quoted q) {
      return q.value();
    }
    throw error(name + " expects strings");
  }

  private long count(List<Object> args, int i, long dflt) {
    if (args.size() <= i || args.get(i) == Default.INSTANCE) {
      return dflt;
    }
    if (args.get(i) instanceof BigInteger b && b.signum() >= 0) {
      return b.bitLength() < 63 ? b.longValue() : Long.MAX_VALUE;
    }
    throw error("expected a size, not " + args.get(i));
  }

  private BigInteger integer(List<Object> args, int i) {
    if (args.size() > 2) {
      throw error("Integer takes at most a minimum and a maximum");
    }
    if (args.size() <= i || args.get(i) == Default.INSTANCE) {
      return null;
    }
    if (args.get(i) instanceof BigInteger b) {
      return b;
    }
    throw error("expected an integer bound, not " + args.get(i));
  }

  private BigDecimal decimal(List<Object> args, int i) {
    if (args.size() <= i || args.get(i) == Default.INSTANCE) {
      return null;
    }
    if (args.get(i) instanceof BigInteger b) {
      return new BigDecimal(b);
    }
    if (args.get(i) instanceof BigDecimal d) {
      return d;
    }
    throw error("expected a numeric bound, not " + args.get(i));
  }

  private PType array(List<Object> args) {
    if (args.isEmpty()) {
      return new PType.Arr(new PType.Data("Data"), 0, Long.MAX_VALUE);
    }
    int sizes = args.get(0) instanceof PType ? 1 : 0;
    PType of = sizes == 1 ? (PType) args.get(0) : new PType.Data("Data");
    return new PType.Arr(of, count(args, sizes, 0), count(args, sizes + 1, Long.MAX_VALUE));
  }

  private PType hashType(List<Object> args) {
    if (args.isEmpty()) {
      return new PType.Hash(
          new PType.Str(0, Long.MAX_VALUE), new PType.Data("Data"), 0, Long.MAX_VALUE);
    }
    if (args.size() < 2) {
      throw error("Hash takes a key type and a value type");
    }
    return new PType.Hash(
        typeArg("Hash", args.get(0)),
        typeArg("Hash", args.get(1)),
        count(args, 2, 0),
        count(args, 3, Long.MAX_VALUE));
  }

  @SuppressWarnings("unchecked")
  private PType struct(List<Object> args) {
    if (args.size() != 1 || !(args.get(0) instanceof Map<?, ?>)) {
      throw error("Struct takes one hash: Struct[{key => Type}]");
    }
    Map<String, PType> members = new LinkedHashMap<>();
    Set<String> optional = new LinkedHashSet<>();
    for (var e : ((Map<Object, PType>) args.get(0)).entrySet()) {
      Object k = e.getKey();
      String key;
      if (k instanceof Quoted q) {
        key = q.value();
      } else if (k instanceof PType.Opt o
          && o.of() instanceof PType.Enum en
          && en.values().size() == 1) {
        key = en.values().get(0);
        optional.add(key);
      } else if (k instanceof PType.NotUndef n
          && n.of() instanceof PType.Enum en
          && en.values().size() == 1) {
        key = en.values().get(0);
      } else {
        throw error("Struct keys are strings, Optional['key'] or NotUndef['key']");
      }
      members.put(key, e.getValue());
    }
    return new PType.Struct(members, optional);
  }

  private PType tuple(List<Object> args) {
    List<PType> types = new ArrayList<>();
    int i = 0;
    while (i < args.size() && args.get(i) instanceof PType t) {
      types.add(t);
      i++;
    }
    if (types.isEmpty()) {
      throw error("Tuple takes at least one type");
    }
    long min = count(args, i, types.size());
    long max = count(args, i + 1, args.size() > i ? Long.MAX_VALUE : types.size());
    return new PType.Tuple(types, min, max);
  }
}
