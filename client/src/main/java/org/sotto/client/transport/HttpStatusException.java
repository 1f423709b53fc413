package org.sotto.client.transport;

import java.time.Duration;
import java.util.Optional;

/**
 * The server answered with an error status. {@link #code()} is the server's stable machine code
 * ({@code "handle_taken"}, {@code "rate_limited"}, …; {@code "unknown"} if the body had none). The
 * message names the operation, the status, the code and the server's message (which carries no user
 * data by the server's contract), never the request's path or body. Immutable.
 */
public final class HttpStatusException extends TransportException {
  private static final long serialVersionUID = 1L;

  /** The code used when the server's error body could not be read. */
  public static final String UNKNOWN_CODE = "unknown";

  private final int status;
  private final String code;
  private final Duration retryAfter;

  HttpStatusException(
      String operation, int status, String code, String serverMessage, Duration retryAfter) {
    super(
        operation
            + ": HTTP "
            + status
            + " ("
            + code
            + ")"
            + (serverMessage == null || serverMessage.isEmpty() ? "" : ": " + serverMessage),
        null);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }

  /** The HTTP status. */
  public int status() {
    return status;
  }

  /** The server's error code. */
  public String code() {
    return code;
  }

  /** How long the server asked to wait (429), if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
