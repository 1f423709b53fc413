package org.sotto.protocol.spqr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sotto.protocol.InvalidMessageException;

class PqRatchetMessageTest {

  private static final HexFormat HEX = HexFormat.of();

  /** Fields copied from messages of libsignal 0.103.0 (an initiator's first, the reply). */
  private static final String FIRST_MESSAGE =
      "0101010100ed6d9fe81a12fd70a462c9159a33e7d7113aa14cc12ef0b90fad2cff1ac71c5b";

  private static final String REPLY = "01010100";

  private static final String CT1_ACK = "01012804";

  @Test
  void parse_libsignalFirstMessage_headerChunkZeroOfEpochOne() throws Exception {
    PqRatchetMessage m = PqRatchetMessage.parse(HEX.parseHex(FIRST_MESSAGE));
    assertEquals(1, m.epoch());
    assertEquals(1, m.index());
    assertEquals(PqRatchetMessage.Type.HEADER, m.type());
    assertEquals(0, m.chunkIndex());
    assertEquals(FIRST_MESSAGE.substring(10), HEX.formatHex(m.chunk()));
    assertEquals(FIRST_MESSAGE, HEX.formatHex(m.serialize()));
  }

  @Test
  void parse_libsignalMessagesWithoutChunk_roundTrip() throws Exception {
    PqRatchetMessage reply = PqRatchetMessage.parse(HEX.parseHex(REPLY));
    assertEquals(PqRatchetMessage.Type.NONE, reply.type());
    assertEquals(-1, reply.chunkIndex());
    assertNull(reply.chunk());
    assertEquals(REPLY, HEX.formatHex(reply.serialize()));
    PqRatchetMessage ack = PqRatchetMessage.parse(HEX.parseHex(CT1_ACK));
    assertEquals(PqRatchetMessage.Type.CT1_ACK, ack.type());
    assertEquals(0x28, ack.index());
    assertEquals(CT1_ACK, HEX.formatHex(ack.serialize()));
  }

  @Test
  void serialize_largeNumbers_multiByteVarintsRoundTrip() throws Exception {
    byte[] chunk = new byte[32];
    chunk[31] = 7;
    PqRatchetMessage m =
        new PqRatchetMessage(Long.MAX_VALUE, 300, PqRatchetMessage.Type.CT2, 0xFFFF, chunk);
    byte[] wire = m.serialize();
    assertEquals(1 + 9 + 2 + 1 + 3 + 32, wire.length);
    PqRatchetMessage back = PqRatchetMessage.parse(wire);
    assertEquals(m, back);
    assertArrayEquals(chunk, back.chunk());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // empty
        "02010100", // version 2
        "01", // no epoch
        "010101", // no type
        "01010107", // type 7
        "0101010100", // header without its chunk
        "0101010100" + "00", // header with a 1-byte chunk
        "0101010080808004"
            + "0000000000000000000000000000000000000000000000000000000000000000", // chunk 65536
        "0101010000", // trailing byte after a type without chunk
        "01ffffffffffffffffff010100", // 10-byte epoch
        "0180000100", // epoch 0x80 0x00: not minimal
      })
  void parse_malformed_invalidMessage(String hex) {
    assertThrows(InvalidMessageException.class, () -> PqRatchetMessage.parse(HEX.parseHex(hex)));
  }

  @Test
  void parse_threeByteEpoch_accepted() throws Exception {
    assertEquals(16384, PqRatchetMessage.parse(HEX.parseHex("018080010000")).epoch());
  }

  @Test
  void parse_null_invalidMessage() {
    assertThrows(InvalidMessageException.class, () -> PqRatchetMessage.parse(null));
  }

  @Test
  void constructor_chunkNotMatchingType_rejected() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new PqRatchetMessage(1, 1, PqRatchetMessage.Type.NONE, 0, new byte[32]));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PqRatchetMessage(1, 1, PqRatchetMessage.Type.CT1, -1, null));
    assertThrows(
        IllegalArgumentException.class,
        () -> new PqRatchetMessage(-1, 1, PqRatchetMessage.Type.NONE, -1, null));
  }

  @Test
  void chunk_returnsCopies() throws Exception {
    PqRatchetMessage m = PqRatchetMessage.parse(HEX.parseHex(FIRST_MESSAGE));
    m.chunk()[0] ^= 1;
    assertEquals(FIRST_MESSAGE, HEX.formatHex(m.serialize()));
  }
}
