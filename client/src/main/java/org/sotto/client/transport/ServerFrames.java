package org.sotto.client.transport;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import org.sotto.api.proto.ServerFrame;

/**
 * Decodes server frames and accumulates fragmented WebSocket messages, with a size bound. Every
 * failure is a {@link ProtocolViolationException} whose message names the kind of problem only,
 * never frame contents. Not thread-safe: one per connection, fed by the socket's single listener.
 */
final class ServerFrames {
  /**
   * Largest server frame accepted: an envelope of 256 KiB of content plus its header fields fits
   * well within 512 KiB; anything larger is a broken or hostile server and would only cost memory.
   */
  static final int MAX_FRAME_BYTES = 512 * 1024;

  private ByteBuffer partial = ByteBuffer.allocate(0);

  /**
   * Adds one WebSocket fragment; returns the decoded frame when {@code last} completes a message,
   * else null.
   */
  ServerFrame add(ByteBuffer data, boolean last) throws ProtocolViolationException {
    if (partial.position() + data.remaining() > MAX_FRAME_BYTES) {
      partial = ByteBuffer.allocate(0);
      throw new ProtocolViolationException("server frame larger than " + MAX_FRAME_BYTES, null);
    }
    if (partial.position() == 0 && last) {
      return decode(data);
    }
    if (partial.remaining() < data.remaining()) {
      ByteBuffer bigger =
          ByteBuffer.allocate(
              Math.max(partial.capacity() * 2, partial.position() + data.remaining()));
      partial.flip();
      bigger.put(partial);
      partial = bigger;
    }
    partial.put(data);
    if (!last) {
      return null;
    }
    partial.flip();
    ByteBuffer whole = partial;
    partial = ByteBuffer.allocate(0);
    return decode(whole);
  }

  /** Decodes one complete frame; a frame of no known kind is a violation. */
  static ServerFrame decode(ByteBuffer data) throws ProtocolViolationException {
    ServerFrame frame;
    try {
      frame = ServerFrame.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw new ProtocolViolationException("malformed server frame", null);
    }
    if (frame.getFrameCase() == ServerFrame.FrameCase.FRAME_NOT_SET) {
      throw new ProtocolViolationException("server frame of unknown kind", null);
    }
    return frame;
  }
}
