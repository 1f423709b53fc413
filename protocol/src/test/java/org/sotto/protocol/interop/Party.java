package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One identity ({@code who}) inside one peer process, with the 1:1 ops a scenario needs. Every call
 * goes through the JSON-lines protocol; helpers that expect success fail the test otherwise. Not
 * thread-safe.
 */
final class Party {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final PeerProcess process;
  private final String who;
  private final String name;
  private final int deviceId;
  private final byte[] identityKey;

  private Party(PeerProcess process, String who, JsonNode created) {
    this.process = process;
    this.who = who;
    this.name = created.path("name").asText();
    this.deviceId = created.path("deviceId").asInt();
    this.identityKey = Base64.getDecoder().decode(created.path("identityKey").asText());
  }

  /** Creates a fresh identity with a random UUID name and device id 1. */
  static Party create(PeerProcess process, String who) {
    return new Party(process, who, process.ok("create_identity", "who", who));
  }

  /**
   * Creates a fresh identity (new keys) under an existing name and device id, as a re-registration
   * does.
   */
  static Party reRegister(PeerProcess process, String who, Party previous) {
    return new Party(
        process,
        who,
        process.ok(
            "create_identity", "who", who, "name", previous.name, "deviceId", previous.deviceId));
  }

  PeerProcess process() {
    return process;
  }

  String implementation() {
    return process.label();
  }

  ObjectNode address() {
    return MAPPER.createObjectNode().put("name", name).put("deviceId", deviceId);
  }

  JsonNode bundle(boolean oneTimePreKey) {
    return process.ok("generate_bundle", "who", who, "oneTimePreKey", oneTimePreKey).get("bundle");
  }

  void processBundle(Party peer, JsonNode bundle) {
    process.ok("process_bundle", "who", who, "peer", peer.address(), "bundle", bundle);
  }

  String processBundleFailure(Party peer, JsonNode bundle) {
    return process.failure("process_bundle", "who", who, "peer", peer.address(), "bundle", bundle);
  }

  /** Fetches {@code peer}'s bundle and starts a session with it. */
  void startSession(Party peer, boolean oneTimePreKey) {
    processBundle(peer, peer.bundle(oneTimePreKey));
  }

  Ciphertext encrypt(Party to, byte[] plaintext) {
    return ciphertext(process.ok("encrypt", encryptRequest(to, plaintext)));
  }

  String encryptFailure(Party to, byte[] plaintext) {
    return process.failure("encrypt", encryptRequest(to, plaintext));
  }

  /** Encrypts all plaintexts in one pipelined batch. */
  List<Ciphertext> encryptAll(Party to, List<byte[]> plaintexts) {
    List<ObjectNode> reqs = new ArrayList<>();
    for (byte[] p : plaintexts) {
      reqs.add(PeerProcess.request("encrypt", encryptRequest(to, p)));
    }
    List<Ciphertext> out = new ArrayList<>();
    for (JsonNode r : process.okAll(reqs)) {
      out.add(ciphertext(r));
    }
    return out;
  }

  byte[] decrypt(Party from, Ciphertext ct) {
    JsonNode r = process.ok("decrypt", decryptRequest(from, ct));
    return Base64.getDecoder().decode(r.path("plaintext").asText());
  }

  /** Decrypts {@code ct} and requires the plaintext to be {@code expected}. */
  void decryptAndCheck(Party from, Ciphertext ct, byte[] expected, String what) {
    assertArrayEquals(expected, decrypt(from, ct), what + ": wrong plaintext");
  }

  /**
   * Decrypts all messages in one pipelined batch; every one must succeed with its expected
   * plaintext.
   */
  void decryptAllAndCheck(Party from, List<Ciphertext> cts, List<byte[]> expected, String what) {
    List<ObjectNode> reqs = new ArrayList<>();
    for (Ciphertext ct : cts) {
      reqs.add(PeerProcess.request("decrypt", decryptRequest(from, ct)));
    }
    List<JsonNode> replies = process.callAll(reqs);
    for (int i = 0; i < replies.size(); i++) {
      process.requireOk(what + ": decrypt #" + i, replies.get(i));
      byte[] pt = Base64.getDecoder().decode(replies.get(i).path("plaintext").asText());
      assertArrayEquals(expected.get(i), pt, what + ": decrypt #" + i + ": wrong plaintext");
    }
  }

  /** Requires decrypting {@code ct} to fail and returns the error kind. */
  String decryptFailure(Party from, Ciphertext ct) {
    return process.failure("decrypt", decryptRequest(from, ct));
  }

  boolean hasSession(Party peer) {
    return process
        .ok("session_info", "who", who, "peer", peer.address())
        .path("hasSession")
        .asBoolean();
  }

  /**
   * Replaces the identity key this party trusts for {@code peer} with {@code peer}'s current one.
   */
  void trust(Party peer) {
    process.ok("trust", "who", who, "peer", peer.address(), "identityKey", peer.identityKey);
  }

  /** Sends one message of the given type to {@code to}, which decrypts it to the same plaintext. */
  void sendExpectingType(Party to, byte[] plaintext, int type, String what) {
    Ciphertext ct = encrypt(to, plaintext);
    assertEquals(type, ct.type(), what + ": message type from " + implementation());
    to.decryptAndCheck(this, ct, plaintext, what);
  }

  private Object[] encryptRequest(Party to, byte[] plaintext) {
    return new Object[] {"who", who, "peer", to.address(), "plaintext", plaintext};
  }

  private Object[] decryptRequest(Party from, Ciphertext ct) {
    return new Object[] {
      "who", who, "peer", from.address(), "type", ct.type(), "ciphertext", ct.bytes()
    };
  }

  private static Ciphertext ciphertext(JsonNode reply) {
    return new Ciphertext(
        reply.path("type").asInt(), Base64.getDecoder().decode(reply.path("ciphertext").asText()));
  }

  @Override
  public String toString() {
    return who + "@" + process.label();
  }
}
