package org.sotto.protocol.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.crypto.Mac;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.InvalidMessageException;

class CryptoTest {
  private static final HexFormat HEX = HexFormat.of();

  // RFC 4231, test case 2.
  private static final byte[] KEY = "Jefe".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DATA =
      "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EXPECTED =
      HEX.parseHex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");

  @Test
  void hmacSha256_rfc4231Case2_matches() {
    assertArrayEquals(EXPECTED, Crypto.hmacSha256(KEY, DATA));
    assertArrayEquals(
        EXPECTED,
        Crypto.hmacSha256(KEY, "what do ya ".getBytes(StandardCharsets.US_ASCII), tail()));
  }

  @Test
  void newHmacSha256_isTheCallersOwn_thePerThreadHmacDoesNotDisturbIt() {
    Mac mine = Crypto.newHmacSha256(KEY);
    mine.update("what do ya ".getBytes(StandardCharsets.US_ASCII));
    // Other HMACs on this thread in between, with other keys.
    Crypto.hmacSha256(new byte[] {1, 2, 3}, DATA);
    Crypto.newHmacSha256(new byte[] {4}).doFinal(DATA);
    mine.update(tail());
    assertArrayEquals(EXPECTED, mine.doFinal());
  }

  @Test
  void aesCbc_afterABadPaddingFailure_nextDecryptStillWorks() throws Exception {
    byte[] key = new byte[Crypto.AES_KEY_LENGTH];
    byte[] iv = new byte[Crypto.AES_IV_LENGTH];
    key[0] = 7;
    byte[] plaintext = "sixteen bytes!!!and more".getBytes(StandardCharsets.US_ASCII);
    byte[] ct = Crypto.aesCbcEncrypt(key, iv, plaintext);
    byte[] wrongKey = key.clone();
    wrongKey[1] = 1;
    assertThrows(InvalidMessageException.class, () -> Crypto.aesCbcDecrypt(wrongKey, iv, ct));
    assertArrayEquals(plaintext, Crypto.aesCbcDecrypt(key, iv, ct));
  }

  @Test
  void hmacAndAes_manyThreadsAtOnce_eachGetsTheRightAnswer() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        byte k = (byte) t;
        done.add(
            pool.submit(
                () -> {
                  byte[] key = new byte[Crypto.AES_KEY_LENGTH];
                  key[0] = k;
                  byte[] iv = new byte[Crypto.AES_IV_LENGTH];
                  for (int i = 0; i < 500; i++) {
                    assertArrayEquals(EXPECTED, Crypto.hmacSha256(KEY, DATA));
                    byte[] p = {k, (byte) i};
                    assertArrayEquals(
                        p, Crypto.aesCbcDecrypt(key, iv, Crypto.aesCbcEncrypt(key, iv, p)));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static byte[] tail() {
    return "want for nothing?".getBytes(StandardCharsets.US_ASCII);
  }
}
