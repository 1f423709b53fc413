package org.sotto.protocol.fingerprint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.sotto.protocol.fingerprint.LibsignalVectors.ALICE_KEY;
import static org.sotto.protocol.fingerprint.LibsignalVectors.ALICE_UUID;
import static org.sotto.protocol.fingerprint.LibsignalVectors.BOB_KEY;
import static org.sotto.protocol.fingerprint.LibsignalVectors.BOB_UUID;
import static org.sotto.protocol.fingerprint.NumericFingerprintGenerator.uuidIdentifier;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;

class NumericFingerprintGeneratorTest {
  private final NumericFingerprintGenerator generator =
      new NumericFingerprintGenerator(NumericFingerprintGenerator.ITERATIONS);

  @Test
  void createFor_libsignalVector_sameDisplayableAndScannableAsLibsignal() {
    Fingerprint alice = LibsignalVectors.alice(generator, NumericFingerprintGenerator.VERSION);
    Fingerprint bob = LibsignalVectors.bob(generator, NumericFingerprintGenerator.VERSION);

    assertEquals(LibsignalVectors.DISPLAYABLE, alice.displayable().getDisplayText());
    assertEquals(LibsignalVectors.DISPLAYABLE, bob.displayable().getDisplayText());
    assertArrayEquals(LibsignalVectors.ALICE_SCANNABLE, alice.scannable().serialize());
    assertArrayEquals(LibsignalVectors.BOB_SCANNABLE, bob.scannable().serialize());
  }

  @Test
  void createFor_twoIterations_libsignalsOtherNumber() {
    Fingerprint alice =
        LibsignalVectors.alice(
            new NumericFingerprintGenerator(2), NumericFingerprintGenerator.VERSION);

    assertEquals(LibsignalVectors.DISPLAYABLE_2_ITERATIONS, alice.displayable().getDisplayText());
    assertArrayEquals(LibsignalVectors.ALICE_SCANNABLE_2_ITERATIONS, alice.scannable().serialize());
  }

  @Test
  void createFor_iterationCountDiffers_numberAndCodeDiffer() {
    Fingerprint a =
        LibsignalVectors.alice(
            new NumericFingerprintGenerator(NumericFingerprintGenerator.ITERATIONS),
            NumericFingerprintGenerator.VERSION);
    Fingerprint b =
        LibsignalVectors.alice(
            new NumericFingerprintGenerator(NumericFingerprintGenerator.ITERATIONS + 1),
            NumericFingerprintGenerator.VERSION);

    assertNotEquals(a.displayable(), b.displayable());
    assertFalse(Arrays.equals(a.scannable().serialize(), b.scannable().serialize()));
  }

  @Test
  void createFor_sameInputsTwice_sameResult() {
    Fingerprint first = LibsignalVectors.alice(generator, NumericFingerprintGenerator.VERSION);
    Fingerprint second = LibsignalVectors.alice(generator, NumericFingerprintGenerator.VERSION);

    assertEquals(first.displayable(), second.displayable());
    assertArrayEquals(first.scannable().serialize(), second.scannable().serialize());
  }

  @Test
  void createFor_freshIdentitiesFromEitherSide_sameDisplayTextMirroredCodes() throws Exception {
    SecureRandom rng = new SecureRandom();
    IdentityKey carol = IdentityKeyPair.generate(rng).identityKey();
    IdentityKey dave = IdentityKeyPair.generate(rng).identityKey();
    byte[] carolId = uuidIdentifier(UUID.randomUUID());
    byte[] daveId = uuidIdentifier(UUID.randomUUID());

    Fingerprint carolView = generator.createFor(2, carolId, carol, daveId, dave);
    Fingerprint daveView = generator.createFor(2, daveId, dave, carolId, carol);

    assertEquals(carolView.displayable().getDisplayText(), daveView.displayable().getDisplayText());
    assertTrue(carolView.displayable().getDisplayText().matches("[0-9]{60}"));
    assertTrue(carolView.scannable().compareTo(daveView.scannable().serialize()));
    assertTrue(daveView.scannable().compareTo(carolView.scannable().serialize()));
    byte[] carolCode = carolView.scannable().serialize();
    byte[] daveCode = daveView.scannable().serialize();
    // Layout 08 02 12 22 0a 20 <local digest> 1a 22 0a 20 <remote digest>.
    assertEquals(74, carolCode.length);
    assertArrayEquals(Arrays.copyOfRange(carolCode, 6, 38), Arrays.copyOfRange(daveCode, 42, 74));
    assertArrayEquals(Arrays.copyOfRange(carolCode, 42, 74), Arrays.copyOfRange(daveCode, 6, 38));
  }

