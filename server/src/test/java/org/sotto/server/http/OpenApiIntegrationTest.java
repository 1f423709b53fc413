package org.sotto.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.server.http.Route.Access;
import org.sotto.server.testing.TestServer;

/**
 * Keeps {@code /v1/openapi.json} true: it is fetched from a running server and compared with the
 * routes that server really dispatches, so a route added anywhere shows up in the document or this
 * test fails.
 */
class OpenApiIntegrationTest {
  static TestServer server;
  static JsonNode doc;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    var r = server.client().call("GET", OpenApi.PATH, null, null);
    assertEquals(200, r.status());
    assertEquals("application/json", r.header("Content-Type"));
    doc = r.json();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void openApi_operations_equalServedRoutes() {
    Set<String> documented = new TreeSet<>();
    doc.get("paths")
        .properties()
        .forEach(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        m -> documented.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
    Set<String> served =
        server.server().routes().stream()
            .map(r -> r.method() + " " + r.pattern())
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(served, documented);
    assertTrue(served.contains("GET " + OpenApi.PATH));
    assertEquals("3.0.3", doc.get("openapi").asText());
  }

  @Test
  void openApi_everyOperation_describesParametersSecurityAndResponses() {
    for (Route r : server.server().routes()) {
      JsonNode op = operation(r);
      String where = r.method() + " " + r.pattern();
      List<String> params = new ArrayList<>();
      op.path("parameters")
          .forEach(
              p -> {
                assertEquals("path", p.get("in").asText(), where);
                assertTrue(p.get("required").asBoolean(), where);
                params.add(p.get("name").asText());
              });
      assertEquals(r.parameterNames(), params, where);
      JsonNode security = op.get("security");
      switch (r.access()) {
        case PUBLIC -> assertEquals(0, security.size(), where);
        case DEVICE -> {
          assertEquals(1, security.size(), where);
          assertTrue(security.get(0).has(OpenApi.DEVICE_SCHEME), where);
        }
        case DEVICE_OR_UNIDENTIFIED -> {
          assertEquals(2, security.size(), where);
          assertTrue(security.get(0).has(OpenApi.DEVICE_SCHEME), where);
          assertTrue(security.get(1).has(OpenApi.UNIDENTIFIED_SCHEME), where);
        }
      }
      JsonNode responses = op.get("responses");
      assertEquals(r.responseType() == Void.class, responses.has("204"), where);
      assertEquals(r.responseType() != Void.class, responses.has("200"), where);
      assertEquals(r.access() != Access.PUBLIC, responses.has("401"), where);
      assertEquals(r.requestType() != Void.class, op.has("requestBody"), where);
      for (int status : r.errorStatuses()) {
        if (!r.errorBodies().containsKey(status)) {
          assertErrorResponse(responses.get(Integer.toString(status)), where);
        }
      }
      responses
          .properties()
          .forEach(
              e -> {
                boolean custom =
                    e.getKey().matches("[0-9]+")
                        && r.errorBodies().containsKey(Integer.parseInt(e.getKey()));
                if ((e.getKey().startsWith("4") || e.getKey().equals("default")) && !custom) {
                  assertErrorResponse(e.getValue(), where + " " + e.getKey());
                }
              });
    }
  }

  @Test
  void openApi_requestAndResponseSchemas_listEveryRecordComponent() {
    Set<Class<?>> checked = new HashSet<>();
    int records = 0;
    for (Route r : server.server().routes()) {
      String where = r.method() + " " + r.pattern();
      if (JsonSchemas.isObjectRecord(r.requestType())) {
        JsonNode schema =
            operation(r).get("requestBody").get("content").get("application/json").get("schema");
        records += assertSchemaDescribes(schema, r.requestType(), checked, where);
      }
      if (JsonSchemas.isObjectRecord(r.responseType())) {
        JsonNode schema =
            operation(r).get("responses").get("200").get("content").get("application/json");
        records += assertSchemaDescribes(schema.get("schema"), r.responseType(), checked, where);
      }
    }
    assertTrue(records >= 10, "too few record types found: " + records);
  }

  @Test
  void openApi_customErrorBodies_areDocumentedWithTheirSchema() {
    int checked = 0;
    for (Route r : server.server().routes()) {
      for (var e : r.errorBodies().entrySet()) {
        JsonNode schema =
            doc.path("paths")
                .path(r.pattern())
                .path(r.method().toLowerCase(java.util.Locale.ROOT))
                .path("responses")
                .path(Integer.toString(e.getKey()))
                .path("content")
                .path("application/json")
                .path("schema");
        assertEquals(
            "#/components/schemas/" + e.getValue().getSimpleName(),
            schema.path("$ref").asText(),
            r.method() + " " + r.pattern() + " " + e.getKey());
        checked++;
      }
    }
    // The send route documents its 409 and 410 device lists.
    assertTrue(checked >= 2, "custom error bodies checked: " + checked);
  }

  @Test
  void openApi_everyRef_resolves() {
    List<String> refs = new ArrayList<>();
    collectRefs(doc, refs);
    assertFalse(refs.isEmpty());
    for (String ref : refs) {
      assertTrue(ref.startsWith("#/components/schemas/"), ref);
      assertNotNull(resolve(ref), ref);
    }
  }

  @Test
  void openApi_byteFieldsAndIds_haveFormats() {
    JsonNode register = schemaNamed("RegisterRequest").get("properties");
    assertEquals("byte", register.get("identityKey").get("format").asText());
    assertEquals("string", register.get("identityKey").get("type").asText());
    assertEquals("#/components/schemas/DeviceKeys", register.get("keys").get("$ref").asText());
    JsonNode keys = schemaNamed("DeviceKeys").get("properties");
    assertEquals("array", keys.get("preKeys").get("type").asText());
    assertEquals(
        "#/components/schemas/PreKey", keys.get("preKeys").get("items").get("$ref").asText());
    assertEquals("int32", keys.get("registrationId").get("format").asText());
    JsonNode created = schemaNamed("RegisterResponse").get("properties");
    assertEquals("uuid", created.get("accountId").get("format").asText());
    assertEquals(
        "int64",
        schemaNamed("PowChallenge").get("properties").get("expiresAtMs").get("format").asText());
  }

  /** Asserts that {@code schema} (a $ref) lists exactly the JSON properties of {@code type}. */
  private static int assertSchemaDescribes(
      JsonNode schema, Class<?> type, Set<Class<?>> checked, String where) {
    assertTrue(schema.has("$ref"), where + ": records are referenced");
    JsonNode resolved = resolve(schema.get("$ref").asText());
    assertNotNull(resolved, where + " " + schema);
    if (!checked.add(type)) {
      return 0;
    }
    Set<String> expected = new TreeSet<>();
    for (RecordComponent rc : type.getRecordComponents()) {
      expected.add(JsonSchemas.propertyName(rc));
    }
    // Jackson's own view of the type, independent of the reflection the generator uses.
    Set<String> jackson =
        Json.mapper()
            .getDeserializationConfig()
            .introspect(Json.mapper().constructType(type))
            .findProperties()
            .stream()
            .map(BeanPropertyDefinition::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(jackson, expected, where + ": " + type.getSimpleName());
    Set<String> documented = new TreeSet<>();
    resolved.get("properties").fieldNames().forEachRemaining(documented::add);
    assertEquals(expected, documented, where + ": " + type.getSimpleName());
    int count = 1;
    for (RecordComponent rc : type.getRecordComponents()) {
      JsonNode property = resolved.get("properties").get(JsonSchemas.propertyName(rc));
      Type t = rc.getGenericType();
      if (t instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c) {
        if (JsonSchemas.isObjectRecord(c)) {
          assertEquals("array", property.get("type").asText(), where);
          count += assertSchemaDescribes(property.get("items"), c, checked, where);
        }
      } else if (t instanceof Class<?> c && JsonSchemas.isObjectRecord(c)) {
        count += assertSchemaDescribes(property, c, checked, where);
      }
    }
    return count;
  }

  private static void assertErrorResponse(JsonNode response, String where) {
    assertNotNull(response, where);
    assertEquals(
        "#/components/schemas/ErrorResponse",
        response.get("content").get("application/json").get("schema").get("$ref").asText(),
        where);
  }

  private static JsonNode operation(Route r) {
    JsonNode op = doc.get("paths").get(r.pattern()).get(r.method().toLowerCase(Locale.ROOT));
    assertNotNull(op, r.method() + " " + r.pattern());
    return op;
  }

  private static JsonNode schemaNamed(String name) {
    return doc.get("components").get("schemas").get(name);
  }

  private static JsonNode resolve(String ref) {
    return schemaNamed(ref.substring("#/components/schemas/".length()));
  }

  private static void collectRefs(JsonNode node, List<String> out) {
    if (node.has("$ref")) {
      out.add(node.get("$ref").asText());
    }
    node.forEach(child -> collectRefs(child, out));
  }
}
