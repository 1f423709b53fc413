package org.sotto.server.attachments;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sotto.server.http.ApiException;

/**
 * One satisfiable byte range of a resource, both ends inclusive, parsed from a {@code Range} header
 * ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}). Immutable.
 *
 * <p>A header in another unit is ignored (the whole resource is sent, as RFC 9110 asks). A {@code
 * bytes} header that is malformed, asks for several ranges (not supported) or cannot be satisfied
 * is answered with 416 and {@code Content-Range: bytes *}{@code /length}.
 */
record ByteRange(long first, long last) {
  /** At most 18 digits, so positions never overflow a long. */
  private static final Pattern SPEC = Pattern.compile("(\\d{1,18})?-(\\d{1,18})?");

  private static final String UNIT = "bytes=";

  /** Bytes in this range. */
  long length() {
    return last - first + 1;
  }

  /** The Content-Range value for a resource of {@code total} bytes. */
  String contentRange(long total) {
    return "bytes " + first + "-" + last + "/" + total;
  }

  /**
   * The range {@code header} asks for in a resource of {@code total} (> 0) bytes; empty for the
   * whole resource.
   */
  static Optional<ByteRange> parse(String header, long total) {
    if (header == null) {
      return Optional.empty();
    }
    String h = header.strip();
    if (!h.regionMatches(true, 0, UNIT, 0, UNIT.length())) {
      return Optional.empty();
    }
    Matcher m = SPEC.matcher(h.substring(UNIT.length()).strip());
    if (!m.matches() || (m.group(1) == null && m.group(2) == null)) {
      throw unsatisfiable(total, "malformed or multiple ranges");
    }
    if (m.group(1) == null) {
      long suffix = Long.parseLong(m.group(2));
      if (suffix == 0) {
        throw unsatisfiable(total, "empty suffix range");
      }
      return Optional.of(new ByteRange(Math.max(0, total - suffix), total - 1));
    }
    long first = Long.parseLong(m.group(1));
    long last = m.group(2) == null ? total - 1 : Long.parseLong(m.group(2));
    if (last < first) {
      throw unsatisfiable(total, "the range ends before it starts");
    }
    if (first >= total) {
      throw unsatisfiable(total, "the range starts beyond the end");
    }
    return Optional.of(new ByteRange(first, Math.min(last, total - 1)));
  }

  private static ApiException unsatisfiable(long total, String why) {
    return new ApiException(
        416, "range_not_satisfiable", why, null, Map.of("Content-Range", "bytes */" + total));
  }
}
