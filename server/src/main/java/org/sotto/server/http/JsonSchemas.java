package org.sotto.server.http;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.sotto.api.AccountId;
import org.sotto.api.ApiChecks;
import org.sotto.api.DeviceId;

/**
 * Derives OpenAPI 3.0 JSON schemas from Java types by reflection, the way {@link Json} writes and
 * reads them: records become objects under {@code components/schemas} (referenced by {@code $ref}),
 * {@code byte[]} a base64 string, {@link AccountId} a UUID string, lists arrays, enums string
 * enumerations. A type it cannot describe is an {@link IllegalArgumentException} naming it, so a
 * route with an undescribable body fails at server start rather than being documented wrongly. Not
 * thread-safe: one instance collects the components of one document.
 */
final class JsonSchemas {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, ObjectNode> components = new LinkedHashMap<>();
  private final Map<Class<?>, String> names = new LinkedHashMap<>();

  /** The schema for {@code type}: a {@code $ref} for records, an inline schema otherwise. */
  ObjectNode schema(Type type) {
    if (type instanceof Class<?> c) {
      return classSchema(c);
    }
    if (type instanceof ParameterizedType p && p.getRawType() instanceof Class<?> raw) {
      Type[] args = p.getActualTypeArguments();
      if (Collection.class.isAssignableFrom(raw)) {
        ObjectNode s = array(schema(args[0]));
        if (Set.class.isAssignableFrom(raw)) {
          s.put("uniqueItems", true);
        }
        return s;
      }
      if (Map.class.isAssignableFrom(raw) && args[0] == String.class) {
        ObjectNode s = NODES.objectNode().put("type", "object");
        s.set("additionalProperties", schema(args[1]));
        return s;
      }
      if (raw == Optional.class) {
        return schema(args[0]);
      }
    }
    if (type instanceof GenericArrayType g) {
      return array(schema(g.getGenericComponentType()));
    }
    if (type instanceof WildcardType w && w.getUpperBounds().length == 1) {
      return schema(w.getUpperBounds()[0]);
    }
    throw new IllegalArgumentException("no JSON schema for " + type.getTypeName());
  }

  /** The named object schemas referenced so far, by name. */
  ObjectNode components() {
    ObjectNode out = NODES.objectNode();
    components.forEach(out::set);
    return out;
  }

  /** The component name under which {@code record} is (or would be) described. */
  String name(Class<?> record) {
    String known = names.get(record);
    if (known != null) {
      return known;
    }
    String name = record.getSimpleName();
    if (names.containsValue(name)) {
      name = record.getName().replace('$', '.');
    }
    return name;
  }

  private ObjectNode classSchema(Class<?> c) {
    if (c == String.class || c == char.class || c == Character.class) {
      return type("string");
    }
    if (c == byte[].class) {
      return type("string").put("format", "byte");
    }
    if (c == int.class || c == Integer.class) {
      return type("integer").put("format", "int32");
    }
    if (c == long.class || c == Long.class) {
      return type("integer").put("format", "int64");
    }
    if (c == short.class || c == Short.class || c == byte.class || c == Byte.class) {
      return type("integer").put("format", "int32");
    }
    if (c == boolean.class || c == Boolean.class) {
      return type("boolean");
    }
    if (c == double.class || c == Double.class) {
      return type("number").put("format", "double");
    }
    if (c == float.class || c == Float.class) {
      return type("number").put("format", "float");
    }
    if (c == AccountId.class || c == UUID.class) {
      return type("string").put("format", "uuid");
    }
    if (c == DeviceId.class) {
      return type("integer")
          .put("format", "int32")
          .put("minimum", 1)
          .put("maximum", ApiChecks.MAX_DEVICE_ID);
    }
    if (c == Object.class || JsonNode.class.isAssignableFrom(c)) {
      return NODES.objectNode(); // any JSON value
    }
    if (c.isEnum()) {
      ObjectNode s = type("string");
      ArrayNode values = s.putArray("enum");
      for (Object constant : c.getEnumConstants()) {
        values.add(((Enum<?>) constant).name());
      }
      return s;
    }
    if (c.isArray()) {
      return array(schema(c.getComponentType()));
    }
    Optional<Method> value = jsonValue(c);
    if (value.isPresent()) {
      return schema(value.get().getGenericReturnType()); // a value type such as an id
    }
    if (c.isRecord()) {
      return ref(c);
    }
    throw new IllegalArgumentException(
        "no JSON schema for " + c.getName() + ": use a record or extend JsonSchemas");
  }

  private ObjectNode ref(Class<?> record) {
    String name = names.get(record);
    if (name == null) {
      name = name(record);
      names.put(record, name);
      ObjectNode s = type("object");
      components.put(name, s); // before the components, so recursive records terminate
      ObjectNode properties = s.putObject("properties");
      for (RecordComponent rc : record.getRecordComponents()) {
        properties.set(propertyName(rc), schema(rc.getGenericType()));
      }
      s.put("additionalProperties", false);
    }
    return NODES.objectNode().put("$ref", "#/components/schemas/" + name);
  }

  /** The JSON name Jackson uses for a record component. */
  static String propertyName(RecordComponent rc) {
    JsonProperty p = rc.getAnnotation(JsonProperty.class);
    if (p == null) {
      try {
        p =
            rc.getDeclaringRecord()
                .getDeclaredField(rc.getName())
                .getAnnotation(JsonProperty.class);
      } catch (NoSuchFieldException e) {
        throw new AssertionError("a record component always has its field", e);
      }
    }
    return p != null && !p.value().isEmpty() ? p.value() : rc.getName();
  }

  /** Whether {@code c} is written as a JSON object (a record that is not a {@code @JsonValue}). */
  static boolean isObjectRecord(Class<?> c) {
    return c.isRecord() && jsonValue(c).isEmpty();
  }

  private static Optional<Method> jsonValue(Class<?> c) {
    for (Method m : c.getMethods()) {
      if (m.isAnnotationPresent(JsonValue.class) && m.getParameterCount() == 0) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  private static ObjectNode type(String type) {
    return NODES.objectNode().put("type", type);
  }

  private static ObjectNode array(ObjectNode items) {
    ObjectNode s = type("array");
    s.set("items", items);
    return s;
  }
}
