package org.sotto.protocol.spqr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.InvalidMessageException;

/**
 * Known answers from libsignal 0.103.0: the chunks of two braid headers (64-byte header and 32-byte
 * authenticator, three data chunks) as its first messages carried them, redundancy chunks included.
 */
class ReedSolomon16Test {

  private static final HexFormat HEX = HexFormat.of();

  /** A session's first five chunks: 0–2 the data, 3 and 4 redundancy. */
  private static final String[] SESSION_A = {
    "724de89f52fcaccddbb82e50c2265b7cfefc590e2a30f0bcd00f0b7ec01cf701",
    "3e675910eda722d2cd5ed33a2376c8ba439849464c7b3dbda3c65820c3371cbe",
    "ebfbc073d627477440480ecf507ebd37f5ecc93df02a623fdb24141ff3901699",
    "a7d171fc697cc96b56aef3a5b12e2ef14888d9759661af3ea8ed4741f0bbfd26",
    "56a2c6a8d2c4c59904b57673e55af0cc7f9b8bf9d43fa79944a0f2de706cbf8e",
  };

  /** Another session's data chunks, and its chunk 54 (sent as the 55th one-sided message). */
  private static final String[] SESSION_B = {
    "397c380d1e3491432f8999f32789a7ee29c63bfcf56ba2d0a4f48dd0812e1463",
    "a7c48a847e68e7fdcd7e2e75808ad58092ecf3629763076e292d781f5c56791f",
    "f0796e3627632f81bc04ef445b649440822ced0d70d1c274096b2ba5b9fd793a",
  };

  private static final String SESSION_B_CHUNK_54 =
      "b8705c7c5e543f07bf689971df6c0171b2eccd389d1445d6ee416945224a2f86";

  @Test
  void chunk_libsignalHeaders_sameRedundancyChunks() {
    byte[] a = value(SESSION_A, 3);
    for (int i = 0; i < SESSION_A.length; i++) {
      assertEquals(SESSION_A[i], HEX.formatHex(ReedSolomon16.chunk(a, i)), "chunk " + i);
    }
    assertEquals(SESSION_B_CHUNK_54, HEX.formatHex(ReedSolomon16.chunk(value(SESSION_B, 3), 54)));
  }

  @Test
  void decode_libsignalChunksWithDataMissing_givesTheValue() throws Exception {
    Map<Integer, byte[]> chunks = new HashMap<>();
    chunks.put(0, HEX.parseHex(SESSION_A[0]));
    chunks.put(3, HEX.parseHex(SESSION_A[3]));
    chunks.put(4, HEX.parseHex(SESSION_A[4]));
    assertArrayEquals(value(SESSION_A, 3), ReedSolomon16.decode(chunks, 96));

    Map<Integer, byte[]> late = new HashMap<>();
    late.put(1, HEX.parseHex(SESSION_B[1]));
    late.put(2, HEX.parseHex(SESSION_B[2]));
    late.put(54, HEX.parseHex(SESSION_B_CHUNK_54));
    assertArrayEquals(value(SESSION_B, 3), ReedSolomon16.decode(late, 96));
  }

  @Test
  void decode_anyKOfManyChunks_randomValuesUpToTheLargest() throws Exception {
    Random random = new Random(7);
    for (int k : new int[] {1, 2, 4, 30, 36}) {
      byte[] value = new byte[k * 32];
      random.nextBytes(value);
      List<Integer> numbers = new ArrayList<>();
      for (int i = 0; i < k + 20; i++) {
        numbers.add(i);
      }
      numbers.add(65_535);
      Collections.shuffle(numbers, random);
      Map<Integer, byte[]> some = new HashMap<>();
      for (int i : numbers.subList(0, k)) {
        some.put(i, ReedSolomon16.chunk(value, i));
      }
      assertArrayEquals(value, ReedSolomon16.decode(some, value.length), "k=" + k);
    }
  }

  @Test
  void decode_tooFewOrMalformedChunks_invalidMessage() {
    Map<Integer, byte[]> two = new HashMap<>();
    two.put(0, HEX.parseHex(SESSION_A[0]));
    two.put(7, HEX.parseHex(SESSION_A[1]));
    assertThrows(InvalidMessageException.class, () -> ReedSolomon16.decode(two, 96));
    Map<Integer, byte[]> shortChunk = new HashMap<>();
    shortChunk.put(0, new byte[31]);
    assertThrows(InvalidMessageException.class, () -> ReedSolomon16.decode(shortChunk, 32));
    // A bad chunk is refused even when enough good ones come before it.
    Map<Integer, byte[]> badLate = new HashMap<>();
    badLate.put(0, new byte[32]);
    badLate.put(9, new byte[33]);
    assertThrows(InvalidMessageException.class, () -> ReedSolomon16.decode(badLate, 32));
    Map<Integer, byte[]> outOfRange = new HashMap<>();
    outOfRange.put(0, new byte[32]);
    outOfRange.put(65_536, new byte[32]);
    assertThrows(InvalidMessageException.class, () -> ReedSolomon16.decode(outOfRange, 32));
    Map<Integer, byte[]> nullKey = new HashMap<>();
    nullKey.put(null, new byte[32]);
    assertThrows(InvalidMessageException.class, () -> ReedSolomon16.decode(nullKey, 32));
  }

  @Test
  void chunk_badLengthOrIndex_rejected() {
    assertThrows(IllegalArgumentException.class, () -> ReedSolomon16.chunk(new byte[33], 0));
    assertThrows(IllegalArgumentException.class, () -> ReedSolomon16.chunk(new byte[0], 0));
    assertThrows(IllegalArgumentException.class, () -> ReedSolomon16.chunk(new byte[65 * 32], 0));
    assertThrows(IllegalArgumentException.class, () -> ReedSolomon16.chunk(new byte[32], 65_536));
    assertThrows(IllegalArgumentException.class, () -> ReedSolomon16.chunk(new byte[32], -1));
  }

  @Test
  void field_inverseTimesElement_isOne() {
    for (int a = 1; a < ReedSolomon16.FIELD_SIZE; a += 97) {
      assertEquals(1, ReedSolomon16.mul(a, ReedSolomon16.inverse(a)));
    }
    // x^16 reduces to x^12 + x^3 + x + 1.
    assertEquals(0x100B, ReedSolomon16.mul(0x8000, 2));
  }

  private static byte[] value(String[] chunks, int k) {
    byte[] value = new byte[k * 32];
    for (int i = 0; i < k; i++) {
      System.arraycopy(HEX.parseHex(chunks[i]), 0, value, i * 32, 32);
    }
    return value;
  }
}
