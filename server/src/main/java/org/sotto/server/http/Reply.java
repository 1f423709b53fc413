package org.sotto.server.http;

import java.util.Map;

/**
 * A response other than "200 with a JSON DTO": any status, optional JSON body, optional raw bytes,
 * headers. Immutable.
 */
public record Reply(
    int status, Object json, byte[] raw, String contentType, Map<String, String> headers) {
  /**
   * Returned by a handler that wrote the response itself through {@link Call#response()} (streamed
   * downloads) and completed the callback given by {@link Call#callback()}.
   */
  public static final Reply STREAMED = new Reply(0, null, null, null, Map.of());

  /** Copies the headers. */
  public Reply {
    headers = Map.copyOf(headers);
  }

  /** {@code status} with a JSON body. */
  public static Reply json(int status, Object body) {
    return new Reply(status, body, null, null, Map.of());
  }

  /** {@code status} without a body. */
  public static Reply empty(int status) {
    return new Reply(status, null, null, null, Map.of());
  }

  /** {@code status} with raw bytes. */
  public static Reply raw(int status, byte[] body, String contentType) {
    return new Reply(status, null, body, contentType, Map.of());
  }

  /** This reply with one more header. */
  public Reply header(String name, String value) {
    var copy = new java.util.HashMap<>(headers);
    copy.put(name, value);
    return new Reply(status, json, raw, contentType, copy);
  }
}
