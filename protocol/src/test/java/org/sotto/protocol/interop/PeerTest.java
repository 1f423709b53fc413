package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Sotto peer in process: request handling, error kinds and robustness against bad input. */
final class PeerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
  private final Peer peer =
      new Peer(
          new SecureRandom(),
          Clock.systemUTC(),
          new PrintStream(diagnostics, true, StandardCharsets.UTF_8));

  @Test
  void version_repliesSottoWithVersion() {
    JsonNode r = call("{\"id\":1,\"op\":\"version\"}");
    assertTrue(r.path("ok").asBoolean());
    assertEquals(1, r.path("id").asInt());
    assertEquals("sotto", r.path("implementation").asText());
    assertEquals(Peer.VERSION, r.path("version").asText());
  }

  @Test
  void run_malformedLines_invalidArgumentAndKeepsServing() {
    List<JsonNode> replies =
        run("not json", "[1,2]", "42", "{\"id\":\"x\",", "", "{\"id\":7,\"op\":\"version\"}");
    assertEquals(5, replies.size(), "one reply per non-blank line");
    for (int i = 0; i < 4; i++) {
      assertFalse(replies.get(i).path("ok").asBoolean());
      assertEquals("invalid_argument", replies.get(i).path("kind").asText());
      assertTrue(replies.get(i).path("id").isNull());
    }
    assertTrue(replies.get(4).path("ok").asBoolean());
  }

  @Test
  void run_quit_repliesThenStops() {
    List<JsonNode> replies = run("{\"id\":1,\"op\":\"quit\"}", "{\"id\":2,\"op\":\"version\"}");
    assertEquals(1, replies.size());
    assertTrue(replies.get(0).path("ok").asBoolean());
  }

  @Test
  void handle_anyIdType_echoed() {
    assertEquals("\"abc\"", call("{\"id\":\"abc\",\"op\":\"version\"}").get("id").toString());
    assertEquals(
        "{\"a\":[1]}", call("{\"id\":{\"a\":[1]},\"op\":\"version\"}").get("id").toString());
    assertTrue(call("{\"op\":\"version\"}").get("id").isNull());
  }

  @ParameterizedTest
  @ValueSource(strings = {"no_such_op", ""})
  void handle_opNotImplemented_unsupported(String op) {
    assertEquals("unsupported", failure(request(op)));
  }

  @Test
  void handle_badFields_invalidArgument() {
    assertEquals("invalid_argument", failure(request("create_identity")));
    assertEquals(
        "invalid_argument", failure(request("create_identity", "who", "a", "deviceId", 0)));
    assertEquals(
        "invalid_argument", failure(request("create_identity", "who", "a", "deviceId", 128)));
    assertEquals(
        "invalid_argument", failure(request("create_identity", "who", "a", "deviceId", "1")));
    assertEquals("invalid_argument", failure(request("generate_bundle", "who", "nobody")));
    assertEquals("invalid_argument", failure(request("hkdf", "ikm", "!!!", "info", "")));
    assertEquals("invalid_argument", failure(request("hkdf", "ikm", "", "info", "", "length", 0)));
    assertEquals(
        "invalid_argument", failure(request("hkdf", "ikm", "", "info", "", "length", 8161)));
    ok(request("create_identity", "who", "a"));
    assertEquals("invalid_argument", failure(request("encrypt", "who", "a", "peer", address("b"))));
    assertEquals(
        "invalid_argument", failure(request("encrypt", "who", "a", "peer", "b", "text", "hi")));
    assertEquals(
        "invalid_argument",
        failure(request("decrypt", "who", "a", "peer", address("b"), "type", 7, "ciphertext", "")));
    assertEquals(
        "invalid_argument",
        failure(request("generate_bundle", "who", "a", "oneTimePreKey", "yes")));
  }

  @Test
  void handle_badKeys_invalidKey() {
    assertEquals(
        "invalid_key",
        failure(request("agree", "privateKey", b64(new byte[32]), "publicKey", b64(new byte[5]))));
    assertEquals(
        "invalid_key",
        failure(
            request(
                "xeddsa_verify",
                "publicKey",
                b64(new byte[33]),
                "message",
                "",
                "signature",
                b64(new byte[64]))));
    ok(request("create_identity", "who", "a"));
    ok(request("create_identity", "who", "b"));
    ObjectNode bundle = (ObjectNode) ok(request("generate_bundle", "who", "b")).get("bundle");
    ObjectNode badIdentity = bundle.deepCopy().put("identityKey", b64(new byte[32]));
    assertEquals(
        "invalid_key",
        failure(
            request("process_bundle", "who", "a", "peer", address(bundle), "bundle", badIdentity)));
    byte[] sig = Base64.getDecoder().decode(bundle.get("signedPreKeySignature").asText());
    sig[0] ^= 1;
    ObjectNode badSignature = bundle.deepCopy().put("signedPreKeySignature", b64(sig));
    assertEquals(
        "invalid_key",
        failure(
            request(
                "process_bundle", "who", "a", "peer", address(bundle), "bundle", badSignature)));
    assertFalse(
        ok(request("session_info", "who", "a", "peer", address(bundle)))
            .path("hasSession")
            .asBoolean());
  }

  @Test
  void handle_sessionErrors_mappedToKinds() {
    JsonNode alice = ok(request("create_identity", "who", "alice"));
    JsonNode bob = ok(request("create_identity", "who", "bob"));
    ok(request("create_identity", "who", "carol"));
    assertEquals(
        "no_session",
        failure(request("encrypt", "who", "alice", "peer", address(bob), "text", "hi")));
    assertEquals(
        "invalid_message",
        failure(
            request(
                "decrypt",
                "who",
                "bob",
                "peer",
                address(alice),
                "type",
                2,
                "ciphertext",
                b64(new byte[40]))));
    assertEquals(
        "invalid_message",
        failure(
            request(
                "decrypt",
                "who",
                "bob",
                "peer",
                address(alice),
                "type",
                3,
                "ciphertext",
                b64(new byte[40]))));

    JsonNode bundle = ok(request("generate_bundle", "who", "bob")).get("bundle");
    ok(request("process_bundle", "who", "alice", "peer", address(bob), "bundle", bundle));
    JsonNode m1 = ok(request("encrypt", "who", "alice", "peer", address(bob), "text", "hi bob"));
    assertEquals(3, m1.path("type").asInt());
    JsonNode d1 = ok(decrypt("bob", alice, m1));
    assertEquals("hi bob", d1.path("text").asText());
    assertEquals(b64("hi bob".getBytes(StandardCharsets.UTF_8)), d1.path("plaintext").asText());
    assertEquals("duplicate_message", failure(decrypt("bob", alice, m1)));

    JsonNode r1 = ok(request("encrypt", "who", "bob", "peer", address(alice), "text", "hi alice"));
    assertEquals(2, r1.path("type").asInt());
    assertEquals("no_session", failure(decrypt("carol", bob, r1)));
    assertEquals("hi alice", ok(decrypt("alice", bob, r1)).path("text").asText());
  }

  private ObjectNode decrypt(String who, JsonNode from, JsonNode message) {
    return request(
        "decrypt",
        "who",
        who,
        "peer",
        address(from),
        "type",
        message.path("type").asInt(),
        "ciphertext",
        message.path("ciphertext").asText());
  }

  private static ObjectNode address(String name) {
    return MAPPER.createObjectNode().put("name", name).put("deviceId", 1);
  }

  private static ObjectNode address(JsonNode identityOrBundle) {
    return address(identityOrBundle.path("name").asText());
  }

  private static ObjectNode request(String op, Object... kv) {
    return PeerProcess.request(op, kv);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private JsonNode ok(ObjectNode request) {
    JsonNode r = peer.handle(request);
    assertTrue(r.path("ok").asBoolean(), () -> request + " → " + r);
    return r;
  }

  private String failure(ObjectNode request) {
    JsonNode r = peer.handle(request);
    assertFalse(r.path("ok").asBoolean(), () -> request + " → " + r);
    assertTrue(r.hasNonNull("error"), () -> "error message missing: " + r);
    return r.path("kind").asText();
  }

  private JsonNode call(String line) {
    List<JsonNode> replies = run(line);
    assertEquals(1, replies.size());
    return replies.get(0);
  }

  private List<JsonNode> run(String... lines) {
    StringWriter out = new StringWriter();
    try {
      peer.run(new BufferedReader(new StringReader(String.join("\n", lines) + "\n")), out);
      List<JsonNode> replies = new ArrayList<>();
      for (String line : out.toString().split("\n")) {
        if (!line.isEmpty()) {
          replies.add(MAPPER.readTree(line));
        }
      }
      return replies;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
