package org.sotto.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.sotto.api.proto.Dropped;
import org.sotto.api.proto.Envelope;
import org.sotto.api.proto.ServerFrame;

/** Frame decoding and reassembly in memory, without sockets. */
class ServerFramesTest {
  @Test
  void add_wholeFrame_decodes() throws Exception {
    ServerFrame frame =
        ServerFrame.newBuilder().setDropped(Dropped.newBuilder().setCount(3)).build();

    ServerFrame got = new ServerFrames().add(ByteBuffer.wrap(frame.toByteArray()), true);

    assertEquals(frame, got);
  }

  @Test
  void add_fragments_reassemblesOnLast() throws Exception {
    ServerFrame frame =
        ServerFrame.newBuilder()
            .setEnvelope(
                Envelope.newBuilder()
                    .setGuid(ByteString.copyFrom(new byte[16]))
                    .setContent(ByteString.copyFrom(new byte[70_000])))
            .build();
    byte[] bytes = frame.toByteArray();
    ServerFrames frames = new ServerFrames();

    assertNull(frames.add(ByteBuffer.wrap(bytes, 0, 10), false));
    assertNull(frames.add(ByteBuffer.wrap(bytes, 10, 40_000), false));
    ServerFrame got = frames.add(ByteBuffer.wrap(bytes, 40_010, bytes.length - 40_010), true);

    assertEquals(frame, got);
  }

  @Test
  void add_garbage_throwsWithoutEchoingBytes() {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x41, 0x42};

    ProtocolViolationException e =
        assertThrows(
            ProtocolViolationException.class,
            () -> new ServerFrames().add(ByteBuffer.wrap(garbage), true));

    assertEquals("malformed server frame", e.getMessage());
  }

  @Test
  void add_emptyFrame_isOfUnknownKind() {
    ProtocolViolationException e =
        assertThrows(
            ProtocolViolationException.class,
            () -> new ServerFrames().add(ByteBuffer.allocate(0), true));

    assertEquals("server frame of unknown kind", e.getMessage());
  }

  @Test
  void add_beyondLimit_throwsAndResets() throws Exception {
    ServerFrames frames = new ServerFrames();
    frames.add(ByteBuffer.allocate(ServerFrames.MAX_FRAME_BYTES), false);

    assertThrows(ProtocolViolationException.class, () -> frames.add(ByteBuffer.allocate(1), true));

    ServerFrame small =
        ServerFrame.newBuilder().setDropped(Dropped.newBuilder().setCount(1)).build();
    assertEquals(small, frames.add(ByteBuffer.wrap(small.toByteArray()), true));
  }
}
