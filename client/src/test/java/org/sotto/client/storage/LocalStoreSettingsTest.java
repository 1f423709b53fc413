package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's named settings in the store's meta table. */
class LocalStoreSettingsTest {
  @TempDir Path dir;

  @Test
  void setting_afterPutAndReopen_returnsValue() throws Exception {
    byte[] value = "device secret".getBytes(StandardCharsets.UTF_8);
    try (LocalStore s = LocalStore.create(dir, "acct", null, new SecureRandom())) {
      assertEquals(Optional.empty(), s.setting("account").map(b -> b));
      s.putSetting("account", value);
      s.putSetting("account", value); // replaces, no duplicate-key failure
    }
    try (LocalStore s = LocalStore.open(dir, "acct", null, new SecureRandom())) {
      assertArrayEquals(value, s.setting("account").orElseThrow());
      assertTrue(s.setting("other").isEmpty());
    }
  }

  @Test
  void setting_keyCheckName_isNotReachable() throws Exception {
    try (LocalStore s = LocalStore.create(dir, "acct", null, new SecureRandom())) {
      assertTrue(s.setting("key_check").isEmpty(), "SDK names live in their own namespace");
      assertThrows(IllegalArgumentException.class, () -> s.putSetting("", new byte[1]));
    }
  }
}
