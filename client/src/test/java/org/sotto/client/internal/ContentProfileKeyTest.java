package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The {@code profileKey} field of {@link Content}. */
class ContentProfileKeyTest {
  @Test
  void decode_withProfileKey_roundTripsTheKey() throws Exception {
    byte[] key = ProfileCipher.generateKey(new SecureRandom());
    Content c = Content.decode(Content.of("hi", 5, null).withProfileKey(key).encode());
    assertArrayEquals(key, c.profileKeyBytes().orElseThrow());
  }

  @Test
  void encode_withoutProfileKey_leavesFieldOut() throws Exception {
    Content c = Content.of("hi", 5, null);
    assertFalse(new String(c.encode(), StandardCharsets.UTF_8).contains("profileKey"));
    assertTrue(Content.decode(c.encode()).profileKeyBytes().isEmpty());
  }

  @Test
  void profileKeyBytes_wrongLengthOrNotBase64_isIgnored() throws Exception {
    String shortKey = Base64.getEncoder().encodeToString(new byte[16]);
    Content c =
        Content.decode(
            ("{\"v\":1,\"text\":\"hi\",\"timestamp\":5,\"profileKey\":\"" + shortKey + "\"}")
                .getBytes(StandardCharsets.UTF_8));
    assertTrue(c.profileKeyBytes().isEmpty());
    Content d =
        Content.decode(
            "{\"v\":1,\"text\":\"hi\",\"timestamp\":5,\"profileKey\":\"%%%\"}"
                .getBytes(StandardCharsets.UTF_8));
    assertTrue(d.profileKeyBytes().isEmpty());
  }

  @Test
  void toString_leavesProfileKeyOut() {
    byte[] key = new byte[32];
    key[0] = 42;
    Content c = Content.of("x", 1, null).withProfileKey(key);
    assertFalse(c.toString().contains(c.profileKey()));
  }
}
