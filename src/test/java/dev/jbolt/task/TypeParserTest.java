package dev.jbolt.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jbolt.JboltException;
import dev.jbolt.result.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each row: a type, a JSON value, whether the type accepts it. */
class TypeParserTest {
  @ParameterizedTest(name = "{0} accepts {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "String|\"x\"|true",
        "String|1|false",
        "String|null|false",
        "String[1]|\"\"|false",
        "String[1]|\"a\"|true",
        "String[1, 3]|\"abcd\"|false",
        "String[2,3]|\"ab\"|true",
        "Integer|5|true",
        "Integer|5.0|false",
        "Integer|\"5\"|false",
        "Integer[-5,5]|-5|true",
        "Integer[-5,5]|6|false",
        "Integer[0]|-1|false",
        "Integer[default, 10]|-100|true",
        "Integer|123456789012345678901234567890|true",
        "Float|1.5|true",
        "Float|1|false",
        "Float[0.5, 1.0]|0.75|true",
        "Numeric|1|true",
        "Numeric|1.5|true",
        "Numeric|\"1\"|false",
        "Boolean|true|true",
        "Boolean|\"true\"|false",
        "Optional[String]|null|true",
        "Optional[String]|\"x\"|true",
        "Optional[String]|1|false",
        "Optional[Integer[-5,5]]|3|true",
        "NotUndef|null|false",
        "NotUndef[String]|\"x\"|true",
        "Enum[a, b]|\"a\"|true",
        "Enum['a', \"b c\"]|\"b c\"|true",
        "Enum[a, b]|\"c\"|false",
        "Pattern[/\\A\\w+\\Z/]|\"abc\"|true",
        "Pattern[/\\A\\w+\\Z/]|\"a b\"|false",
        "Pattern[/^a/, /^b/]|\"bcd\"|true",
        "Array|[1, \"a\", null]|true",
        "Array[String]|[\"a\", \"b\"]|true",
        "Array[String]|[\"a\", 1]|false",
        "Array[String, 1]|[]|false",
        "Array[Integer, 1, 2]|[1, 2, 3]|false",
        "Array[Integer, 1, 2]|[1, 2]|true",
        "Hash|{\"a\": 1}|true",
        "Hash[String, Integer]|{\"a\": 1}|true",
        "Hash[String, Integer]|{\"a\": \"1\"}|false",
        "Struct[{a => String, Optional[b] => Integer}]|{\"a\": \"x\"}|true",
        "Struct[{a => String, Optional[b] => Integer}]|{\"a\": \"x\", \"b\": 2}|true",
        "Struct[{a => String, Optional[b] => Integer}]|{\"b\": 2}|false",
        "Struct[{a => String}]|{\"a\": \"x\", \"c\": 1}|false",
        "Struct[{'a' => Optional[String]}]|{}|true",
        "Tuple[String, Integer]|[\"a\", 1]|true",
        "Tuple[String, Integer]|[1, \"a\"]|false",
        "Tuple[String, Integer]|[\"a\"]|false",
        "Tuple[String, Integer, 1, 3]|[\"a\", 1, 2]|true",
        "Variant[Integer, Pattern[/\\A\\d+\\Z/]]|\"12\"|true",
        "Variant[Integer, Pattern[/\\A\\d+\\Z/]]|12|true",
        "Variant[Integer, Boolean]|\"x\"|false",
        "Data|{\"a\": [1, {\"b\": null}]}|true",
        "Any|null|true",
        "Undef|null|true",
        "Undef|1|false",
        "Scalar|[1]|false",
        "TargetSpec|\"web1,web2\"|true",
        "TargetSpec|[\"a\", [\"b\"]]|true",
        "TargetSpec|1|false",
        "Stdlib::Port|\"anything\"|true",
        "Sensitive[String]|\"s\"|true",
      })
  void checksValues(String type, String json, boolean accepted) throws Exception {
    Object value = Json.mapper().readValue(json, Object.class);
    assertEquals(accepted, TypeParser.parse(type).accepts(value), type + " / " + json);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "Strin|unknown type 'Strin'",
        "String[|unexpected end",
        "String[1|expected ']' at the end",
        "Integer[a]|expected an integer bound",
        "Pattern[/(/]|bad regex",
        "Enum[a|expected ']' at the end",
        "Struct[String]|Struct takes one hash",
        "Hash[String]|Hash takes a key type and a value type",
        "Optional|Optional takes one type",
        "Boolean[1]|Boolean takes no parameters",
        "String]|unexpected ']'",
        "''|expected a type name",
      })
  void rejectsBadTypesClearly(String type, String message) {
    JboltException e = assertThrows(JboltException.class, () -> TypeParser.parse(type));
    assertTrue(e.getMessage().contains(message), e.getMessage());
    assertTrue(e.getMessage().startsWith("invalid type '"), e.getMessage());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "String[1, 10]|String[1, 10]",
        "Optional[Integer[-5, 5]]|Optional[Integer[-5, 5]]",
        "Array[String]|Array[String]",
        "Enum[a, b]|Enum['a', 'b']",
      })
  void printsTypesBack(String type, String printed) {
    assertEquals(printed, TypeParser.parse(type).toString());
  }
}
