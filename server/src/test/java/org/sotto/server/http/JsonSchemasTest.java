package org.sotto.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.sotto.api.AccountId;
import org.sotto.api.DeviceId;

class JsonSchemasTest {
  enum Color {
    RED,
    GREEN
  }

  record Inner(int n) {}

  record Outer(
      byte[] bytes,
      long big,
      boolean flag,
      Color color,
      AccountId account,
      DeviceId device,
      List<Inner> inners,
      Set<String> tags,
      Map<String, Long> counts,
      Outer next) {}

  /** Not a record: the generator cannot know what Jackson would do with it. */
  static final class Pojo {
    public int x;
  }

  record HasPojo(Pojo pojo) {}

  @Test
  void schema_record_describesEveryComponentType() {
    JsonSchemas s = new JsonSchemas();
    assertEquals("#/components/schemas/Outer", s.schema(Outer.class).get("$ref").asText());
    JsonNode p = s.components().get("Outer").get("properties");
    assertEquals("byte", p.get("bytes").get("format").asText());
    assertEquals("int64", p.get("big").get("format").asText());
    assertEquals("boolean", p.get("flag").get("type").asText());
    assertEquals("[\"RED\",\"GREEN\"]", p.get("color").get("enum").toString());
    assertEquals("uuid", p.get("account").get("format").asText());
    assertEquals(127, p.get("device").get("maximum").asInt());
    assertEquals("#/components/schemas/Inner", p.get("inners").get("items").get("$ref").asText());
    assertTrue(p.get("tags").get("uniqueItems").asBoolean());
    assertEquals("int64", p.get("counts").get("additionalProperties").get("format").asText());
    assertEquals("#/components/schemas/Outer", p.get("next").get("$ref").asText());
    assertEquals(
        "int32", s.components().get("Inner").get("properties").get("n").get("format").asText());
  }

  @Test
  void schema_nonRecordClass_throwsNamingIt() {
    var e =
        assertThrows(IllegalArgumentException.class, () -> new JsonSchemas().schema(HasPojo.class));
    assertTrue(e.getMessage().contains("Pojo"), e.getMessage());
  }

  @Test
  void name_twoRecordsWithOneSimpleName_getDistinctNames() {
    JsonSchemas s = new JsonSchemas();
    s.schema(Inner.class);
    s.schema(Other.Inner.class);
    assertEquals(2, s.components().size());
  }

  static final class Other {
    record Inner(String s) {}
  }
}
