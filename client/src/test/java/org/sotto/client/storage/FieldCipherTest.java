package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FieldCipherTest {
  private final SecureRandom rng = new SecureRandom();
  private final FieldCipher cipher = new FieldCipher(SecretBytes.copyOf(new byte[32]), rng);

  @Test
  void encryptDecrypt_sameRow_roundTrips() throws Exception {
    byte[] row = FieldCipher.rowId("t", "c", "k", 1);
    assertArrayEquals(
        new byte[] {1, 2}, cipher.decrypt(cipher.encrypt(new byte[] {1, 2}, row), row, "t"));
  }

  @Test
  void decrypt_otherRowOrColumn_throwsCorrupt() {
    byte[] stored = cipher.encrypt(new byte[] {1, 2}, FieldCipher.rowId("t", "c", "k", 1));
    assertThrows(
        CorruptStoreException.class,
        () -> cipher.decrypt(stored, FieldCipher.rowId("t", "c", "k", 2), "t"));
    assertThrows(
        CorruptStoreException.class,
        () -> cipher.decrypt(stored, FieldCipher.rowId("t", "d", "k", 1), "t"));
  }

  @Test
  void rowId_partsAreLengthPrefixed_soBoundariesCannotShift() {
    assertFalse(
        Arrays.equals(
            FieldCipher.rowId("t", "c", "ab", "c"), FieldCipher.rowId("t", "c", "a", "bc")));
  }

  @Test
  void decrypt_otherKeyOrTruncated_throwsCorrupt() {
    byte[] row = FieldCipher.rowId("t", "c", "k");
    byte[] stored = cipher.encrypt(new byte[] {1, 2}, row);
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    FieldCipher other = new FieldCipher(SecretBytes.copyOf(otherKey), rng);
    assertThrows(CorruptStoreException.class, () -> other.decrypt(stored, row, "t"));
    assertThrows(
        CorruptStoreException.class, () -> cipher.decrypt(Arrays.copyOf(stored, 20), row, "t"));
    assertThrows(CorruptStoreException.class, () -> cipher.decrypt(new byte[0], row, "t"));
  }

  @Test
  void encrypt_twice_usesFreshNonces() {
    byte[] row = FieldCipher.rowId("t", "c", "k");
    assertFalse(Arrays.equals(cipher.encrypt(new byte[4], row), cipher.encrypt(new byte[4], row)));
  }
}
