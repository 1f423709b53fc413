package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.internal.proto.WireProtos;
import org.sotto.protocol.kem.IncrementalMlKem768;
import org.sotto.protocol.spqr.PqRatchetMessage;
import org.sotto.protocol.spqr.ReedSolomon16;

/**
 * What libsignal 0.103.0 (SPQR mandatory) puts in the {@code pq_ratchet} field, read by Sotto's
 * parser, and its braid's ML-KEM-768 key checked by Sotto's incremental ML-KEM. Two libsignal
 * parties talk; Sotto only reads their messages, so these checks do not depend on Sotto's own braid
 * (sessions with Sotto as a party: {@link LibsignalSpqrSessionInteropTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LibsignalSpqrInteropTest {
  /** Enough alternating messages for the first braid epoch to finish and the second to start. */
  private static final int MESSAGES = 120;

  private static final int CHUNK = PqRatchetMessage.CHUNK_LENGTH;

  /** The header travels with its 32-byte authenticator: 96 bytes, three chunks. */
  private static final int HEADER_VALUE_CHUNKS = 3;

  private PeerProcess libsignal;

  @BeforeAll
  void start() throws Exception {
    libsignal = PeerProcess.libsignal("0.103");
    JsonNode pkg =
        new ObjectMapper()
            .readTree(InteropEnvironment.repoRoot().resolve("interop/package.json").toFile());
    String pinned = pkg.path("dependencies").path("libsignal-client-0103").asText();
    assertEquals(
        pinned.substring(pinned.lastIndexOf('@') + 1),
        libsignal.ok("version").path("version").asText(),
        "interop/node_modules holds another libsignal 0.103 than package.json pins: run npm ci");
  }

  @AfterAll
  void stop() {
    if (libsignal != null) {
      libsignal.close();
    }
  }

  /** One message as seen on the wire: who sent it and its parsed pq_ratchet field. */
  private record Sent(String from, PqRatchetMessage pq) {}

  @Test
  void alternating_libsignal103_pqRatchetParsesAndItsMlKemKeyMatchesItsHeader() throws Exception {
    List<Sent> sent = converse("ab".repeat(MESSAGES / 2));

    PqRatchetMessage first = sent.get(0).pq();
    assertEquals(1, first.epoch());
    assertEquals(1, first.index());
    assertEquals(PqRatchetMessage.Type.HEADER, first.type());
    assertEquals(0, first.chunkIndex());

    // Each sender numbers its messages 1, 2, 3… within an epoch.
    Map<String, Long> lastIndex = new HashMap<>();
    for (Sent s : sent) {
      String key = s.from() + "@" + s.pq().epoch();
      long expected = lastIndex.getOrDefault(key, 0L) + 1;
      assertEquals(expected, s.pq().index(), "message index of " + key);
      lastIndex.put(key, expected);
    }

    // Epoch 1: Alice sends her key (header, then encapsulation key), Bob answers with ct1, ct2.
    byte[] header =
        join(
            chunks(sent, "alice", 1, PqRatchetMessage.Type.HEADER),
            IncrementalMlKem768.HEADER_LENGTH);
    byte[] ek =
        join(
            chunks(
                sent,
                "alice",
                1,
                PqRatchetMessage.Type.ENCAPSULATION_KEY,
                PqRatchetMessage.Type.ENCAPSULATION_KEY_CT1_ACK),
            IncrementalMlKem768.ENCAPSULATION_KEY_LENGTH);
    join(chunks(sent, "bob", 1, PqRatchetMessage.Type.CT1), IncrementalMlKem768.CT1_LENGTH);
    join(chunks(sent, "bob", 1, PqRatchetMessage.Type.CT2), IncrementalMlKem768.CT2_LENGTH);

    // The first chunks are the values themselves (a systematic code), and libsignal's header is
    // rho ‖ H(ek) of a FIPS 203 key: Sotto's second encapsulation half accepts the pair, which it
    // does only when SHA3-256(ek ‖ rho) equals the header's hash.
    SecureRandom rng = new SecureRandom();
    IncrementalMlKem768.FirstHalf half = IncrementalMlKem768.encapsulate1(header, rng);
    byte[] ct2 = IncrementalMlKem768.encapsulate2(header, ek, half.encapsulationSeed());
    assertEquals(IncrementalMlKem768.CT2_LENGTH, ct2.length);
    byte[] altered = ek.clone();
    altered[100] ^= 1;
    assertThrows(
        InvalidKeyException.class,
        () -> IncrementalMlKem768.encapsulate2(header, altered, half.encapsulationSeed()));

    // ct2 (128 bytes) travels with a 32-byte authenticator, five chunks: Alice moves to epoch 2
    // only once the fifth has arrived.
    int aliceInEpoch2 = -1;
    for (int i = 0; i < sent.size() && aliceInEpoch2 < 0; i++) {
      if (sent.get(i).from().equals("alice") && sent.get(i).pq().epoch() == 2) {
        aliceInEpoch2 = i;
      }
    }
    assertTrue(aliceInEpoch2 > 0, "Alice reaches epoch 2");
    assertEquals(
        IncrementalMlKem768.CT2_LENGTH / CHUNK + 1,
        chunks(sent.subList(0, aliceInEpoch2), "bob", 1, PqRatchetMessage.Type.CT2).size(),
        "ct2 chunks Bob sent before Alice moved to epoch 2");

    // The roles swap at each epoch: in epoch 2 Bob sends a key.
    assertTrue(
        sent.stream()
            .anyMatch(
                s ->
                    s.from().equals("bob")
                        && s.pq().epoch() == 2
                        && s.pq().type() == PqRatchetMessage.Type.HEADER),
        "Bob sends a header in epoch 2");
  }

  @Test
  void oneSided_libsignal103_headerChunksAreSottosReedSolomonCode() throws Exception {
    List<Sent> sent = converse("a".repeat(20));
    // The header's value is the 64-byte header and a 32-byte authenticator: chunks 0–2. Every
    // later chunk is redundancy, and Sotto's code computes each one the same.
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    for (int i = 0; i < sent.size(); i++) {
      PqRatchetMessage pq = sent.get(i).pq();
      assertEquals(1, pq.epoch());
      assertEquals(i + 1, pq.index());
      assertEquals(PqRatchetMessage.Type.HEADER, pq.type());
      assertEquals(i, pq.chunkIndex());
      if (i < HEADER_VALUE_CHUNKS) {
        value.writeBytes(pq.chunk());
      } else {
        assertEquals(
            HexFormat.of().formatHex(ReedSolomon16.chunk(value.toByteArray(), i)),
            HexFormat.of().formatHex(pq.chunk()),
            "redundancy chunk " + i);
      }
    }
    // Any three chunks give the value back.
    Map<Integer, byte[]> late = new HashMap<>();
    for (int i : new int[] {5, 11, 19}) {
      late.put(i, sent.get(i).pq().chunk());
    }
    assertEquals(
        HexFormat.of().formatHex(value.toByteArray()),
        HexFormat.of().formatHex(ReedSolomon16.decode(late, HEADER_VALUE_CHUNKS * CHUNK)));
  }

  /** Runs a conversation, {@code a} for a message from Alice, {@code b} from Bob. */
  private List<Sent> converse(String script) throws Exception {
    String label = Long.toHexString(System.nanoTime());
    JsonNode alice = libsignal.ok("create_identity", "who", "alice-" + label);
    JsonNode bob = libsignal.ok("create_identity", "who", "bob-" + label);
    Map<String, Object> aliceAddress = Map.of("name", alice.path("name").asText(), "deviceId", 1);
    Map<String, Object> bobAddress = Map.of("name", bob.path("name").asText(), "deviceId", 1);
    JsonNode bundle = libsignal.ok("generate_bundle", "who", "bob-" + label).path("bundle");
    libsignal.ok("process_bundle", "who", "alice-" + label, "peer", bobAddress, "bundle", bundle);
    List<Sent> sent = new ArrayList<>();
    int n = 0;
    for (char c : script.toCharArray()) {
      boolean fromAlice = c == 'a';
      String from = fromAlice ? "alice" : "bob";
      String to = fromAlice ? "bob" : "alice";
      JsonNode ct =
          libsignal.ok(
              "encrypt",
              "who",
              from + "-" + label,
              "peer",
              fromAlice ? bobAddress : aliceAddress,
              "text",
              "message " + n++);
      byte[] bytes = Base64.getDecoder().decode(ct.path("ciphertext").asText());
      sent.add(new Sent(from, PqRatchetMessage.parse(pqRatchet(ct.path("type").asInt(), bytes))));
      libsignal.ok(
          "decrypt",
          "who",
          to + "-" + label,
          "peer",
          fromAlice ? aliceAddress : bobAddress,
          "type",
          ct.path("type").asInt(),
          "ciphertext",
          bytes);
    }
    return sent;
  }

  /** The pq_ratchet field of a type-3 or type-2 message (libsignal 0.103 always sends one). */
  static byte[] pqRatchet(int type, byte[] message) throws Exception {
    byte[] signalMessage = message;
    if (type == 3) {
      signalMessage =
          WireProtos.PreKeySignalMessage.parseFrom(Arrays.copyOfRange(message, 1, message.length))
              .getMessage()
              .toByteArray();
    }
    WireProtos.SignalMessage proto =
        WireProtos.SignalMessage.parseFrom(
            Arrays.copyOfRange(signalMessage, 1, signalMessage.length - 8));
    assertTrue(proto.hasPqRatchet(), "libsignal 0.103 always sends pq_ratchet");
    return proto.getPqRatchet().toByteArray();
  }

  /** The chunks of {@code from}'s messages of {@code types} in {@code epoch}, by chunk number. */
  private static Map<Integer, byte[]> chunks(
      List<Sent> sent, String from, long epoch, PqRatchetMessage.Type... types) {
    Map<Integer, byte[]> out = new TreeMap<>();
    for (Sent s : sent) {
      if (s.from().equals(from)
          && s.pq().epoch() == epoch
          && Arrays.asList(types).contains(s.pq().type())) {
        out.put(s.pq().chunkIndex(), s.pq().chunk());
      }
    }
    return out;
  }

  /** The first {@code length / 32} chunks, all present, joined. */
  private static byte[] join(Map<Integer, byte[]> chunks, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < length / CHUNK; i++) {
      byte[] chunk = chunks.get(i);
      assertTrue(
          chunk != null, "chunk " + i + " of " + length + " bytes arrived: " + chunks.keySet());
      out.writeBytes(chunk);
    }
    return out.toByteArray();
  }
}
