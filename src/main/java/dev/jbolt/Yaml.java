package dev.jbolt;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A YAML file read as a node tree, so that every error can name the file and line of the value at
 * fault. Parsers walk the nodes for structure and turn leaves into plain Java values with {@link
 * #value}.
 */
public final class Yaml {
  private final String label;
  private final Node root;
  private final Constructor constructor = new Constructor();

  private Yaml(String label, Node root) {
    this.label = label;
    this.root = root;
  }

  /** Reads {@code file}; errors are labelled with {@code label} (usually the path as given). */
  public static Yaml read(Path file, String label) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new JboltException(label + ": file not found");
    } catch (MalformedInputException e) {
      throw new JboltException(label + ": not valid UTF-8");
    } catch (IOException e) {
      throw new JboltException(label + ": cannot read: " + e.getMessage());
    }
    return parse(text, label);
  }

  public static Yaml parse(String text, String label) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setMaxAliasesForCollections(100);
    options.setNestingDepthLimit(100);
    options.setCodePointLimit(64 * 1024 * 1024);
    Node node;
    try (Reader r = new StringReader(text)) {
      node = new org.yaml.snakeyaml.Yaml(new SafeConstructor(options)).compose(r);
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String where =
          m == null ? label : label + ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1);
      throw new JboltException(where + ": invalid YAML: " + oneLine(problem));
    } catch (YAMLException | IOException e) {
      throw new JboltException(
          label + ": invalid YAML: " + oneLine(String.valueOf(e.getMessage())));
    } catch (RuntimeException e) {
      // SnakeYAML signals a few malformed inputs with plain runtime exceptions.
      throw new JboltException(
          label + ": invalid YAML: " + oneLine(String.valueOf(e.getMessage())));
    }
    checkExpansion(node, label);
    return new Yaml(label, node);
  }

  /**
   * How many nodes a document may hold once its aliases are expanded. Aliases share nodes in the
   * tree SnakeYAML builds, but every copy of the data (merging, JSON) expands them: ten aliases of
   * ten aliases of ... make a billion nodes from a few lines. Ten million is far above any real
   * inventory (50,000 targets with a dozen values each are 600,000).
   */
  static final long MAX_EXPANDED_NODES = 10_000_000;

  /**
   * Refuses a document whose expansion would pass {@link #MAX_EXPANDED_NODES}, or that refers to
   * itself.
   */
  private static void checkExpansion(Node root, String label) {
    if (root != null) {
      expanded(root, new IdentityHashMap<>(), label);
    }
  }

  /** The node's size once expanded, each shared node counted once per use; memoized, so linear. */
  private static long expanded(Node node, IdentityHashMap<Node, Long> sizes, String label) {
    Long known = sizes.get(node);
    if (known != null) {
      if (known < 0) {
        throw new JboltException(
            at(label, node) + ": invalid YAML: an alias refers to the node that holds it");
      }
      return known;
    }
    sizes.put(node, -1L); // in progress: meeting it again below means a cycle
    long size = 1;
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        size += expanded(t.getKeyNode(), sizes, label) + expanded(t.getValueNode(), sizes, label);
        check(size, node, label);
      }
    } else if (node instanceof SequenceNode q) {
      for (Node child : q.getValue()) {
        size += expanded(child, sizes, label);
        check(size, node, label);
      }
    }
    sizes.put(node, size);
    return size;
  }

  private static void check(long size, Node node, String label) {
    if (size > MAX_EXPANDED_NODES) {
      throw new JboltException(
          at(label, node)
              + ": invalid YAML: its aliases expand to more than "
              + MAX_EXPANDED_NODES
              + " values (an alias bomb?)");
    }
  }

  private static String at(String label, Node node) {
    return node.getStartMark() == null ? label : label + ":" + (node.getStartMark().getLine() + 1);
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").strip();
  }

  /** The document's root node, or null for an empty file. */
  public Node root() {
    return root;
  }

  /** The same document with another root (its references resolved), errors labelled alike. */
  public Yaml withRoot(Node root) {
    return new Yaml(label, root);
  }

  public String label() {
    return label;
  }

  /** An error at {@code node}: "file:line: message". */
  public JboltException error(Node node, String message) {
    if (node == null || node.getStartMark() == null) {
      return new JboltException(label + ": " + message);
    }
    return new JboltException(label + ":" + (node.getStartMark().getLine() + 1) + ": " + message);
  }

  /**
   * This document as PyYAML reads it (MilkCheck's configuration): a key given twice in a mapping
   * keeps its first place and its last value; {@code warn} is told each such key, with its line.
   */
  public Yaml lastKeyWins(Consumer<String> warn) {
    return withRoot(lastWins(root, warn, new IdentityHashMap<>()));
  }

  private Node lastWins(Node node, Consumer<String> warn, Map<Node, Node> done) {
    if (node == null || done.containsKey(node)) {
      return node == null ? null : done.get(node);
    }
    done.put(node, node);
    Node out = node;
    if (node instanceof MappingNode m) {
      Map<String, NodeTuple> byKey = new LinkedHashMap<>();
      List<NodeTuple> others = new ArrayList<>();
      for (NodeTuple t : m.getValue()) {
        NodeTuple fixed = new NodeTuple(t.getKeyNode(), lastWins(t.getValueNode(), warn, done));
        if (t.getKeyNode() instanceof ScalarNode k) {
          if (byKey.put(k.getValue(), fixed) != null) {
            warn.accept(
                label
                    + ":"
                    + (k.getStartMark().getLine() + 1)
                    + ": key '"
                    + k.getValue()
                    + "' given again: this one is used, as MilkCheck (PyYAML) does");
          }
        } else {
          others.add(fixed);
        }
      }
      List<NodeTuple> tuples = new ArrayList<>(byKey.values());
      tuples.addAll(others);
      out =
          new MappingNode(
              m.getTag(), true, tuples, m.getStartMark(), m.getEndMark(), m.getFlowStyle());
    } else if (node instanceof SequenceNode sq) {
      List<Node> items = new ArrayList<>();
      for (Node n : sq.getValue()) {
        items.add(lastWins(n, warn, done));
      }
      out =
          new SequenceNode(
              sq.getTag(), true, items, sq.getStartMark(), sq.getEndMark(), sq.getFlowStyle());
    }
    done.put(node, out);
    return out;
  }

  /** The node as a mapping from key text to value node, in file order. */
  public Map<String, Node> mapping(Node node, String what) {
    if (!(node instanceof MappingNode m)) {
      throw error(node, what + " must be a mapping, not " + describe(node));
    }
    Map<String, Node> out = new LinkedHashMap<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw error(t.getKeyNode(), "keys of " + what + " must be plain strings");
      }
      if (out.put(k.getValue(), t.getValueNode()) != null) {
        throw error(k, "duplicate key '" + k.getValue() + "' in " + what);
      }
    }
    return out;
  }

  public List<Node> sequence(Node node, String what) {
    if (!(node instanceof SequenceNode s)) {
      throw error(node, what + " must be a list, not " + describe(node));
    }
    return s.getValue();
  }

  public String string(Node node, String what) {
    if (!(node instanceof ScalarNode s) || isNull(node)) {
      throw error(node, what + " must be a string, not " + describe(node));
    }
    return s.getValue();
  }

  public static boolean isNull(Node node) {
    return node == null
        || (node instanceof ScalarNode s && s.getTag().getValue().endsWith(":null"));
  }

  /** A plain Java value (Map, List, String, Number, Boolean, null) for the node. */
  public Object value(Node node) {
    if (node == null) {
      return null;
    }
    try {
      return constructor.construct(node);
    } catch (YAMLException e) {
      throw error(node, oneLine(String.valueOf(e.getMessage())));
    }
  }

  /** The node as a string-keyed map of plain values; a null node is an empty map. */
  @SuppressWarnings("unchecked")
  public Map<String, Object> map(Node node, String what) {
    if (isNull(node)) {
      return new LinkedHashMap<>();
    }
    mapping(node, what);
    Object v = value(node);
    Map<String, Object> out = new LinkedHashMap<>();
    ((Map<Object, Object>) v).forEach((k, val) -> out.put(String.valueOf(k), val));
    return out;
  }

  /** How a node reads in an error message: "nothing", "a mapping", "a list" or its text. */
  public static String describe(Node node) {
    if (isNull(node)) {
      return "nothing";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "'" + ((ScalarNode) node).getValue() + "'";
  }

  private static final class Constructor extends SafeConstructor {
    Constructor() {
      super(new LoaderOptions());
    }

    Object construct(Node node) {
      return constructObject(node);
    }
  }
}
