package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ContentTest {
  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void decode_ofEncoded_roundTrips() throws Exception {
    Content c = Content.of("héllo ✓", 1234L, null);
    Content back = Content.decode(c.encode());
    assertEquals("héllo ✓", back.text());
    assertEquals(1234L, back.timestamp());
    assertNull(back.destination());
    assertEquals(Content.VERSION, back.v());
  }

  @Test
  void encode_withoutDestination_leavesFieldOut() {
    assertFalse(
        new String(Content.of("x", 1, null).encode(), StandardCharsets.UTF_8)
            .contains("destination"));
  }

  @Test
  void decode_unknownFields_areIgnored() throws Exception {
    Content c = Content.decode(utf8("{\"v\":1,\"text\":\"hi\",\"timestamp\":5,\"later\":[1]}"));
    assertEquals("hi", c.text());
  }

  @Test
  void decode_newerVersion_throws() {
    assertThrows(
        IOException.class, () -> Content.decode(utf8("{\"v\":2,\"text\":\"hi\",\"timestamp\":5}")));
  }

  @Test
  void decode_missingTextOrNotJson_throws() {
    assertThrows(IOException.class, () -> Content.decode(utf8("{\"v\":1,\"timestamp\":5}")));
    assertThrows(IOException.class, () -> Content.decode(utf8("not json")));
    assertThrows(IOException.class, () -> Content.decode(new byte[0]));
  }

  @Test
  void of_tooLongText_throws() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Content.of("a".repeat(Content.MAX_TEXT_CHARS + 1), 1, null));
  }

  @Test
  void toString_leavesTextOut() {
    assertFalse(Content.of("secret words", 1, null).toString().contains("secret"));
  }
}
