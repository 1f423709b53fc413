package org.sotto.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.fingerprint.Fingerprint;
import org.sotto.protocol.fingerprint.FingerprintException;
import org.sotto.protocol.fingerprint.FingerprintVersionMismatchException;
import org.sotto.protocol.fingerprint.NumericFingerprintGenerator;
import org.sotto.protocol.fingerprint.ScannableFingerprint;
import org.sotto.protocol.internal.proto.FingerprintProtos.ScannableCode;

/**
 * Comparing a scanned safety-number code: the bytes a camera read from someone's screen. {@link
 * ScannableFingerprint#compareTo} answers or throws a {@link FingerprintException}, nothing else;
 * it matches exactly the codes that carry the other side's digest first and ours second; and Alice
 * and Bob, holding mirror-image codes of the same version, fail the same way on the same bytes.
 */
class FingerprintFuzzTest {
  /** Seeds of the two identity key pairs; changing them invalidates the committed corpus. */
  private static final long ALICE_KEY_SEED = 21;

  private static final long BOB_KEY_SEED = 22;

  private static final int VERSION = NumericFingerprintGenerator.VERSION;

  private static final Fingerprint ALICE;
  private static final Fingerprint BOB;
  private static final ByteString ALICE_DIGEST;
  private static final ByteString BOB_DIGEST;

  static {
    IdentityKey aliceKey =
        IdentityKeyPair.generate(FuzzFixture.seededRandom(ALICE_KEY_SEED)).identityKey();
    IdentityKey bobKey =
        IdentityKeyPair.generate(FuzzFixture.seededRandom(BOB_KEY_SEED)).identityKey();
    byte[] aliceId = NumericFingerprintGenerator.uuidIdentifier(FuzzFixture.ALICE.name());
    byte[] bobId = NumericFingerprintGenerator.uuidIdentifier(FuzzFixture.BOB.name());
    NumericFingerprintGenerator generator =
        new NumericFingerprintGenerator(NumericFingerprintGenerator.ITERATIONS);
    ALICE = generator.createFor(VERSION, aliceId, aliceKey, bobId, bobKey);
    BOB = generator.createFor(VERSION, bobId, bobKey, aliceId, aliceKey);
    ALICE_DIGEST = parse(ALICE.scannable().serialize()).getLocal().getContent();
    BOB_DIGEST = parse(BOB.scannable().serialize()).getLocal().getContent();
  }

  @FuzzTest
  void scannableCompareTo_anyBytes_matchesOnlyMirrorCodeOrThrowsFingerprintException(byte[] input) {
    Outcome alice = compare(ALICE.scannable(), input);
    Outcome bob = compare(BOB.scannable(), input);
    // Same version, mirror-image digests: any failure is about the bytes, so both fail alike.
    assertSame(
        alice.failure() == null ? null : alice.failure().getClass(),
        bob.failure() == null ? null : bob.failure().getClass(),
        "Alice and Bob disagree on whether the code is well-formed");
    if (alice.failure() instanceof FingerprintVersionMismatchException e) {
      assertNotEquals(VERSION, e.theirVersion());
      assertEquals(VERSION, e.ourVersion());
      return;
    }
    if (alice.failure() != null) {
      return;
    }
    ScannableCode code = parse(input);
    boolean bobsCode =
        code.getLocal().getContent().equals(BOB_DIGEST)
            && code.getRemote().getContent().equals(ALICE_DIGEST);
    boolean alicesCode =
        code.getLocal().getContent().equals(ALICE_DIGEST)
            && code.getRemote().getContent().equals(BOB_DIGEST);
    assertEquals(bobsCode, alice.match(), "Alice matches exactly Bob's code");
    assertEquals(alicesCode, bob.match(), "Bob matches exactly Alice's code");
    assertFalse(alice.match() && bob.match());
  }

  /** The seed corpus, by file name: see {@link SeedCorpusWriter}. */
  static Map<String, byte[]> seeds() {
    HexFormat hex = HexFormat.of();
    byte[] bobCode = BOB.scannable().serialize();
    byte[] afterVersion = Arrays.copyOfRange(bobCode, 2, bobCode.length);
    byte[] bobRemoteField = Arrays.copyOfRange(bobCode, 38, bobCode.length);
    Map<String, byte[]> seeds = new LinkedHashMap<>();
    seeds.put("bobs-code", bobCode);
    seeds.put("alices-own-code", ALICE.scannable().serialize());
    seeds.put("version-1", concat(hex.parseHex("0801"), afterVersion));
    seeds.put("version-as-overlong-varint", concat(hex.parseHex("088280808010"), afterVersion));
    seeds.put("version-as-fixed32", concat(hex.parseHex("0d02000000"), afterVersion));
    seeds.put("empty-local-digest", concat(hex.parseHex("080212020a00"), bobRemoteField));
    seeds.put("empty-local-message", concat(hex.parseHex("08021200"), bobRemoteField));
    seeds.put("no-remote", Arrays.copyOf(bobCode, 38));
    seeds.put("unknown-group-appended", concat(bobCode, hex.parseHex("2b2c")));
    seeds.put("truncated", Arrays.copyOf(bobCode, bobCode.length - 1));
    return seeds;
  }

  /** What {@code compareTo} did: answered ({@code failure} null) or threw {@code failure}. */
  private record Outcome(boolean match, FingerprintException failure) {}

  private static Outcome compare(ScannableFingerprint ours, byte[] input) {
    try {
      return new Outcome(ours.compareTo(input), null);
    } catch (FingerprintException e) {
      return new Outcome(false, e);
    }
  }

  private static ScannableCode parse(byte[] code) {
    try {
      return ScannableCode.parseFrom(code);
    } catch (InvalidProtocolBufferException e) {
      throw new AssertionError("compareTo accepted a code that does not parse", e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
