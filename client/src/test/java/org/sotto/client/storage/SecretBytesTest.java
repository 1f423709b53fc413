package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class SecretBytesTest {
  @Test
  void toString_printsNothingOfTheSecret() {
    assertEquals("SecretBytes[redacted]", SecretBytes.copyOf(new byte[] {0x41, 0x42}).toString());
  }

  @Test
  void copyOf_andBytes_copyInAndOut() {
    byte[] raw = {1, 2, 3};
    SecretBytes s = SecretBytes.copyOf(raw);
    raw[0] = 9;
    s.bytes()[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, s.bytes());
  }

  @Test
  void equals_comparesContent_andDestroyZeroes() {
    SecretBytes a = SecretBytes.copyOf(new byte[] {1, 2, 3});
    assertEquals(a, SecretBytes.copyOf(new byte[] {1, 2, 3}));
    assertNotEquals(a, SecretBytes.copyOf(new byte[] {1, 2, 4}));
    a.destroy();
    assertArrayEquals(new byte[3], a.bytes());
  }
}
