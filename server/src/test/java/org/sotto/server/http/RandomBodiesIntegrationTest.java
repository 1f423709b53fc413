package org.sotto.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.HandleRequest;
import org.sotto.api.dto.KeyUploadRequest;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.ProfileRequest;
import org.sotto.server.testing.RandomInputs;
import org.sotto.server.testing.RawHttp;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;

/**
 * Fires random and mutated bodies, path parameters, credentials and content types at every
 * operation of the server's own OpenAPI document (so routes added later are covered without
 * changing this test), as a real device and as strangers. Nothing may produce a 5xx or break the
 * connection, every 4xx is the JSON {@code {code, message}} error, and the server still answers
 * afterwards. Seeded: a failure prints the seed; rerun with {@code -Dsotto.random.seed=N}.
 */
class RandomBodiesIntegrationTest {
  /** Requests per operation: enough to hit every input kind several times, done in seconds. */
  static final int REQUESTS_PER_OPERATION = 60;

  /** Failures reported at most; more would only repeat the same bug. */
  static final int MAX_REPORTED_FAILURES = 15;

  /** The route body cap plus a little: a body this large must be a 413, not a crash. */
  static final int OVERSIZE_BODY_BYTES = Route.DEFAULT_MAX_BODY_BYTES + 17;

  static final long SEED = Long.getLong("sotto.random.seed", new SecureRandom().nextLong());

  static TestServer server;
  static TestClient client;
  static RawHttp raw;
  static JsonNode doc;

  TestDevice owner;
  TestDevice other;
  final List<TestDevice> freshDevices = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    client = server.client();
    raw = new RawHttp(server.uri());
    doc = client.call("GET", OpenApi.PATH, null, null).json();
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private record Operation(String method, String pattern, JsonNode op) {
    String access() {
      JsonNode s = op.get("security");
      return s.isEmpty() ? "public" : s.size() == 1 ? "device" : "device-or-unidentified";
    }

    JsonNode bodySchema() {
      return op.path("requestBody").path("content").path("application/json").get("schema");
    }
  }

  @Test
  void everyOperation_randomInputs_neverServerErrorAlwaysJsonErrors() {
    System.out.println("RandomBodiesIntegrationTest seed " + SEED);
    RandomInputs in = new RandomInputs(new Random(SEED));
    for (int i = 0; i < 3; i++) {
      freshDevices.add(TestDevice.generate());
    }
    owner = client.register("owner" + Long.toUnsignedString(SEED % 100_000));
    other = client.register(null);
    List<Operation> ops = new ArrayList<>();
    doc.get("paths")
        .properties()
        .forEach(
            p ->
                p.getValue()
                    .properties()
                    .forEach(
                        m ->
                            ops.add(
                                new Operation(
                                    m.getKey().toUpperCase(Locale.ROOT),
                                    p.getKey(),
                                    m.getValue()))));
    assertTrue(ops.size() >= 15, "operations in the document: " + ops.size());
    List<String> failures = new ArrayList<>();
    Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    int sent = 0;
    for (Operation op : ops) {
      for (int i = 0; i < REQUESTS_PER_OPERATION && failures.size() < MAX_REPORTED_FAILURES; i++) {
        Attempt a = attempt(op, in, i == 0);
        sent++;
        if (a.response() != null) {
          statuses.merge(a.response().status(), 1, Integer::sum);
        }
        String failure = check(a);
        if (failure != null) {
          failures.add(failure);
        }
        keepOwnerAlive(a);
      }
    }
    assertTrue(
        failures.isEmpty(),
        "seed " + SEED + ", " + failures.size() + " failures:\n" + String.join("\n", failures));
    System.out.println("statuses " + statuses);
    assertEquals(200, raw.request("GET", "/healthz", Map.of(), null).status(), "seed " + SEED);
    // The inputs must reach past authentication and parsing, or this test proves little.
    for (int status : new int[] {200, 204, 400, 401, 413}) {
      assertTrue(statuses.getOrDefault(status, 0) > 0, "no " + status + " among " + statuses);
    }
    assertTrue(sent >= ops.size() * REQUESTS_PER_OPERATION, "sent " + sent);
  }

