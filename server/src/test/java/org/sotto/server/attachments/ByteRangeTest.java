package org.sotto.server.attachments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sotto.server.http.ApiException;

class ByteRangeTest {
  @Test
  void parse_noHeaderOrOtherUnit_wholeResource() {
    assertTrue(ByteRange.parse(null, 100).isEmpty());
    assertTrue(ByteRange.parse("items=0-5", 100).isEmpty());
  }

  @Test
  void parse_closedRange_inclusiveEnds() {
    assertEquals(Optional.of(new ByteRange(10, 19)), ByteRange.parse("bytes=10-19", 100));
    assertEquals(10, ByteRange.parse("bytes=10-19", 100).orElseThrow().length());
    assertEquals("bytes 10-19/100", new ByteRange(10, 19).contentRange(100));
  }

  @Test
  void parse_openRangeAndLastPastEnd_clampedToEnd() {
    assertEquals(Optional.of(new ByteRange(90, 99)), ByteRange.parse("bytes=90-", 100));
    assertEquals(Optional.of(new ByteRange(90, 99)), ByteRange.parse("bytes=90-500", 100));
  }

  @Test
  void parse_suffix_lastBytesOrWhole() {
    assertEquals(Optional.of(new ByteRange(95, 99)), ByteRange.parse("bytes=-5", 100));
    assertEquals(Optional.of(new ByteRange(0, 99)), ByteRange.parse("bytes=-500", 100));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "bytes=100-",
        "bytes=150-160",
        "bytes=5-4",
        "bytes=-0",
        "bytes=-",
        "bytes=a-b",
        "bytes=0-1,5-6",
        "bytes=-1-2",
        "bytes=1234567890123456789-"
      })
  void parse_unsatisfiableOrMalformed_throws416WithContentRange(String header) {
    ApiException e = assertThrows(ApiException.class, () -> ByteRange.parse(header, 100));
    assertEquals(416, e.status());
    assertEquals("bytes */100", e.headers().get("Content-Range"));
  }
}
