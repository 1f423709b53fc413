package org.sotto.protocol.spqr;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.sotto.protocol.InvalidMessageException;

/**
 * The erasure code the ML-KEM Braid sends its values with: a systematic Reed–Solomon code over
 * GF(2^16), as libsignal 0.103.0 uses it (established from its messages: {@code ReedSolomon16Test}
 * holds chunks it sent).
 *
 * <p>A value of {@code k} × 32 bytes is cut into {@code k} chunks of 32 bytes; each chunk is 16
 * big-endian 16-bit symbols. Symbol position {@code j} of all chunks forms one codeword: the
 * polynomial of degree below {@code k} through the points {@code (i, symbol j of chunk i)} for
 * {@code i < k}. Chunk {@code n} for any {@code n} is that polynomial evaluated at {@code x = n},
 * so chunks 0 to {@code k − 1} are the value itself and every later chunk is redundancy; any {@code
 * k} distinct chunks give the value back. The field's polynomial is x^16 + x^12 + x^3 + x + 1.
 *
 * <p>Not cryptography: chunks are public, and the braid authenticates what it decodes. Stateless
 * and thread-safe.
 */
public final class ReedSolomon16 {

  /** Bytes in a chunk. */
  public static final int CHUNK_LENGTH = PqRatchetMessage.CHUNK_LENGTH;

  /** 16-bit symbols in a chunk. */
  private static final int SYMBOLS = CHUNK_LENGTH / 2;

  /** x^16 + x^12 + x^3 + x + 1, primitive: 2 generates the multiplicative group. */
  static final int POLYNOMIAL = 0x1100B;

  /** Elements of GF(2^16); chunk numbers are field elements, so at most this many chunks. */
  static final int FIELD_SIZE = 1 << 16;

  /** The largest value the braid sends (the 1,152-byte encapsulation key) is 36 chunks. */
  public static final int MAX_DATA_CHUNKS = 64;

  private static final int ORDER = FIELD_SIZE - 1;

  private static final int[] EXP = new int[2 * ORDER];

  private static final int[] LOG = new int[FIELD_SIZE];

  static {
    int x = 1;
    for (int i = 0; i < ORDER; i++) {
      EXP[i] = x;
      EXP[i + ORDER] = x;
      LOG[x] = i;
      x <<= 1;
      if ((x & FIELD_SIZE) != 0) {
        x ^= POLYNOMIAL;
      }
    }
    if (x != 1) {
      throw new ExceptionInInitializerError("x^16 + x^12 + x^3 + x + 1 is not primitive");
    }
  }

  private ReedSolomon16() {}

  /**
   * Chunk {@code index} of {@code value}.
   *
   * @param value a whole number of chunks, at most {@link #MAX_DATA_CHUNKS}
   * @param index any chunk number, 0 to 65,535
   * @throws IllegalArgumentException if the value's length or the index is out of range
   */
  public static byte[] chunk(byte[] value, int index) {
    Objects.requireNonNull(value, "value");
    int k = dataChunks(value.length);
    if (index < 0 || index >= FIELD_SIZE) {
      throw new IllegalArgumentException("chunk index out of range: " + index);
    }
    if (index < k) {
      return Arrays.copyOfRange(value, index * CHUNK_LENGTH, (index + 1) * CHUNK_LENGTH);
    }
    int[] xs = new int[k];
    byte[][] chunks = new byte[k][];
    for (int i = 0; i < k; i++) {
      xs[i] = i;
      chunks[i] = Arrays.copyOfRange(value, i * CHUNK_LENGTH, (i + 1) * CHUNK_LENGTH);
    }
    return evaluate(xs, chunks, index);
  }

  /**
   * The value of {@code length} bytes from any {@code length / 32} of its chunks.
   *
   * @param chunks chunks by number; the lowest-numbered {@code length / 32} are used
   * @throws InvalidMessageException if too few chunks are given, or any given chunk is not 32 bytes
   *     or has a number outside 0 to 65,535
   * @throws IllegalArgumentException if {@code length} is out of range
   */
  public static byte[] decode(Map<Integer, byte[]> chunks, int length)
      throws InvalidMessageException {
    Objects.requireNonNull(chunks, "chunks");
    int k = dataChunks(length);
    for (Map.Entry<Integer, byte[]> e : chunks.entrySet()) {
      Integer index = e.getKey();
      byte[] c = e.getValue();
      if (index == null || index < 0 || index >= FIELD_SIZE) {
        throw new InvalidMessageException("chunk number out of range: " + index);
      }
      if (c == null || c.length != CHUNK_LENGTH) {
        throw new InvalidMessageException("chunk " + index + " is not " + CHUNK_LENGTH + " bytes");
      }
    }
    int[] xs = new int[k];
    byte[][] ys = new byte[k][];
    int n = 0;
    for (int index : chunks.keySet().stream().sorted().toList()) {
      if (n == k) {
        break;
      }
      byte[] c = chunks.get(index);
      xs[n] = index;
      ys[n] = c;
      n++;
    }
    if (n < k) {
      throw new InvalidMessageException(
          "need " + k + " chunks to decode " + length + " bytes, have " + n);
    }
    byte[] value = new byte[length];
    for (int i = 0; i < k; i++) {
      byte[] c = evaluate(xs, ys, i);
      System.arraycopy(c, 0, value, i * CHUNK_LENGTH, CHUNK_LENGTH);
    }
    return value;
  }

  private static int dataChunks(int length) {
    if (length <= 0 || length % CHUNK_LENGTH != 0 || length / CHUNK_LENGTH > MAX_DATA_CHUNKS) {
      throw new IllegalArgumentException(
          "a value must be 1 to " + MAX_DATA_CHUNKS + " whole chunks, not " + length + " bytes");
    }
    return length / CHUNK_LENGTH;
  }

  /**
   * Every symbol position's polynomial through {@code (xs[i], ys[i])}, evaluated at {@code x}
   * (Lagrange form; in GF(2^m) subtraction is XOR).
   */
  private static byte[] evaluate(int[] xs, byte[][] ys, int x) {
    int k = xs.length;
    for (int i = 0; i < k; i++) {
      if (xs[i] == x) {
        return ys[i].clone(); // a chunk we have (the usual case: data chunks in order)
      }
    }
    int[] coefficients = new int[k];
    for (int i = 0; i < k; i++) {
      int num = 1;
      int den = 1;
      for (int m = 0; m < k; m++) {
        if (m != i) {
          num = mul(num, x ^ xs[m]);
          den = mul(den, xs[i] ^ xs[m]);
        }
      }
      coefficients[i] = mul(num, inverse(den));
    }
    byte[] out = new byte[CHUNK_LENGTH];
    for (int j = 0; j < SYMBOLS; j++) {
      int y = 0;
      for (int i = 0; i < k; i++) {
        int symbol = ((ys[i][2 * j] & 0xFF) << 8) | (ys[i][2 * j + 1] & 0xFF);
        y ^= mul(symbol, coefficients[i]);
      }
      out[2 * j] = (byte) (y >>> 8);
      out[2 * j + 1] = (byte) y;
    }
    return out;
  }

  static int mul(int a, int b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return EXP[LOG[a] + LOG[b]];
  }

  static int inverse(int a) {
    if (a == 0) {
      throw new ArithmeticException("0 has no inverse");
    }
    return EXP[ORDER - LOG[a]];
  }
}
