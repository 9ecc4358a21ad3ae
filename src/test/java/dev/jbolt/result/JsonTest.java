package dev.jbolt.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** jbolt's JSON writer against Jackson's, compact and pretty, on thousands of generated values. */
class JsonTest {
  private final Random random = new Random(42);

  private Object value(int depth) {
    int kind = random.nextInt(depth > 3 ? 6 : 8);
    return switch (kind) {
      case 0 -> null;
      case 1 -> random.nextBoolean();
      case 2 -> random.nextInt() % 1000;
      case 3 -> random.nextLong();
      case 4 -> random.nextDouble() * 1000;
      case 5 -> string();
      case 6 -> {
        List<Object> l = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          l.add(value(depth + 1));
        }
        yield l;
      }
      default -> {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = random.nextInt(4); i > 0; i--) {
          m.put(string(), value(depth + 1));
        }
        yield m;
      }
    };
  }

  private String string() {
    String alphabet = "ab \"\\\n\t\r\b\f\u0001\u001f/é✓日'<>&";
    StringBuilder sb = new StringBuilder();
    for (int i = random.nextInt(8); i > 0; i--) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @Test
  void writesExactlyWhatJacksonWrites() throws Exception {
    for (int i = 0; i < 3000; i++) {
      Object v = value(0);
      assertEquals(Json.mapper().writeValueAsString(v), Json.write(v));
      assertEquals(
          Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(v), Json.pretty(v));
    }
  }
}
