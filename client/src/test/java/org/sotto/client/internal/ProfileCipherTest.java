package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class ProfileCipherTest {
  private final SecureRandom rng = new SecureRandom();

  /** RFC 5869 HKDF-SHA256 with an empty salt, written out here independently of the protocol's. */
  private static byte[] hkdf(byte[] ikm, String info, int length) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
    byte[] prk = mac.doFinal(ikm);
    mac.init(new SecretKeySpec(prk, "HmacSHA256"));
    byte[] out = new byte[length];
    byte[] t = new byte[0];
    int done = 0;
    for (int i = 1; done < length; i++) {
      mac.update(t);
      mac.update(info.getBytes(StandardCharsets.US_ASCII));
      mac.update((byte) i);
      t = mac.doFinal();
      int n = Math.min(t.length, length - done);
      System.arraycopy(t, 0, out, done, n);
      done += n;
    }
    return out;
  }

  @Test
  void accessKey_isHkdfSha256OfTheProfileKeyUnderItsInfoString() throws Exception {
    byte[] key = ProfileCipher.generateKey(rng);
    byte[] token = ProfileCipher.accessKey(key);
    assertEquals(ProfileCipher.ACCESS_KEY_BYTES, token.length);
    assertArrayEquals(hkdf(key, "Sotto profile unidentified access key v1", 16), token);
    assertArrayEquals(token, ProfileCipher.accessKey(key.clone()));
    assertFalse(Arrays.equals(token, ProfileCipher.accessKey(ProfileCipher.generateKey(rng))));
  }

  @Test
  void accessKey_wrongKeyLength_throws() {
    assertThrows(IllegalArgumentException.class, () -> ProfileCipher.accessKey(new byte[16]));
  }

  @Test
  void decryptName_ofEncrypted_roundTrips() throws Exception {
    byte[] key = ProfileCipher.generateKey(rng);
    for (String name :
        new String[] {"Alice", "", "Zoë 👋", "x".repeat(ProfileCipher.MAX_NAME_BYTES)}) {
      byte[] blob = ProfileCipher.encryptName(key, name, rng);
      assertEquals(name, ProfileCipher.decryptName(key, blob));
    }
  }

  @Test
  void encryptName_isPaddedToBucketsAndRandomized() {
    byte[] key = ProfileCipher.generateKey(rng);
    byte[] a = ProfileCipher.encryptName(key, "A", rng);
    byte[] b = ProfileCipher.encryptName(key, "A much longer profile name of sixty bytes...", rng);
    byte[] c = ProfileCipher.encryptName(key, "y".repeat(ProfileCipher.NAME_BUCKETS[0] + 1), rng);
    int overhead = 1 + ProfileCipher.NONCE_BYTES + ProfileCipher.TAG_BYTES;
    assertEquals(ProfileCipher.NAME_BUCKETS[0] + overhead, a.length);
    assertEquals(a.length, b.length);
    assertEquals(ProfileCipher.NAME_BUCKETS[1] + overhead, c.length);
    assertFalse(Arrays.equals(a, ProfileCipher.encryptName(key, "A", rng)));
  }

  @Test
  void decryptName_tamperedAnywhere_throwsUnreadable() {
    byte[] key = ProfileCipher.generateKey(rng);
    byte[] blob = ProfileCipher.encryptName(key, "Alice", rng);
    for (int i = 0; i < blob.length; i++) {
      byte[] bad = blob.clone();
      bad[i] ^= 0x01;
      assertThrows(
          ProfileCipher.UnreadableProfileException.class,
          () -> ProfileCipher.decryptName(key, bad),
          "byte " + i);
    }
  }

  @Test
  void decryptName_wrongKeyTruncatedOrEmpty_throwsUnreadable() {
    byte[] key = ProfileCipher.generateKey(rng);
    byte[] blob = ProfileCipher.encryptName(key, "Alice", rng);
    assertThrows(
        ProfileCipher.UnreadableProfileException.class,
        () -> ProfileCipher.decryptName(ProfileCipher.generateKey(rng), blob));
    assertThrows(
        ProfileCipher.UnreadableProfileException.class,
        () -> ProfileCipher.decryptName(key, Arrays.copyOf(blob, blob.length - 1)));
    assertThrows(
        ProfileCipher.UnreadableProfileException.class,
        () -> ProfileCipher.decryptName(key, new byte[0]));
  }

  @Test
  void encryptName_tooLongOrWithNul_throwsBeforeEncrypting() {
    byte[] key = ProfileCipher.generateKey(rng);
    assertThrows(
        IllegalArgumentException.class,
        () -> ProfileCipher.encryptName(key, "x".repeat(ProfileCipher.MAX_NAME_BYTES + 1), rng));
    // Multi-byte characters count in UTF-8 bytes.
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ProfileCipher.encryptName(key, "é".repeat(ProfileCipher.MAX_NAME_BYTES / 2 + 1), rng));
    assertThrows(IllegalArgumentException.class, () -> ProfileCipher.encryptName(key, "a\0b", rng));
  }
}
