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
  void encode_textMessage_writesOnlyItsFields() {
    assertEquals(
        "{\"v\":1,\"text\":\"x\",\"timestamp\":1}",
        new String(Content.of("x", 1, null).encode(), StandardCharsets.UTF_8));
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

  private static final String KEY64 = java.util.Base64.getEncoder().encodeToString(new byte[64]);
  private static final String DIGEST32 = java.util.Base64.getEncoder().encodeToString(new byte[32]);

  private static String attachmentJson(String id, String key, String digest, long size) {
    return "{\"v\":1,\"timestamp\":5,\"attachments\":[{\"id\":\""
        + id
        + "\",\"key\":\""
        + key
        + "\",\"digest\":\""
        + digest
        + "\",\"size\":"
        + size
        + ",\"fileName\":\"a.txt\"}]}";
  }

  @Test
  void decode_attachmentsWithoutText_roundTripsAsMessage() throws Exception {
    Content c =
        Content.message(
            "",
            7,
            null,
            java.util.List.of(
                new Content.Attachment("abc_DEF-1", KEY64, DIGEST32, 12, "a.txt", "text/plain")));
    Content back = Content.decode(c.encode());
    assertEquals(1, back.attachmentList().size());
    assertEquals("abc_DEF-1", back.attachmentList().get(0).id());
    assertEquals(64, back.attachmentList().get(0).keyBytes().length);
    assertEquals(12, back.attachmentList().get(0).size());
    org.junit.jupiter.api.Assertions.assertTrue(back.isMessage());

    Content onlyAttachment = Content.decode(utf8(attachmentJson("id1", KEY64, DIGEST32, 3)));
    assertEquals("", onlyAttachment.textOrEmpty());
  }

  @Test
  void decode_malformedAttachment_throws() {
    String shortKey = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    assertThrows(
        IOException.class,
        () -> Content.decode(utf8(attachmentJson("id1", shortKey, DIGEST32, 3))));
    assertThrows(
        IOException.class, () -> Content.decode(utf8(attachmentJson("id1", "%%%", DIGEST32, 3))));
    assertThrows(
        IOException.class, () -> Content.decode(utf8(attachmentJson("id1", KEY64, KEY64, 3))));
    assertThrows(
        IOException.class, () -> Content.decode(utf8(attachmentJson("../x", KEY64, DIGEST32, 3))));
    assertThrows(
        IOException.class, () -> Content.decode(utf8(attachmentJson("id1", KEY64, DIGEST32, -1))));
    assertThrows(
        IOException.class,
        () ->
            Content.decode(
                utf8(
                    attachmentJson("id1", KEY64, DIGEST32, Attachments.MAX_ATTACHMENT_BYTES + 1))));
    assertThrows(
        IOException.class,
        () -> Content.decode(utf8("{\"v\":1,\"timestamp\":5,\"attachments\":[null]}")));
    assertThrows(
        IOException.class,
        () -> Content.decode(utf8("{\"v\":1,\"timestamp\":5,\"attachments\":\"x\"}")));
  }

  @Test
  void decode_receipt_roundTripsAndIsNotAMessage() throws Exception {
    Content back =
        Content.decode(
            Content.receipt(Content.Receipt.READ, java.util.List.of(5L, 6L), 9).encode());
    assertEquals(Content.Receipt.READ, back.receipt().type());
    assertEquals(java.util.List.of(5L, 6L), back.receipt().timestamps());
    assertNull(back.text());
    assertFalse(back.isMessage());
  }

  @Test
  void receipt_emptyOrNonPositiveTimestamps_throws() {
    assertThrows(
        IllegalArgumentException.class,
        () -> Content.receipt(Content.Receipt.READ, java.util.List.of(), 1));
    assertThrows(
        IllegalArgumentException.class,
        () -> Content.receipt(Content.Receipt.READ, java.util.List.of(0L), 1));
  }

  @Test
  void decode_malformedReceipt_throws() {
    assertThrows(
        IOException.class,
        () ->
            Content.decode(
                utf8(
                    "{\"v\":1,\"timestamp\":5,\"receipt\":{\"type\":\"seen\",\"timestamps\":[1]}}")));
    assertThrows(
        IOException.class,
        () ->
            Content.decode(
                utf8(
                    "{\"v\":1,\"timestamp\":5,\"receipt\":{\"type\":\"read\",\"timestamps\":[]}}")));
    assertThrows(
        IOException.class,
        () ->
            Content.decode(
                utf8(
                    "{\"v\":1,\"timestamp\":5,\"receipt\":{\"type\":\"read\",\"timestamps\":[-4]}}")));
    assertThrows(
        IOException.class,
        () ->
            Content.decode(
                utf8(
                    "{\"v\":1,\"text\":\"hi\",\"timestamp\":5,"
                        + "\"receipt\":{\"type\":\"read\",\"timestamps\":[4]}}")));
  }

  @Test
  void decode_timerChange_roundTripsAndBadValuesThrow() throws Exception {
    Content back = Content.decode(Content.timerChange(3600, 9, null).encode());
    assertEquals(3600L, back.expireTimer());
    assertFalse(back.isMessage());
    assertThrows(
        IOException.class,
        () -> Content.decode(utf8("{\"v\":1,\"timestamp\":5,\"expireTimer\":-1}")));
    assertThrows(
        IOException.class,
        () -> Content.decode(utf8("{\"v\":1,\"timestamp\":5,\"expireTimer\":\"soon\"}")));
    assertThrows(
        IOException.class,
        () ->
            Content.decode(
                utf8(
                    "{\"v\":1,\"timestamp\":5,\"expireTimer\":"
                        + (Content.MAX_EXPIRE_TIMER_SECONDS + 1)
                        + "}")));
  }

  @Test
  void attachmentToString_leavesKeyOut() {
    Content.Attachment a = new Content.Attachment("id1", KEY64, DIGEST32, 3, "secret.txt", null);
    assertFalse(a.toString().contains(KEY64));
    assertFalse(a.toString().contains("secret"));
  }
}
