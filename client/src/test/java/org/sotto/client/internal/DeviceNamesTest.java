package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.IdentityKeyPair;

/**
 * {@link DeviceNames}: names decrypt only under the same account's identity and resist tampering.
 */
class DeviceNamesTest {
  private final SecureRandom rng = new SecureRandom();
  private final IdentityKeyPair account = IdentityKeyPair.generate(rng);

  @Test
  void encrypt_thenDecryptWithSameIdentity_returnsTheName() {
    byte[] blob = DeviceNames.encrypt(account, "Bob's laptop ✓", rng);

    assertEquals(Optional.of("Bob's laptop ✓"), DeviceNames.decrypt(account, blob));
  }

  @Test
  void encrypt_twice_givesDifferentBlobs() {
    assertFalse(
        Arrays.equals(
            DeviceNames.encrypt(account, "same", rng), DeviceNames.encrypt(account, "same", rng)));
  }

  @Test
  void decrypt_withAnotherAccountsIdentity_isEmpty() {
    byte[] blob = DeviceNames.encrypt(account, "laptop", rng);

    assertEquals(Optional.empty(), DeviceNames.decrypt(IdentityKeyPair.generate(rng), blob));
  }

  @Test
  void decrypt_tamperedOrTruncatedOrWrongVersion_isEmpty() {
    byte[] blob = DeviceNames.encrypt(account, "laptop", rng);
    for (int i = 0; i < blob.length; i++) {
      byte[] bad = blob.clone();
      bad[i] ^= 1;
      assertEquals(Optional.empty(), DeviceNames.decrypt(account, bad), "bit flipped at " + i);
    }
    assertEquals(Optional.empty(), DeviceNames.decrypt(account, Arrays.copyOf(blob, 20)));
    assertEquals(Optional.empty(), DeviceNames.decrypt(account, new byte[0]));
    assertNotEquals(0, blob.length);
  }
}
