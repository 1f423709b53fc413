package org.sotto.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.regex.Pattern;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Json;

/**
 * {@link Json#read} on any bytes, as every request type the routes parse: it returns a value that
 * writes and reads back to the same JSON, or throws a 4xx {@link ApiException} with a code and a
 * short printable message. Any other exception (or a 5xx) would be a 500 for the client: a bug.
 */
class JsonRequestFuzzTest {
  /** Error messages name a field and a rule; anything longer is probably quoting input. */
  private static final int MAX_MESSAGE_CHARS = 200;

  /** Printable ASCII (and the ellipsis Json uses to cut field names): no raw input bytes. */
  private static final Pattern PRINTABLE = Pattern.compile("[\\x20-\\x7e…]+");

  @FuzzTest
  void read_anyBytesAsEveryRequestType_returnsRoundTrippingValueOrThrows4xx(byte[] input) {
    for (Class<?> type : RequestTypes.ALL) {
      Object value;
      try {
        value = Json.read(input, type);
      } catch (ApiException e) {
        assertTrue(e.status() >= 400 && e.status() < 500, type + ": status " + e.status());
        assertNotNull(e.code(), type.getSimpleName());
        assertNotNull(e.getMessage(), type.getSimpleName());
        assertTrue(e.getMessage().length() <= MAX_MESSAGE_CHARS, e.getMessage());
        assertTrue(PRINTABLE.matcher(e.getMessage()).matches(), e.getMessage());
        continue;
      }
      assertTrue(type.isInstance(value), type.getSimpleName());
      byte[] written = Json.write(value);
      assertArrayEquals(written, Json.write(Json.read(written, type)), type.getSimpleName());
    }
  }
}
