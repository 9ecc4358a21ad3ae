package dev.jbolt.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.jbolt.result.Json;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * What {@code --format json} printed, read as a stream: how many items, the target_count, each
 * target's stdout length and error kind. Invalid JSON is a JsonParseException.
 */
public record JsonItems(
    int count, int targetCount, Map<String, Long> stdoutLengths, Map<String, String> kinds) {
  /** What the JSON of a run on {@code in} holds, read as a stream (it may be gigabytes). */
  public static JsonItems read(InputStream in) throws Exception {
    Map<String, Long> lengths = new HashMap<>();
    Map<String, String> kinds = new HashMap<>();
    int count = 0;
    int targetCount = -1;
    try (JsonParser p = Json.mapper().getFactory().createParser(in)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String top = p.currentName();
        JsonToken v = p.nextToken();
        if (top.equals("items")) {
          expect(v, JsonToken.START_ARRAY);
          while (p.nextToken() == JsonToken.START_OBJECT) {
            count++;
            String target = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              JsonToken fv = p.nextToken();
              if (f.equals("target")) {
                target = p.getText();
              } else if (f.equals("value") && fv == JsonToken.START_OBJECT) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                  String g = p.currentName();
                  JsonToken gv = p.nextToken();
                  if (g.equals("stdout")) {
                    lengths.put(target, (long) p.getTextLength());
                  } else if (g.equals("_error") && gv == JsonToken.START_OBJECT) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                      String k = p.currentName();
                      p.nextToken();
                      if (k.equals("kind")) {
                        kinds.put(target, p.getText());
                      } else {
                        p.skipChildren();
                      }
                    }
                  } else {
                    p.skipChildren();
                  }
                }
              } else {
                p.skipChildren();
              }
            }
          }
        } else if (top.equals("target_count")) {
          targetCount = p.getIntValue();
        } else {
          p.skipChildren();
        }
      }
    }
    return new JsonItems(count, targetCount, lengths, kinds);
  }

  private static void expect(JsonToken got, JsonToken want) {
    assertEquals(want, got, "JSON shape");
  }
}
