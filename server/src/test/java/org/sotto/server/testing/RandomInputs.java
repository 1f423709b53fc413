package org.sotto.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.sotto.api.ApiChecks;

/**
 * Random and mutated request inputs for robustness tests: JSON values that follow an OpenAPI schema
 * (so they get past the parser into validation and handlers), mutations of valid bodies (missing,
 * unknown, wrong-typed, huge or broken fields; invalid base64; flipped key and signature bytes),
 * and path-parameter values with path tricks. All randomness comes from the {@link Random} given,
 * so a failing run repeats with its seed. Not thread-safe.
 */
public final class RandomInputs {
  /** Deep enough to pass any DTO's depth and the parser's nesting limit. */
  public static final int DEEP_NESTING = 5_000;

  /** A string far longer than any field allows, but well under the body limit. */
  public static final int HUGE_STRING_CHARS = 200_000;

  /** Schema recursion stops here so random instances stay small. */
  private static final int MAX_SCHEMA_DEPTH = 6;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Path parameter values that try to escape or confuse the router; used as raw URL text. */
  private static final List<String> RAW_PATH_TRICKS =
      List.of(
          "..",
          ".",
          "%2e%2e",
          "%2E",
          "a%2Fb",
          "%2F",
          "%5C",
          "%00",
          "%",
          "%zz",
          "%u002e",
          "..;",
          ";",
          "a;b=c",
          "%20",
          "%0d%0aX-Injected:%201",
          "%3F",
          "%23",
          "%ef%bc%8a",
          "%c0%ae%c0%ae",
          "%ff");

  /** Path parameter values sent percent-encoded: wrong forms of ids and handles. */
  private static final List<String> WRONG_VALUES =
      List.of(
          "0",
          "-1",
          "128",
          "1000",
          "999999999999999999999",
          "1e3",
          "0x1",
          " 1",
          "01",
          "1.0",
          "*",
          "**",
          "null",
          "true",
          "ab",
          "A_B",
          "a".repeat(33),
          "x".repeat(3_000),
          "00000000-0000-0000-0000-000000000000",
          "ZZZZZZZZ-0000-0000-0000-000000000000",
          "00000000000000000000000000000000",
          "{accountId}",
          "\u00e9t\u00e9",
          "\u202e1");

  private final Random random;

  /** Inputs drawn from {@code random}. */
  public RandomInputs(Random random) {
    this.random = random;
  }

  /** The random source (for callers' own choices). */
  public Random random() {
    return random;
  }

  /** One of {@code items}. */
  public <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  /**
   * A path parameter value as URL text: one of {@code valid} (percent-encoded), a wrong value
   * (percent-encoded) or a raw path trick.
   */
  public String pathValue(List<String> valid) {
    int kind = random.nextInt(10);
    if (kind < 4 && !valid.isEmpty()) {
      return encode(pick(valid));
    }
    if (kind < 7) {
      return encode(pick(WRONG_VALUES));
    }
    if (kind < 8) {
      return encode(UUID.randomUUID().toString());
    }
    return pick(RAW_PATH_TRICKS);
  }

  /** Percent-encodes {@code s} as one path segment. */
  public static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A random instance of {@code schema} (resolving {@code $ref}s in {@code doc}). */
  public JsonNode instance(JsonNode schema, JsonNode doc) {
    return instance(schema, doc, 0);
  }