  private record Attempt(
      String method,
      String target,
      Map<String, String> headers,
      byte[] body,
      String bodyKind,
      boolean asOwner,
      RawHttp.Response response,
      RuntimeException crash) {
    String describe() {
      String b = body == null ? "-" : new String(body, StandardCharsets.UTF_8);
      if (b.length() > 300) {
        b = b.substring(0, 300) + "…(" + body.length + " bytes)";
      }
      Map<String, String> shown = new HashMap<>(headers);
      shown.computeIfPresent("Authorization", (k, v) -> v.length() > 40 ? v.substring(0, 40) : v);
      return method
          + " "
          + (target.length() > 200 ? target.substring(0, 200) + "…" : target)
          + " headers="
          + shown
          + " body["
          + bodyKind
          + "]="
          + b;
    }
  }

  private Attempt attempt(Operation op, RandomInputs in, boolean oversize) {
    Random r = in.random();
    Map<String, List<String>> valid = validParams();
    String target = op.pattern();
    for (String name : Route.parameterNamesOf(op.pattern())) {
      target =
          target.replace(
              "{" + name + "}", in.pathValue(valid.getOrDefault(name, List.of("1", "abc"))));
    }
    if (r.nextInt(10) == 0) {
      target +=
          "?" + RandomInputs.encode(in.randomText(5)) + "=" + RandomInputs.encode(in.randomText(5));
    }
    Map<String, String> headers = new HashMap<>();
    boolean asOwner = false;
    int auth = r.nextInt(10);
    if (auth < (op.access().equals("public") ? 3 : 6)) {
      headers.put("Authorization", owner.basicAuth());
      asOwner = true;
    } else if (auth < 8) {
      headers.put(
          "Authorization",
          in.pick(
              List.of(
                  TestClient.basic(owner.account() + ".1", "wrong-secret-wrong-secret"),
                  TestClient.basic(other.account() + ".1", owner.secret),
                  TestClient.basic(owner.account() + ".2", owner.secret),
                  TestClient.basic("x", "y"),
                  "Basic " + "A".repeat(600),
                  "Basic !!!",
                  "Bearer " + owner.secret,
                  "Basic",
                  "")));
    } else if (auth < 9) {
      byte[] key = new byte[r.nextBoolean() ? 16 : r.nextInt(40)];
      r.nextBytes(key);
      headers.put(
          "Unidentified-Access-Key",
          r.nextInt(4) == 0 ? in.randomText(10) : Base64.getEncoder().encodeToString(key));
    }
    String kind;
    byte[] body;
    JsonNode schema = op.bodySchema();
    if (oversize && schema != null) {
      kind = "oversize";
      body = new byte[OVERSIZE_BODY_BYTES];
      java.util.Arrays.fill(body, (byte) ' ');
      body[0] = '{';
      body[body.length - 1] = '}';
    } else {
      int k = r.nextInt(schema == null ? 14 : 20);
      if (schema != null && k >= 14) {
        k = 100 + r.nextInt(3); // bias towards schema-shaped bodies
      }
      switch (k) {
        case 0, 1 -> {
          kind = "none";
          body = null;
        }
        case 2 -> {
          kind = "empty";
          body = new byte[0];
        }
        case 3, 4 -> {
          kind = "random-json";
          body = Json.write(in.randomJson(3));
        }
        case 5 -> {
          kind = "garbage";
          body = in.garbage();
        }
        case 6 -> {
          kind = "deep";
          body = in.deeplyNested();
        }
        case 7 -> {
          kind = "huge-string";
          body =
              ("\"" + "x".repeat(RandomInputs.HUGE_STRING_CHARS) + "\"")
                  .getBytes(StandardCharsets.UTF_8);
        }
        case 8 -> {
          kind = "duplicate-keys";
          body = "{\"a\":1,\"a\":2}".getBytes(StandardCharsets.UTF_8);
        }
        case 9 -> {
          kind = "invalid-utf8";
          body = new byte[] {'{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        }
        case 10 -> {
          kind = "bom";
          body = "\uFEFF{}".getBytes(StandardCharsets.UTF_8);
        }
        case 11 -> {
          kind = "utf16";
          body = "{\"handle\":\"abc\"}".getBytes(StandardCharsets.UTF_16);
        }
        case 12 -> {
          kind = "trailing";
          body = "{} {}".getBytes(StandardCharsets.UTF_8);
        }
        case 13 -> {
          kind = "truncated";
          byte[] full = Json.write(schema == null ? in.randomJson(2) : valid(schema, in));
          body = java.util.Arrays.copyOf(full, r.nextInt(full.length));
        }
        case 100 -> {
          kind = "valid";
          body = Json.write(valid(schema, in));
        }
        case 101 -> {
          kind = "schema-random";
          body = Json.write(in.instance(schema, doc));
        }
        default -> {
          kind = "mutated";
          body = Json.write(in.mutate(valid(schema, in)));
        }
      }
    }
    if (body != null) {
      int ct = r.nextInt(8);
      if (ct < 5) {
        headers.put("Content-Type", "application/json");
      } else if (ct == 5) {
        headers.put(
            "Content-Type",
            in.pick(
                List.of(
                    "text/plain",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=zz",
                    "application/json; charset=utf-16",
                    "application/octet-stream")));
      } // else: no Content-Type at all
    }
    try {
      RawHttp.Response response = raw.request(op.method(), target, headers, body);
      return new Attempt(op.method(), target, headers, body, kind, asOwner, response, null);
    } catch (RuntimeException e) {
      return new Attempt(op.method(), target, headers, body, kind, asOwner, null, e);
    }
  }

  private static String check(Attempt a) {
    if (a.crash() != null) {
      return "no response (" + a.crash() + "): " + a.describe();
    }
    RawHttp.Response r = a.response();
    if (r.status() < 200 || r.status() >= 500) {
      return "status " + r.status() + " " + r.text() + ": " + a.describe();
    }
    if (r.status() >= 400 && a.method().equals("HEAD")) {
      // No body on HEAD; the headers still say what a GET would carry.
      if (!r.headers().getOrDefault("content-type", "").startsWith("application/json")) {
        return "HEAD status " + r.status() + " not announced as JSON: " + a.describe();
      }
    } else if (r.status() >= 400) {
      JsonNode json = r.jsonOrNull();
      boolean isJson = r.headers().getOrDefault("content-type", "").startsWith("application/json");
      if (!isJson
          || json == null
          || !json.path("code").isTextual()
          || !json.path("message").isTextual()) {
        return "status " + r.status() + " without a JSON error (" + r.text() + "): " + a.describe();
      }
    }
    return null;
  }

  /** After the owner deleted its own account (a valid DELETE), register a new owner. */
  private void keepOwnerAlive(Attempt a) {
    if (a.asOwner()
        && a.response() != null
        && a.response().status() < 300
        && a.method().equals("DELETE")) {
      if (client.call("GET", "/v1/accounts/me", null, owner).status() == 401) {
        owner = client.register(null);
      }
    }
  }

  private Map<String, List<String>> validParams() {
    return Map.of(
        "accountId", List.of(owner.account().toString(), other.account().toString()),
        "deviceId", List.of("1", "2", "*"),
        "handle", List.of("owner" + Long.toUnsignedString(SEED % 100_000), "nobody_here"));
  }

  /** A valid body for the schema's type, from a real device where signatures matter. */
  private JsonNode valid(JsonNode schema, RandomInputs in) {
    String name = schema.path("$ref").asText("").replace("#/components/schemas/", "");
    Random r = in.random();
    Map<String, Supplier<Object>> known =
        Map.of(
            "RegisterRequest",
            () ->
                in.pick(freshDevices)
                    .registerRequest(r.nextBoolean() ? null : "h" + r.nextInt(1_000_000)),
            "HandleRequest",
            () -> new HandleRequest("h" + r.nextInt(1_000_000)),
            "ProfileRequest",
            () -> {
              byte[] blob = new byte[r.nextInt(100)];
              byte[] key = new byte[16];
              r.nextBytes(blob);
              r.nextBytes(key);
              return new ProfileRequest(blob, key);
            },
            "KeyUploadRequest",
            () -> {
              var keys = TestDevice.generate(owner.identity).deviceKeys();
              return new KeyUploadRequest(
                  keys.preKeys(),
                  keys.kyberPreKeys(),
                  keys.signedPreKey(),
                  keys.lastResortKyberPreKey());
            },
            "LinkDeviceRequest",
            () -> {
              String code =
                  client
                      .call("POST", "/v1/devices/provisioning/code", null, owner)
                      .json()
                      .get("code")
                      .asText();
              TestDevice d = TestDevice.generate(owner.identity);
              return new LinkDeviceRequest(owner.account(), code, d.secret, d.deviceKeys());
            });
    Supplier<Object> s = known.get(name);
    return s != null ? Json.mapper().valueToTree(s.get()) : in.instance(schema, doc);
  }
}
