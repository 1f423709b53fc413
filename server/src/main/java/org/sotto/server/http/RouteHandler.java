package org.sotto.server.http;

/**
 * Handles one matched request. Returns the response DTO (written as JSON with status 200), a {@link
 * Reply} for any other status or a raw body, or null for 204. Throws {@link ApiException} for
 * client errors.
 */
@FunctionalInterface
public interface RouteHandler {
  /** Handles {@code call}. */
  Object handle(Call call) throws Exception;
}