  private JsonNode instance(JsonNode schema, JsonNode doc, int depth) {
    if (schema.has("$ref")) {
      String name = schema.get("$ref").asText().substring("#/components/schemas/".length());
      return instance(doc.get("components").get("schemas").get(name), doc, depth);
    }
    if (depth > MAX_SCHEMA_DEPTH) {
      return NODES.nullNode();
    }
    String type = schema.path("type").asText("");
    String format = schema.path("format").asText("");
    switch (type) {
      case "object" -> {
        ObjectNode o = NODES.objectNode();
        schema
            .path("properties")
            .properties()
            .forEach(
                p -> {
                  if (random.nextInt(8) != 0) {
                    o.set(p.getKey(), instance(p.getValue(), doc, depth + 1));
                  }
                });
        return o;
      }
      case "array" -> {
        ArrayNode a = NODES.arrayNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          a.add(instance(schema.get("items"), doc, depth + 1));
        }
        return a;
      }
      case "integer" -> {
        if (schema.has("maximum")) {
          return NODES.numberNode(1 + random.nextInt(schema.get("maximum").asInt()));
        }
        return NODES.numberNode(
            switch (random.nextInt(4)) {
              case 0 -> 1 + random.nextInt(ApiChecks.MAX_REGISTRATION_ID);
              case 1 -> random.nextInt(200);
              case 2 -> format.equals("int64") ? random.nextLong() : random.nextInt();
              default -> System.currentTimeMillis();
            });
      }
      case "number" -> {
        return NODES.numberNode(random.nextDouble());
      }
      case "boolean" -> {
        return NODES.booleanNode(random.nextBoolean());
      }
      case "string" -> {
        if (format.equals("byte")) {
          return NODES.textNode(Base64.getEncoder().encodeToString(keyLikeBytes()));
        }
        if (format.equals("uuid")) {
          return NODES.textNode(UUID.randomUUID().toString());
        }
        return NODES.textNode(randomText(1 + random.nextInt(40)));
      }
      default -> {
        return randomJson(2);
      }
    }
  }

  /** Bytes shaped like the API's keys, signatures and tokens, with the right type byte or not. */
  public byte[] keyLikeBytes() {
    int[] lengths = {0, 1, 16, 32, 33, 64, 65, 1569, random.nextInt(100)};
    byte[] b = new byte[lengths[random.nextInt(lengths.length)]];
    random.nextBytes(b);
    if (b.length == ApiChecks.EC_PUBLIC_KEY_BYTES && random.nextBoolean()) {
      b[0] = 0x05;
    }
    if (b.length == ApiChecks.KYBER_PUBLIC_KEY_BYTES && random.nextBoolean()) {
      b[0] = 0x08;
    }
    return b;
  }

  /** Any JSON value, nested at most {@code depth} deep. */
  public JsonNode randomJson(int depth) {
    int kind = random.nextInt(depth > 0 ? 9 : 7);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextLong());
      case 3 -> NODES.numberNode(random.nextGaussian() * 1e6);
      case 4 -> NODES.numberNode(new BigInteger(100, random));
      case 5 -> NODES.textNode(randomText(random.nextInt(30)));
      case 6 -> NODES.textNode(Base64.getEncoder().encodeToString(keyLikeBytes()));
      case 7 -> {
        ArrayNode a = NODES.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          a.add(randomJson(depth - 1));
        }
        yield a;
      }
      default -> {
        ObjectNode o = NODES.objectNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          o.set(randomText(1 + random.nextInt(8)), randomJson(depth - 1));
        }
        yield o;
      }
    };
  }

  /** Text with the odd control, non-ASCII and surrogate character. */
  public String randomText(int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      int k = random.nextInt(20);
      sb.append(
          switch (k) {
            case 0 -> (char) random.nextInt(0x20);
            case 1 -> (char) (0x80 + random.nextInt(0x700));
            case 2 -> '\ud83d';
            case 3 -> ':';
            default -> (char) ('a' + random.nextInt(26));
          });
    }
    return sb.toString();
  }

  /** {@code body} with one to three random mutations (it is not changed). */
  public JsonNode mutate(JsonNode body) {
    JsonNode copy = body.deepCopy();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      copy = mutateOnce(copy);
    }
    return copy;
  }

  private record Slot(JsonNode parent, String field, int index) {}

  private JsonNode mutateOnce(JsonNode root) {
    List<Slot> slots = new ArrayList<>();
    collect(root, slots);
    if (slots.isEmpty()) {
      return randomJson(2);
    }
    Slot s = pick(slots);
    JsonNode current = s.field != null ? s.parent.get(s.field) : s.parent.get(s.index);
    int op = random.nextInt(12);
    if (op == 0 && s.field != null) {
      ((ObjectNode) s.parent).remove(s.field); // missing field
      return root;
    }
    if (op == 1 && s.parent instanceof ObjectNode o) {
      o.set("unknown" + random.nextInt(1000), randomJson(1)); // unknown field
      return root;
    }
    JsonNode replacement =
        switch (op) {
          case 2 -> NODES.nullNode();
          case 3 -> randomJson(2); // wrong type, most of the time
          case 4 -> NODES.textNode("A".repeat(HUGE_STRING_CHARS));
          case 5 ->
              NODES.textNode(pick(List.of("!!!!", "YQ", "====", "YW=Jj", "\u00ff\u00fe", "a b")));
          case 6 -> flipped(current);
          case 7 -> truncated(current);
          case 8 ->
              NODES.numberNode(
                  pick(
                      List.of(
                          BigInteger.ONE.shiftLeft(63),
                          BigInteger.valueOf(-1),
                          BigInteger.ZERO,
                          BigInteger.valueOf(Integer.MAX_VALUE),
                          BigInteger.valueOf(Long.MIN_VALUE))));
          case 9 -> NODES.numberNode(pick(List.of(1.5, 1e300, -0.0)));
          case 10 -> repeated(current);
          default -> NODES.textNode(pick(List.of("", "../..", "\u0000", "\u202e", "%2e%2e")));
        };
    if (s.field != null) {
      ((ObjectNode) s.parent).set(s.field, replacement);
    } else {
      ((ArrayNode) s.parent).set(s.index, replacement);
    }
    return root;
  }

  private JsonNode flipped(JsonNode node) {
    if (node != null && node.isTextual()) {
      try {
        byte[] b = Base64.getDecoder().decode(node.asText());
        if (b.length > 0) {
          b[random.nextInt(b.length)] ^= (byte) (1 << random.nextInt(8));
          return NODES.textNode(Base64.getEncoder().encodeToString(b));
        }
      } catch (IllegalArgumentException e) {
        // not base64: fall through
      }
    }
    return NODES.numberNode(random.nextInt());
  }

  private JsonNode truncated(JsonNode node) {
    if (node != null && node.isTextual() && !node.asText().isEmpty()) {
      String t = node.asText();
      return NODES.textNode(t.substring(0, random.nextInt(t.length())));
    }
    if (node != null && node.isArray()) {
      return NODES.arrayNode();
    }
    return NODES.textNode("");
  }

  private JsonNode repeated(JsonNode node) {
    ArrayNode a = NODES.arrayNode();
    int n = 101 + random.nextInt(60); // past the 100-item list limit
    for (int i = 0; i < n; i++) {
      a.add(
          node == null ? NODES.nullNode() : node.isArray() && !node.isEmpty() ? node.get(0) : node);
    }
    return a;
  }

  private static void collect(JsonNode node, List<Slot> out) {
    if (node instanceof ObjectNode o) {
      o.fieldNames()
          .forEachRemaining(
              f -> {
                out.add(new Slot(o, f, -1));
                collect(o.get(f), out);
              });
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        out.add(new Slot(a, null, i));
        collect(a.get(i), out);
      }
    }
  }

  /** {@code [[[[…]]]]} or {@code {"a":{"a":…}}}, {@link #DEEP_NESTING} levels deep. */
  public byte[] deeplyNested() {
    boolean arrays = random.nextBoolean();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < DEEP_NESTING; i++) {
      sb.append(arrays ? "[" : "{\"a\":");
    }
    sb.append("1");
    for (int i = 0; i < DEEP_NESTING; i++) {
      sb.append(arrays ? "]" : "}");
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Random bytes that are (almost certainly) not JSON. */
  public byte[] garbage() {
    byte[] b = new byte[1 + random.nextInt(300)];
    random.nextBytes(b);
    return b;
  }
}
