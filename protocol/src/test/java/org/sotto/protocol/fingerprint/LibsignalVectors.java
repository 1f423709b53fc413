package org.sotto.protocol.fingerprint;

import java.util.HexFormat;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.InvalidKeyException;

/**
 * Known answers observed from libsignal 0.90.0 ({@code Fingerprint.new} of the Node client) for a
 * fixed pair of identities: Alice's key from the private key 32 × 0x01, Bob's from 32 × 0x02. They
 * let the unit tests check byte compatibility without starting Node; the interop test checks the
 * same with fresh identities.
 */
final class LibsignalVectors {
  private static final HexFormat HEX = HexFormat.of();

  static final String ALICE_UUID = "9d0652a3-dcc3-4d11-975f-74d61598733f";
  static final String BOB_UUID = "4f1c2b7e-8a55-4c3e-b0d2-6a1e9f3c7d20";
  static final IdentityKey ALICE_KEY =
      key("05a4e09292b651c278b9772c569f5fa9bb13d906b46ab68c9df9dc2b4409f8a209");
  static final IdentityKey BOB_KEY =
      key("05ce8d3ad1ccb633ec7b70c17814a5c76ecd029685050d344745ba05870e587d59");

  /** Both sides, 5,200 iterations, any version. */
  static final String DISPLAYABLE = "386929813985307258893590836684543681567293198639687655235260";

  /** Alice's scannable code, version 2, 5,200 iterations: Alice's digest, then Bob's. */
  static final byte[] ALICE_SCANNABLE =
      HEX.parseHex(
          "080212220a20b2e508d004b84d64403bdd9e8678dbadce08cea127fec964a4d531342bacab35"
              + "1a220a20da34b085e07576777c189e72d3740e6bbfa1f900918a7c8e0849b926b8dc50b1");

  /** Bob's scannable code, version 2, 5,200 iterations: the mirror image of Alice's. */
  static final byte[] BOB_SCANNABLE =
      HEX.parseHex(
          "080212220a20da34b085e07576777c189e72d3740e6bbfa1f900918a7c8e0849b926b8dc50b1"
              + "1a220a20b2e508d004b84d64403bdd9e8678dbadce08cea127fec964a4d531342bacab35");

  /** Alice's view with 2 iterations, version 2. */
  static final String DISPLAYABLE_2_ITERATIONS =
      "570261792420602731148780312549810909424747132503153857077468";

  static final byte[] ALICE_SCANNABLE_2_ITERATIONS =
      HEX.parseHex(
          "080212220a20474fe4ed8288a46f0fe7ef0f062e9ca17f7a360b78bb01e30a533660783c63ae"
              + "1a220a20556f8ee98270e1d74224b25718c83a14be3de45a9df7aeb67b89d93a8cc5566b");

  /** Alice's view when her identifier is empty (5,200 iterations): her half changes, Bob's not. */
  static final String DISPLAYABLE_ALICE_EMPTY_IDENTIFIER =
      "543681567293198639687655235260950409316509263298646992453142";

  private LibsignalVectors() {}

  static Fingerprint alice(NumericFingerprintGenerator generator, int version) {
    return generator.createFor(
        version,
        NumericFingerprintGenerator.uuidIdentifier(ALICE_UUID),
        ALICE_KEY,
        NumericFingerprintGenerator.uuidIdentifier(BOB_UUID),
        BOB_KEY);
  }

  static Fingerprint bob(NumericFingerprintGenerator generator, int version) {
    return generator.createFor(
        version,
        NumericFingerprintGenerator.uuidIdentifier(BOB_UUID),
        BOB_KEY,
        NumericFingerprintGenerator.uuidIdentifier(ALICE_UUID),
        ALICE_KEY);
  }

  private static IdentityKey key(String hex) {
    try {
      return IdentityKey.fromBytes(HEX.parseHex(hex));
    } catch (InvalidKeyException e) {
      throw new AssertionError(e);
    }
  }
}
