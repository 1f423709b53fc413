package org.sotto.protocol.interop;

/**
 * A request the peer refuses before it reaches the protocol: a bad or missing field ({@code
 * invalid_argument}) or an op Sotto does not implement yet ({@code unsupported}). Protocol failures
 * travel as the protocol's own checked exceptions instead; {@link Peer} maps both to the reply's
 * {@code kind}.
 */
final class PeerError extends Exception {
  private static final long serialVersionUID = 1L;

  /** Error kind of a malformed request. */
  static final String INVALID_ARGUMENT = "invalid_argument";

  /** Error kind of an op this peer does not implement. */
  static final String UNSUPPORTED = "unsupported";

  private final String kind;

  private PeerError(String kind, String message) {
    // Routine flow control: no stack trace.
    super(message, null, false, false);
    this.kind = kind;
  }

  static PeerError invalidArgument(String message) {
    return new PeerError(INVALID_ARGUMENT, message);
  }

  static PeerError unsupported(String message) {
    return new PeerError(UNSUPPORTED, message);
  }

  String kind() {
    return kind;
  }
}
