package org.sotto.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.sotto.api.dto.AttachmentCreateRequest;
import org.sotto.api.dto.HandleRequest;
import org.sotto.api.dto.KeyUploadRequest;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.ProfileRequest;
import org.sotto.api.dto.ProvisioningMessageRequest;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.server.http.Route;
import org.sotto.server.http.Route.Access;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestClient.Result;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;

/**
 * No account can read or change another's data: every authenticated route of the route table is
 * called against a victim account (three devices, a handle, a profile, prekeys) without
 * credentials, with wrong ones, and as another account's device with the victim's ids in the path.
 * The victim's observable state must be the same afterwards, and each route's answer to the other
 * account must meet an explicit expectation. A route added later without an entry in {@link
 * #EXPECTATIONS} fails {@link #everyAuthenticatedRoute_hasAnExpectation()}: whoever adds it must
 * decide what another account may do with it.
 */
class AuthorizationMatrixIntegrationTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** The only 401 body: no hint whether the account, device or secret was wrong. */
  private static final String UNAUTHORIZED =
      "{\"code\":\"unauthorized\",\"message\":\"authentication required\"}";

  /** Extra one-time prekeys given to the victim, so its counts differ from the attacker's. */
  private static final int VICTIM_EXTRA_PREKEYS = 5;

  static TestServer server;
  static TestClient client;
  static TestDevice victim;
  static List<TestDevice> victimDevices;
  static TestDevice attacker;
  static String victimHandle;
  static byte[] victimAccessKey;
  static String victimAttachment;

  /** Size of the victim's finished attachment upload. */
  private static final int VICTIM_ATTACHMENT_BYTES = 10;

  /** What a route does when another account's device calls it with the victim's ids. */
  private interface Expectation {
    /** Checks the answer; {@code actor} is the caller. */
    void check(Ctx ctx, TestDevice actor, Result r);

    /** Whether the call may consume the victim's one-time prekeys (bundle fetches, by design). */
    default boolean consumesVictimPrekeys() {
      return false;
    }

    /** Whether the call destroys the caller's account, so a throwaway account must make it. */
    default boolean destroysCaller() {
      return false;
    }
  }

  /** The test's view for expectations. */
  private record Ctx(Snapshot before) {}

  /**
   * The entry for each authenticated route, by "METHOD pattern". Keep one per route: {@link
   * #everyAuthenticatedRoute_hasAnExpectation()} checks that set against the served routes.
   */
  private static final Map<String, Expectation> EXPECTATIONS =
      Map.ofEntries(
          Map.entry(
              "GET /v1/accounts/me",
              (ctx, actor, r) -> {
                assertEquals(200, r.status());
                assertEquals(actor.account().toString(), r.json().get("accountId").asText());
                assertFalse(r.text().contains(victim.account().toString()));
              }),
          Map.entry(
              "DELETE /v1/accounts/me",
              new Expectation() {
                @Override
                public void check(Ctx ctx, TestDevice actor, Result r) {
                  assertEquals(204, r.status()); // the caller's own account, not the victim's
                  assertEquals(401, client.call("GET", "/v1/accounts/me", null, actor).status());
                }

                @Override
                public boolean destroysCaller() {
                  return true;
                }
              }),
          Map.entry(
              "PUT /v1/accounts/me/handle",
              (ctx, actor, r) -> assertEquals(409, r.status())), // the victim's handle is taken
          Map.entry(
              "DELETE /v1/accounts/me/handle", (ctx, actor, r) -> assertEquals(204, r.status())),
          Map.entry(
              "GET /v1/accounts/handle/{handle}",
              (ctx, actor, r) -> {
                // Handles are a public directory by design: the lookup yields the account id only.
                assertEquals(200, r.status());
                assertEquals(Set.of("accountId"), fields(r.json()));
              }),
          Map.entry(
              "GET /v1/devices",
              (ctx, actor, r) -> {
                assertEquals(200, r.status());
                assertEquals(2, r.json().get("devices").size(), "the caller's two devices only");
              }),
          Map.entry(
              "DELETE /v1/devices/{deviceId}",
              (ctx, actor, r) -> assertEquals(404, r.status())), // device 3 is the victim's only
          Map.entry(
              "POST /v1/devices/provisioning/code",
              (ctx, actor, r) -> {
                assertEquals(200, r.status());
                // The code is for the caller's account: it cannot add a device to the victim's.
                TestDevice intruder = TestDevice.generate(victim.identity);
                var link =
                    new LinkDeviceRequest(
                        victim.account(),
                        r.json().get("code").asText(),
                        intruder.secret,
                        intruder.deviceKeys());
                assertEquals(403, client.call("POST", "/v1/devices/link", link, null).status());
              }),
          Map.entry("PUT /v1/keys", (ctx, actor, r) -> assertEquals(204, r.status())),
          Map.entry(
              "GET /v1/keys/count",
              (ctx, actor, r) -> {
                assertEquals(200, r.status());
                assertNotEquals(ctx.before().counts().get(0), r.json(), "the victim's counts");
              }),
          Map.entry(
              "GET /v1/keys/{accountId}/{deviceId}",
              new Expectation() {
                @Override
                public void check(Ctx ctx, TestDevice actor, Result r) {
                  // Bundles are public by design (that is how sessions start): public keys only.
                  assertEquals(200, r.status());
                  assertEquals(Set.of("identityKey", "devices"), fields(r.json()));
                  for (JsonNode d : r.json().get("devices")) {
                    assertEquals(
                        Set.of(
                            "deviceId", "registrationId", "signedPreKey", "preKey", "kyberPreKey"),
                        fields(d));
                  }
                }

                @Override
                public boolean consumesVictimPrekeys() {
                  return true;
                }
              }),
          Map.entry("PUT /v1/profile", (ctx, actor, r) -> assertEquals(204, r.status())),
          Map.entry("POST /v1/attachments", (ctx, actor, r) -> assertEquals(200, r.status())),
          // Attachment ids are capabilities by design (ciphertext; the key travels end to end):
          // whoever knows the id may read it, but nobody may change a finished upload.
          Map.entry("GET /v1/attachments/{id}", (ctx, actor, r) -> assertEquals(200, r.status())),
          Map.entry("HEAD /v1/attachments/{id}", (ctx, actor, r) -> assertEquals(200, r.status())),
          Map.entry(
              "PATCH /v1/attachments/{id}",
              (ctx, actor, r) -> {
                assertEquals(400, r.status()); // no Upload-Offset
                Result append =
                    client.raw(
                        "PATCH",
                        "/v1/attachments/" + victimAttachment,
                        new byte[] {1, 2, 3},
                        Map.of(
                            "Authorization",
                            actor.basicAuth(),
                            "Upload-Offset",
                            Integer.toString(VICTIM_ATTACHMENT_BYTES)));
                // Refused: the upload is finished (409) or the bytes go past its length (413).
                assertTrue(Set.of(409, 413).contains(append.status()), append.text());
              }),
          Map.entry(
              "GET /v1/certificate/delivery",
              (ctx, actor, r) -> {
                assertEquals(200, r.status());
                String cert =
                    new String(
                        Base64.getDecoder().decode(r.json().get("certificate").asText()),
                        java.nio.charset.StandardCharsets.ISO_8859_1);
                assertTrue(cert.contains(actor.account().toString()), "the caller's certificate");
                assertFalse(cert.contains(victim.account().toString()));
              }),
          Map.entry(
              "GET /v1/websocket",
              (ctx, actor, r) -> assertEquals(426, r.status())), // the caller's own queue only
          Map.entry(
              "GET /v1/websocket/send",
              (ctx, actor, r) -> assertEquals(426, r.status())), // sends as the caller only
          Map.entry(
              "PUT /v1/messages/{accountId}",
              (ctx, actor, r) -> {
                // Sending to anyone is the point; it stores envelopes and reads nothing.
                assertEquals(200, r.status(), r.text());
                assertEquals(Set.of("stored"), fields(r.json()));
              }),
          Map.entry(
              "PUT /v1/provisioning/{address}",
              (ctx, actor, r) -> assertEquals(404, r.status())), // nobody waits there
          Map.entry(
              "GET /v1/profile/{accountId}",
              (ctx, actor, r) -> {
                // Public by design (the blob is encrypted); the access key never leaves.
                assertEquals(200, r.status());
                assertEquals(Set.of("identityKey", "blob"), fields(r.json()));
                assertFalse(
                    r.text().contains(Base64.getEncoder().encodeToString(victimAccessKey)),
                    "the unidentified access key is never returned");
              }));

  /** A valid body of each request type, made by {@code actor}. */
  private static final Map<Class<?>, Function<TestDevice, Object>> BODIES =
      Map.of(
          HandleRequest.class,
          actor -> new HandleRequest(victimHandle),
          KeyUploadRequest.class,
          actor -> {
            var keys = TestDevice.generate(actor.identity).deviceKeys();
            return new KeyUploadRequest(
                keys.preKeys(),
                keys.kyberPreKeys(),
                keys.signedPreKey(),
                keys.lastResortKyberPreKey());
          },
          ProfileRequest.class,
          actor -> new ProfileRequest(randomBytes(40), randomBytes(16)),
          AttachmentCreateRequest.class,
          actor -> new AttachmentCreateRequest(VICTIM_ATTACHMENT_BYTES),
          ProvisioningMessageRequest.class,
          actor -> new ProvisioningMessageRequest(randomBytes(40)),
          SendMessagesRequest.class,
          actor ->
              new SendMessagesRequest(
                  victimDevices.stream()
                      .map(
                          d ->
                              new OutgoingMessage(
                                  1, d.address.device().value(), d.registrationId, randomBytes(30)))
                      .toList(),
                  System.currentTimeMillis()));

  /** The victim's value for each path parameter. */
  private static Map<String, String> victimParams() {
    return Map.of(
        "accountId",
        victim.account().toString(),
        "deviceId",
        "3",
        "handle",
        victimHandle,
        "id",
        victimAttachment,
        "address",
        Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(16)));
  }

  /**
   * Everything about the victim another account could change, as the victim sees it: account and
   * handle, devices, prekey counts of each device, profile. (Handle lookups are rate-limited per
   * caller, so the handle is read from the account, not looked up.)
   */
  private record Snapshot(
      JsonNode me, JsonNode devices, List<JsonNode> counts, JsonNode profile, String attachment) {}

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start();
    client = server.client();
    victimHandle = "victim_" + Integer.toUnsignedString(RANDOM.nextInt(), 36);
    victim = client.register(victimHandle);
    victimDevices = new ArrayList<>(List.of(victim, link(victim), link(victim)));
    victimAccessKey = randomBytes(16);
    assertEquals(
        204,
        client
            .call(
                "PUT", "/v1/profile", new ProfileRequest(randomBytes(50), victimAccessKey), victim)
            .status());
    var extra = TestDevice.generate(victim.identity).deviceKeys().preKeys();
    var more = new ArrayList<>(extra);
    for (int i = 0; i < VICTIM_EXTRA_PREKEYS - extra.size(); i++) {
      more.add(new org.sotto.api.dto.PreKey(500 + i, extra.get(0).publicKey()));
    }
    assertEquals(
        204,
        client
            .call("PUT", "/v1/keys", new KeyUploadRequest(more, null, null, null), victim)
            .status());
    Result created =
        client.call(
            "POST",
            "/v1/attachments",
            new AttachmentCreateRequest(VICTIM_ATTACHMENT_BYTES),
            victim);
    victimAttachment = created.json().get("id").asText();
    Result uploaded =
        client.raw(
            "PATCH",
            "/v1/attachments/" + victimAttachment,
            randomBytes(VICTIM_ATTACHMENT_BYTES),
            Map.of("Authorization", victim.basicAuth(), "Upload-Offset", "0"));
    assertEquals(204, uploaded.status(), uploaded.text());
    attacker = client.register(null);
    link(attacker);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  @Test
  void everyAuthenticatedRoute_hasAnExpectation() {
    Set<String> routes =
        authenticatedRoutes().stream()
            .map(AuthorizationMatrixIntegrationTest::key)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(
        routes,
        new TreeSet<>(EXPECTATIONS.keySet()),
        "classify every DEVICE and DEVICE_OR_UNIDENTIFIED route in EXPECTATIONS");
  }

  @TestFactory
  Stream<DynamicTest> withoutValidCredentials_everyAuthenticatedRoute_is401WithoutDetail() {
    return authenticatedRoutes().stream()
        .map(
            route ->
                DynamicTest.dynamicTest(
                    key(route),
                    () -> {
                      Snapshot before = snapshot();
                      String path = victimPath(route);
                      Object body = body(route, victim);
                      byte[] json = body == null ? null : org.sotto.server.http.Json.write(body);
                      for (String authorization : wrongCredentials()) {
                        Map<String, String> headers =
                            authorization == null
                                ? Map.of()
                                : Map.of("Authorization", authorization);
                        Result r = rawOnce(route.method(), path, json, headers);
                        assertEquals(
                            401, r.status(), key(route) + " with " + describe(authorization));
                        if (!route.method().equals("HEAD")) { // HEAD has no body
                          assertEquals(UNAUTHORIZED, r.text(), key(route));
                        }
                      }
                      assertEquals(before, snapshot(), "victim changed by " + key(route));
                    }));
  }

  @TestFactory
  Stream<DynamicTest> asAnotherAccount_everyAuthenticatedRoute_leavesTheVictimAlone() {
    return authenticatedRoutes().stream()
        .filter(route -> EXPECTATIONS.containsKey(key(route)))
        .map(
            route ->
                DynamicTest.dynamicTest(
                    key(route),
                    () -> {
                      Expectation e = EXPECTATIONS.get(key(route));
                      TestDevice actor = e.destroysCaller() ? client.register(null) : attacker;
                      Snapshot before = snapshot();
                      Result r =
                          client.call(route.method(), victimPath(route), body(route, actor), actor);
                      assertTrue(r.status() < 500, key(route) + ": " + r.status());
                      e.check(new Ctx(before), actor, r);
                      Snapshot after = snapshot();
                      if (e.consumesVictimPrekeys()) {
                        assertAtMostOneConsumed(before.counts(), after.counts());
                        before =
                            new Snapshot(
                                before.me(),
                                before.devices(),
                                after.counts(),
                                before.profile(),
                                before.attachment());
                      }
                      assertEquals(before, after, "victim changed by " + key(route));
                    }));
  }

  /**
   * One request; retried once if a pooled connection turns out closed (the server may close after
   * refusing a request whose body it did not read).
   */
  private static Result rawOnce(
      String method, String path, byte[] body, Map<String, String> headers) {
    try {
      return client.raw(method, path, body, headers);
    } catch (java.io.UncheckedIOException e) {
      return client.raw(method, path, body, headers);
    }
  }

  private static void assertAtMostOneConsumed(List<JsonNode> before, List<JsonNode> after) {
    for (int i = 0; i < before.size(); i++) {
      for (String kind : new String[] {"ecCount", "kyberCount"}) {
        int drop = before.get(i).get(kind).asInt() - after.get(i).get(kind).asInt();
        assertTrue(drop == 0 || drop == 1, "device " + (i + 1) + " " + kind + " dropped " + drop);
      }
    }
  }

  private static List<Route> authenticatedRoutes() {
    return server.server().routes().stream().filter(r -> r.access() != Access.PUBLIC).toList();
  }

  private static String key(Route r) {
    return r.method() + " " + r.pattern();
  }

  private static String victimPath(Route route) {
    String path = route.pattern();
    for (String name : route.parameterNames()) {
      String value = victimParams().get(name);
      assertTrue(value != null, "add the victim's value for path parameter " + name);
      path = path.replace("{" + name + "}", value);
    }
    return path;
  }

  private static Object body(Route route, TestDevice actor) {
    if (route.requestType() == Void.class) {
      return null;
    }
    Function<TestDevice, Object> f = BODIES.get(route.requestType());
    assertTrue(f != null, "add a valid body for " + route.requestType().getSimpleName());
    return f.apply(actor);
  }

  /** Credentials that must all fail the same way; null means no header at all. */
  private static List<String> wrongCredentials() {
    String id = victim.account().toString();
    List<String> out = new ArrayList<>();
    out.add(null);
    out.add(TestClient.basic(id + ".1", victim.secret + "x")); // wrong secret
    out.add(TestClient.basic(id + ".1", attacker.secret)); // someone else's secret
    out.add(TestClient.basic(id + ".2", victim.secret)); // device 1's secret for device 2
    out.add(TestClient.basic(id + ".9", victim.secret)); // no such device
    out.add(TestClient.basic(id, victim.secret)); // no device id
    out.add(TestClient.basic(attacker.account() + ".1", victim.secret)); // attacker, victim secret
    out.add("Bearer " + victim.secret);
    out.add("Basic not-base64!");
    out.add("");
    return out;
  }

  private static String describe(String authorization) {
    return authorization == null
        ? "no credentials"
        : "wrong credentials #" + authorization.length();
  }

  /** The victim's state, read as the victim (and so also proving its credentials still work). */
  private static Snapshot snapshot() {
    List<JsonNode> counts = new ArrayList<>();
    for (TestDevice d : victimDevices) {
      counts.add(ok(client.call("GET", "/v1/keys/count", null, d)));
    }
    return new Snapshot(
        ok(client.call("GET", "/v1/accounts/me", null, victim)),
        ok(client.call("GET", "/v1/devices", null, victim)),
        counts,
        ok(client.call("GET", "/v1/profile/" + victim.account(), null, victim)),
        java.util.HexFormat.of()
            .formatHex(
                client.call("GET", "/v1/attachments/" + victimAttachment, null, victim).body()));
  }

  private static JsonNode ok(Result r) {
    assertEquals(200, r.status(), r.text());
    return r.json();
  }

  private static Set<String> fields(JsonNode node) {
    Set<String> out = new TreeSet<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** Links a new device to {@code primary}'s account and returns it. */
  private static TestDevice link(TestDevice primary) {
    return client.link(primary);
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