  @Test
  void createFor_changedRemoteIdentityKey_differentNumberAndScanFails() throws Exception {
    IdentityKey newBob = IdentityKeyPair.generate(new SecureRandom()).identityKey();
    Fingerprint before = LibsignalVectors.alice(generator, NumericFingerprintGenerator.VERSION);
    Fingerprint after =
        generator.createFor(
            NumericFingerprintGenerator.VERSION,
            uuidIdentifier(ALICE_UUID),
            ALICE_KEY,
            uuidIdentifier(BOB_UUID),
            newBob);
    Fingerprint newBobView =
        generator.createFor(
            NumericFingerprintGenerator.VERSION,
            uuidIdentifier(BOB_UUID),
            newBob,
            uuidIdentifier(ALICE_UUID),
            ALICE_KEY);

    assertNotEquals(before.displayable(), after.displayable());
    assertEquals(after.displayable(), newBobView.displayable());
    assertFalse(before.scannable().compareTo(newBobView.scannable().serialize()));
    assertTrue(after.scannable().compareTo(newBobView.scannable().serialize()));
  }

  @Test
  void createFor_changedLocalIdentifier_onlyThatHalfChanges() {
    Fingerprint fingerprint =
        generator.createFor(
            NumericFingerprintGenerator.VERSION,
            new byte[0],
            ALICE_KEY,
            uuidIdentifier(BOB_UUID),
            BOB_KEY);

    assertEquals(
        LibsignalVectors.DISPLAYABLE_ALICE_EMPTY_IDENTIFIER,
        fingerprint.displayable().getDisplayText());
  }

  @Test
  void createFor_otherVersion_sameDigitsCodeDiffersOnlyInVersion() {
    Fingerprint v1 = LibsignalVectors.alice(generator, 1);
    Fingerprint v2 = LibsignalVectors.alice(generator, NumericFingerprintGenerator.VERSION);

    assertEquals(v2.displayable(), v1.displayable());
    byte[] code = v1.scannable().serialize();
    assertEquals(1, code[1]);
    code[1] = NumericFingerprintGenerator.VERSION;
    assertArrayEquals(v2.scannable().serialize(), code);
    assertEquals(1, v1.scannable().version());
  }

  @Test
  void createFor_negativeVersion_throwsIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> LibsignalVectors.alice(generator, -1));
  }

  @ParameterizedTest
  @ValueSource(ints = {Integer.MIN_VALUE, -1, 0, 1, 1_000_001, Integer.MAX_VALUE})
  void constructor_iterationsOutOfLibsignalRange_throwsIllegalArgument(int iterations) {
    assertThrows(IllegalArgumentException.class, () -> new NumericFingerprintGenerator(iterations));
  }

  @Test
  void uuidIdentifier_uuidString_sixteenBytesMostSignificantFirst() {
    byte[] expected = HexFormat.of().parseHex("9d0652a3dcc34d11975f74d61598733f");

    assertArrayEquals(expected, uuidIdentifier(ALICE_UUID));
    assertArrayEquals(expected, uuidIdentifier(ALICE_UUID.toUpperCase(java.util.Locale.ROOT)));
    assertArrayEquals(expected, uuidIdentifier(UUID.fromString(ALICE_UUID)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "1-1-1-1-1",
        "9d0652a3dcc34d11975f74d61598733f",
        "9d0652a3-dcc3-4d11-975f-74d61598733",
        "9d0652a3-dcc3-4d11-975f-74d61598733f0",
        "9d0652a3-dcc3-4d11-975f-74d61598733g",
        "+9d0652a-dcc3-4d11-975f-74d61598733f"
      })
  void uuidIdentifier_notCanonicalUuidText_throwsIllegalArgument(String text) {
    assertThrows(IllegalArgumentException.class, () -> uuidIdentifier(text));
  }

  @Test
  void displayableToString_anyFingerprint_hidesDigits() {
    Fingerprint fingerprint =
        LibsignalVectors.alice(generator, NumericFingerprintGenerator.VERSION);

    String text = fingerprint.displayable().toString() + fingerprint.toString();

    assertFalse(text.contains(LibsignalVectors.DISPLAYABLE.substring(0, 10)), text);
    assertFalse(text.contains(LibsignalVectors.DISPLAYABLE.substring(30, 40)), text);
  }
}
