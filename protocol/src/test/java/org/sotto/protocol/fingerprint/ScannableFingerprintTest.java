package org.sotto.protocol.fingerprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Comparing scanned codes. The malformed inputs are the ones whose outcome was observed from
 * libsignal 0.90.0's {@code ScannableFingerprint.compare}; each test says what libsignal answered.
 */
class ScannableFingerprintTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final NumericFingerprintGenerator GENERATOR =
      new NumericFingerprintGenerator(NumericFingerprintGenerator.ITERATIONS);

  private final ScannableFingerprint alice =
      LibsignalVectors.alice(GENERATOR, NumericFingerprintGenerator.VERSION).scannable();
  private final byte[] bobCode = LibsignalVectors.BOB_SCANNABLE;

  /** Bob's code from its remote field on: {@code 1a 22 0a 20 <Alice's digest>}. */
  private final byte[] bobRemoteField = Arrays.copyOfRange(bobCode, 38, bobCode.length);

  @Test
  void compareTo_otherSidesCode_true() throws Exception {
    assertTrue(alice.compareTo(bobCode));
  }

  @Test
  void compareTo_ownCodeScannedBack_false() throws Exception {
    assertFalse(alice.compareTo(alice.serialize()));
  }

  @Test
  void compareTo_oneDigestByteFlipped_false() throws Exception {
    for (int i : new int[] {6, 37, 42, 73}) {
      byte[] code = bobCode.clone();
      code[i] ^= 1;
      assertFalse(alice.compareTo(code), "byte " + i);
    }
  }

  @Test
  void compareTo_unknownFieldsAppended_true() throws Exception {
    // libsignal: true for an unknown bytes field and for an unknown group.
    assertTrue(alice.compareTo(concat(bobCode, HEX.parseHex("220100"))));
    assertTrue(alice.compareTo(concat(bobCode, HEX.parseHex("2b2c"))));
  }

  @Test
  void compareTo_versionAsOverlongVarint_true() throws Exception {
    // libsignal: true; a uint32 varint keeps its low 32 bits (2^32 + 2 reads as 2).
    byte[] rest = Arrays.copyOfRange(bobCode, 2, bobCode.length);
    assertTrue(alice.compareTo(concat(HEX.parseHex("088280808010"), rest)));
    assertTrue(alice.compareTo(concat(HEX.parseHex("0882808080808080808000"), rest)));
  }

  @Test
  void compareTo_emptyDigest_false() throws Exception {
    // libsignal: false (present but empty is a mismatch, not a parsing error).
    assertFalse(alice.compareTo(concat(HEX.parseHex("080212020a00"), bobRemoteField)));
    assertFalse(alice.compareTo(concat(HEX.parseHex("080212030a0107"), bobRemoteField)));
  }

  @Test
  void compareTo_versionOne_throwsVersionMismatch() {
    byte[] code = bobCode.clone();
    code[1] = 1;

    FingerprintVersionMismatchException e =
        assertThrows(FingerprintVersionMismatchException.class, () -> alice.compareTo(code));

    assertEquals(1, e.theirVersion());
    assertEquals(NumericFingerprintGenerator.VERSION, e.ourVersion());
  }

  @Test
  void compareTo_versionAboveSignedIntRange_throwsVersionMismatchWithUnsignedVersion() {
    byte[] code =
        concat(HEX.parseHex("08ffffffff0f"), Arrays.copyOfRange(bobCode, 2, bobCode.length));

    FingerprintVersionMismatchException e =
        assertThrows(FingerprintVersionMismatchException.class, () -> alice.compareTo(code));

    assertEquals(0xFFFF_FFFFL, e.theirVersion());
  }

  @Test
  void compareTo_emptyInput_throwsVersionMismatchWithVersionZero() {
    // libsignal: "version number mismatch them 0 us 2": an empty protobuf is a valid one.
    FingerprintVersionMismatchException e =
        assertThrows(FingerprintVersionMismatchException.class, () -> alice.compareTo(new byte[0]));

    assertEquals(0, e.theirVersion());
  }

  @Test
  void compareTo_otherVersionAndNoDigests_versionReportedFirst() {
    assertThrows(
        FingerprintVersionMismatchException.class, () -> alice.compareTo(HEX.parseHex("0803")));
  }

  @Test
  void compareTo_laterVersionFieldWins_throwsVersionMismatch() {
    // libsignal: mismatch "them 3": the last occurrence of a scalar field counts.
    assertThrows(
        FingerprintVersionMismatchException.class,
        () -> alice.compareTo(concat(bobCode, HEX.parseHex("0803"))));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ffffff", // not a protobuf
        "0802ff", // truncated tag
        "0000", // field number 0
        "08021222", // length beyond the end
      })
  void compareTo_notAProtobuf_throwsParsing(String hex) {
    assertThrows(FingerprintParsingException.class, () -> alice.compareTo(HEX.parseHex(hex)));
  }

  @Test
  void compareTo_knownFieldOfWrongWireType_throwsParsing() {
    byte[] afterVersion = Arrays.copyOfRange(bobCode, 2, bobCode.length);
    // libsignal rejects each of these as "failed to decode their protobuf".
    byte[][] codes = {
      concat(HEX.parseHex("0d02000000"), afterVersion), // version as fixed32
      concat(HEX.parseHex("0a0102"), afterVersion), // version as bytes
      concat(HEX.parseHex("08021001"), afterVersion), // local as varint
      concat(HEX.parseHex("080212020801"), bobRemoteField), // local content as varint
      concat(Arrays.copyOf(bobCode, 38), HEX.parseHex("1801")), // remote as varint
    };
    for (byte[] code : codes) {
      assertThrows(
          FingerprintParsingException.class, () -> alice.compareTo(code), HEX.formatHex(code));
    }
  }

  @Test
  void compareTo_localDigestMissing_throwsParsing() {
    // libsignal: "missing their local fingerprint", also for an empty or content-less message.
    byte[][] codes = {
      concat(HEX.parseHex("0802"), bobRemoteField),
      concat(HEX.parseHex("08021200"), bobRemoteField),
      concat(HEX.parseHex("080212021001"), bobRemoteField),
      HEX.parseHex("0802"),
    };
    for (byte[] code : codes) {
      assertThrows(
          FingerprintParsingException.class, () -> alice.compareTo(code), HEX.formatHex(code));
    }
  }

  @Test
  void compareTo_remoteDigestMissing_throwsParsing() {
    byte[] withLocal = Arrays.copyOf(bobCode, 38);
    assertThrows(FingerprintParsingException.class, () -> alice.compareTo(withLocal));
    assertThrows(
        FingerprintParsingException.class,
        () -> alice.compareTo(concat(withLocal, HEX.parseHex("1a00"))));
  }

  @Test
  void serialize_twice_equalFreshCopies() {
    byte[] first = alice.serialize();
    byte[] second = alice.serialize();

    assertNotSame(first, second);
    assertArrayEquals(first, second);
    first[10] ^= 1;
    assertArrayEquals(LibsignalVectors.ALICE_SCANNABLE, alice.serialize());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
