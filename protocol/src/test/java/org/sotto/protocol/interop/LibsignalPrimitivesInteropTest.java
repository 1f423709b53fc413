package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sotto.protocol.kem.KEMKeyPair;
import org.sotto.protocol.kem.Kyber1024;
import org.sotto.protocol.message.PreKeySignalMessage;

/**
 * Known answers for the primitives, checked against libsignal: XEdDSA signatures, X25519 agreement,
 * HKDF-SHA256 and Kyber-1024 (libsignal's round-3 variant). For the two-party primitives the {@link
 * Direction} says which side makes the keys (the initiator) and which side uses them.
 */
final class LibsignalPrimitivesInteropTest extends LibsignalInteropTestBase {
  private static final int ROUNDS = 16;

  @ParameterizedTest
  @EnumSource(Direction.class)
  void xeddsa_signedOnOneSide_verifiesOnTheOther_tamperedFailsOnBoth(Direction d) {
    Random random = seededRandom("xeddsa[" + d + "]");
    PeerProcess signer = initiator(d);
    PeerProcess verifier = responder(d);
    for (int i = 0; i < ROUNDS; i++) {
      JsonNode kp = signer.ok("keypair");
      byte[] priv = bytes(kp, "privateKey");
      byte[] pub = bytes(kp, "publicKey");
      byte[] msg = randomBytes(random, 600);
      byte[] sig = bytes(signer.ok("xeddsa_sign", "privateKey", priv, "message", msg), "signature");
      assertEquals(64, sig.length, "signature length from " + signer.label());
      String what = "round " + i + ", " + msg.length + "-byte message";
      assertTrue(verify(verifier, pub, msg, sig), what + ": " + verifier.label() + " verifies");
      assertTrue(verify(signer, pub, msg, sig), what + ": " + signer.label() + " verifies");

      byte[] badMsg =
          msg.length == 0 ? new byte[] {0} : flipBit(msg, random.nextInt(msg.length * 8));
      byte[] randomBit = flipBit(sig, random.nextInt(512));
      byte[] signBit = flipBit(sig, 63 * 8 + 7);
      byte[] reservedBit = flipBit(sig, 63 * 8 + 5 + random.nextInt(2));
      byte[] otherKey = bytes(verifier.ok("keypair"), "publicKey");
      for (PeerProcess p : new PeerProcess[] {verifier, signer}) {
        assertFalse(verify(p, pub, badMsg, sig), what + ": tampered message, " + p.label());
        assertFalse(verify(p, pub, msg, randomBit), what + ": random signature bit, " + p.label());
        assertFalse(verify(p, pub, msg, signBit), what + ": sign bit flipped, " + p.label());
        assertFalse(verify(p, pub, msg, reservedBit), what + ": high bit of s set, " + p.label());
        assertFalse(verify(p, otherKey, msg, sig), what + ": other public key, " + p.label());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void agree_swappedKeys_sameSharedSecretOnBothSides(Direction d) {
    PeerProcess x = initiator(d);
    PeerProcess y = responder(d);
    for (int i = 0; i < ROUNDS; i++) {
      JsonNode a = x.ok("keypair");
      JsonNode b = y.ok("keypair");
      byte[] onX = agree(x, bytes(a, "privateKey"), bytes(b, "publicKey"));
      byte[] onY = agree(y, bytes(b, "privateKey"), bytes(a, "publicKey"));
      byte[] onYWithXsKey = agree(y, bytes(a, "privateKey"), bytes(b, "publicKey"));
      assertEquals(32, onX.length);
      assertArrayEquals(onX, onY, "round " + i + ": DH(a, B) on " + x.label() + " vs DH(b, A)");
      assertArrayEquals(onX, onYWithXsKey, "round " + i + ": DH(a, B) on both sides");
    }
  }

  @Test
  void hkdf_randomInputs_sameOkmOnBothSides() {
    Random random = seededRandom("hkdf_randomInputs");
    for (int i = 0; i < 40; i++) {
      byte[] ikm = randomBytes(random, 80);
      byte[] salt = random.nextInt(4) == 0 ? null : randomBytes(random, 80);
      byte[] info = randomBytes(random, 64);
      int length =
          switch (random.nextInt(4)) {
            case 0 -> 32;
            case 1 -> 64 + 16 * random.nextInt(3);
            case 2 -> 255 * 32;
            default -> 1 + random.nextInt(300);
          };
      byte[] onSotto = hkdf(sotto, ikm, salt, info, length);
      byte[] onLibsignal = hkdf(libsignal, ikm, salt, info, length);
      assertEquals(length, onSotto.length);
      assertArrayEquals(
          onLibsignal,
          onSotto,
          "case "
              + i
              + ": ikm "
              + ikm.length
              + " B, salt "
              + (salt == null ? "none" : salt.length + " B")
              + ", info "
              + info.length
              + " B, length "
              + length);
    }
  }

  @Test
  void hkdf_withoutSalt_sameAsZeroSaltOnBothSides() {
    Random random = seededRandom("hkdf_withoutSalt");
    for (int i = 0; i < 10; i++) {
      byte[] ikm = randomBytes(random, 64);
      byte[] info = randomBytes(random, 32);
      byte[] expected = hkdf(libsignal, ikm, null, info, 96);
      assertArrayEquals(expected, hkdf(sotto, ikm, null, info, 96), "no salt");
      // RFC 5869 §2.2: a missing salt is HashLen zero bytes (and an empty HMAC key pads to the
      // same).
      assertArrayEquals(expected, hkdf(sotto, ikm, new byte[32], info, 96), "32 zero bytes, Sotto");
      assertArrayEquals(
          expected, hkdf(libsignal, ikm, new byte[32], info, 96), "32 zero bytes, libsignal");
      assertArrayEquals(expected, hkdf(sotto, ikm, new byte[0], info, 96), "empty salt, Sotto");
    }
  }

  @Test
  void hkdf_rfc5869Vectors_bothSidesMatch() {
    HexFormat hex = HexFormat.of();
    byte[] ikm = hex.parseHex("0b".repeat(22));
    byte[] case1 =
        hex.parseHex(
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    byte[] case3 =
        hex.parseHex(
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    for (PeerProcess p : new PeerProcess[] {sotto, libsignal}) {
      byte[] salt = hex.parseHex("000102030405060708090a0b0c");
      byte[] info = hex.parseHex("f0f1f2f3f4f5f6f7f8f9");
      assertArrayEquals(case1, hkdf(p, ikm, salt, info, 42), "RFC 5869 A.1 on " + p.label());
      assertArrayEquals(
          case3, hkdf(p, ikm, new byte[0], new byte[0], 42), "RFC 5869 A.3 on " + p.label());
    }
  }

  /**
   * Kyber-1024 agreement across implementations. libsignal 0.90's Node API exposes no KEM
   * encapsulate/decapsulate, so the check goes through PQXDH: the initiator encapsulates to the
   * responder's Kyber prekey, the responder decapsulates. The session decrypts only if both
   * computed the same Kyber secret; as a control, the same message with a different (but
   * well-formed) Kyber ciphertext must fail, which proves the secret really enters the key
   * derivation on the receiving side.
   */
  @ParameterizedTest
  @EnumSource(Direction.class)
  void kyber_encapsulatedByOneSide_decapsulatedByOther_sessionDecryptsOnlyWithThatCiphertext(
      Direction d) throws Exception {
    Party encapsulator = Party.create(initiator(d), "kyber-enc-" + d);
    Party decapsulator = Party.create(responder(d), "kyber-dec-" + d);
    // No one-time prekey, so a replay of the same message is not blocked by a consumed prekey.
    encapsulator.processBundle(decapsulator, decapsulator.bundle(false));
    byte[] plaintext = utf8("kyber " + d);
    Ciphertext ct = encapsulator.encrypt(decapsulator, plaintext);
    assertEquals(Ciphertext.PREKEY, ct.type());

    PreKeySignalMessage m = PreKeySignalMessage.fromBytes(ct.bytes());
    byte[] kyberCt = m.kyberCiphertext();
    assertEquals(1569, kyberCt.length);
    assertEquals(0x08, kyberCt[0]);
    byte[] otherKyberCt =
        Kyber1024.encapsulate(
                KEMKeyPair.generate(new java.security.SecureRandom()).publicKey(),
                new java.security.SecureRandom())
            .ciphertext();
    PreKeySignalMessage swapped =
        PreKeySignalMessage.create(
            m.registrationId(),
            m.preKeyId(),
            m.signedPreKeyId(),
            m.kyberPreKeyId(),
            otherKyberCt,
            m.baseKey(),
            m.identityKey(),
            m.message());
    assertEquals(
        "invalid_message",
        decapsulator.decryptFailure(
            encapsulator, new Ciphertext(Ciphertext.PREKEY, swapped.serialize())),
        "a different Kyber ciphertext must not decrypt on " + decapsulator.implementation());
    decapsulator.decryptAndCheck(encapsulator, ct, plaintext, "Kyber secret agreed");
  }

  /**
   * What can be checked against libsignal 0.90 today, whose Node API has no KEM encapsulation:
   * Sotto accepts libsignal's Kyber key encodings and its own encapsulation round-trips with them.
   * (The full KEM agreement with libsignal is proved by every PQXDH session.)
   */
  @Test
  void kyber_libsignalKeyPair_sottoEncapsulatesAndDecapsulates() {
    for (int i = 0; i < 4; i++) {
      JsonNode kp = libsignal.ok("kem_keypair");
      byte[] pk = bytes(kp, "publicKey");
      byte[] sk = bytes(kp, "secretKey");
      assertKyberKeys(libsignal, pk, sk);
      JsonNode enc = sotto.ok("kem_encapsulate", "publicKey", pk);
      byte[] ss =
          bytes(
              sotto.ok("kem_decapsulate", "secretKey", sk, "ciphertext", bytes(enc, "ciphertext")),
              "sharedSecret");
      assertEquals(32, ss.length);
      assertArrayEquals(bytes(enc, "sharedSecret"), ss, "round " + i);
    }
  }

  private static void assertKyberKeys(PeerProcess p, byte[] pk, byte[] sk) {
    assertEquals(1569, pk.length, "public key length from " + p.label());
    assertEquals(3169, sk.length, "secret key length from " + p.label());
    assertEquals(0x08, pk[0], "public key type byte from " + p.label());
    assertEquals(0x08, sk[0], "secret key type byte from " + p.label());
  }

  private static boolean verify(PeerProcess p, byte[] pub, byte[] msg, byte[] sig) {
    return p.ok("xeddsa_verify", "publicKey", pub, "message", msg, "signature", sig)
        .path("valid")
        .asBoolean();
  }

  private static byte[] agree(PeerProcess p, byte[] priv, byte[] pub) {
    return bytes(p.ok("agree", "privateKey", priv, "publicKey", pub), "sharedSecret");
  }

  private static byte[] hkdf(PeerProcess p, byte[] ikm, byte[] salt, byte[] info, int length) {
    JsonNode r =
        salt == null
            ? p.ok("hkdf", "ikm", ikm, "info", info, "length", length)
            : p.ok("hkdf", "ikm", ikm, "salt", salt, "info", info, "length", length);
    return bytes(r, "okm");
  }

  private static byte[] flipBit(byte[] b, int bit) {
    byte[] copy = b.clone();
    copy[bit / 8] ^= (byte) (1 << (bit % 8));
    return copy;
  }

  private static byte[] bytes(JsonNode reply, String field) {
    return Base64.getDecoder().decode(reply.path(field).asText());
  }
}
