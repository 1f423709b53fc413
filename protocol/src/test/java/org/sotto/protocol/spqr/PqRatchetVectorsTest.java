package org.sotto.protocol.spqr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.internal.proto.StorageProtos.PqRatchetStructure;
import org.sotto.protocol.kem.IncrementalMlKem768;

/**
 * Known answers from libsignal 0.103.0: the SPQR key, authenticator, chain, header and ciphertext
 * MACs and the incremental ML-KEM-768 of one session's first epoch, read from two libsignal
 * parties' session records and messages (src/test/resources/org/sotto/protocol/
 * spqr-libsignal-0.103.0-vectors.json). Every value is libsignal's; Sotto recomputes it.
 */
class PqRatchetVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static JsonNode v;

  @BeforeAll
  static void load() throws Exception {
    try (InputStream in =
        PqRatchetVectorsTest.class.getResourceAsStream(
            "/org/sotto/protocol/spqr-libsignal-0.103.0-vectors.json")) {
      v = new ObjectMapper().readTree(in);
    }
  }

  private static byte[] bytes(JsonNode node) {
    return HEX.parseHex(node.asText());
  }

  private static String hex(byte[] b) {
    return HEX.formatHex(b);
  }

  @Test
  void authenticatorStart_fromSpqrKey_matchesLibsignal() {
    byte[][] keys =
        BraidAuthenticator.update(new byte[32], PqRatchet.FIRST_EPOCH, bytes(v.path("spqrKey")));
    assertEquals(v.path("authenticatorAfterStart").path("root").asText(), hex(keys[0]));
    assertEquals(v.path("authenticatorAfterStart").path("mac").asText(), hex(keys[1]));
  }

  @Test
  void headerMac_ofLibsignalHeader_matchesItsMac() {
    JsonNode e = v.path("epoch1");
    byte[] mac =
        BraidAuthenticator.macHeader(
            bytes(v.path("authenticatorAfterStart").path("mac")), 1, bytes(e.path("header")));
    assertEquals(e.path("headerMac").asText(), hex(mac));
  }

  @Test
  void chainStart_rootAndBothDirections_matchLibsignal() {
    PqRatchetStructure.Builder s = PqRatchetStructure.newBuilder().setInitiator(true);
    PqChain.start(s, bytes(v.path("spqrKey")));
    JsonNode c = v.path("chainStart");
    assertEquals(c.path("root").asText(), hex(s.getChainRoot().toByteArray()));
    assertEquals(
        c.path("responderToInitiator").asText(),
        hex(s.getChain(0).getReceive().getNext().toByteArray()));
    PqChain.send(s, 0);
    assertEquals(
        c.path("initiatorToResponderAfterKey1").asText(),
        hex(s.getChain(0).getSend().getNext().toByteArray()));
  }

  @Test
  void encapsulation_libsignalHeaderKeyAndSeed_giveItsCt1AndCt2() throws Exception {
    JsonNode e = v.path("epoch1");
    byte[] header = bytes(e.path("header"));
    IncrementalMlKem768.FirstHalf half =
        IncrementalMlKem768.encapsulate1(header, fixed(bytes(e.path("encapsulationSeed"))));
    assertEquals(e.path("ct1").asText(), hex(half.ct1()));
    byte[] ct2 =
        IncrementalMlKem768.encapsulate2(
            header, bytes(e.path("encapsulationKey")), bytes(e.path("encapsulationSeed")));
    assertEquals(e.path("ct2").asText(), hex(ct2));
  }

  @Test
  void epochSecret_authenticatorCiphertextMacAndChain_matchLibsignal() throws Exception {
    JsonNode e = v.path("epoch1");
    byte[] shared =
        IncrementalMlKem768.encapsulate1(
                bytes(e.path("header")), fixed(bytes(e.path("encapsulationSeed"))))
            .sharedSecret();
    byte[] secret = BraidAuthenticator.epochSecret(shared, 1);

    byte[][] auth =
        BraidAuthenticator.update(bytes(v.path("authenticatorAfterStart").path("root")), 1, secret);
    assertEquals(e.path("authenticatorAfterEpoch").path("root").asText(), hex(auth[0]));
    assertEquals(e.path("authenticatorAfterEpoch").path("mac").asText(), hex(auth[1]));
    byte[] mac =
        BraidAuthenticator.macCiphertext(auth[1], 1, bytes(e.path("ct1")), bytes(e.path("ct2")));
    assertEquals(e.path("ciphertextMac").asText(), hex(mac));

    PqRatchetStructure.Builder responder = PqRatchetStructure.newBuilder().setInitiator(false);
    PqChain.start(responder, bytes(v.path("spqrKey")));
    PqChain.add(responder, 1, secret);
    JsonNode c = e.path("chainAfterEpoch");
    assertEquals(c.path("root").asText(), hex(responder.getChainRoot().toByteArray()));
    assertEquals(
        c.path("responderToInitiator").asText(),
        hex(responder.getChain(1).getSend().getNext().toByteArray()));
    assertEquals(
        c.path("initiatorToResponder").asText(),
        hex(responder.getChain(1).getReceive().getNext().toByteArray()));
  }

  /** A random source that yields {@code bytes} (the recorded ML-KEM coins). */
  private static SecureRandom fixed(byte[] bytes) {
    return new SecureRandom() {
      @Override
      public void nextBytes(byte[] out) {
        System.arraycopy(bytes, 0, out, 0, out.length);
      }
    };
  }
}
