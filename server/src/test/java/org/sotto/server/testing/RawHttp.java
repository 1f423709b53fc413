package org.sotto.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.sotto.server.http.Json;

/**
 * HTTP/1.1 over a plain socket, one request per connection, for requests no well-behaved client
 * would send: ambiguous or encoded paths, broken request lines, wrong framing. Sends exactly the
 * bytes given and reads the response to EOF. Thread-safe (stateless apart from the target).
 */
public final class RawHttp {
  /** A response never takes this long on loopback; a hang is a failure, not a wait. */
  private static final int READ_TIMEOUT_MS = 15_000;

  private final String host;
  private final int port;

  /** A raw client for the server at {@code base}. */
  public RawHttp(URI base) {
    this.host = base.getHost();
    this.port = base.getPort();
  }

  /** A parsed response; headers are keyed in lower case. */
  public record Response(int status, Map<String, String> headers, byte[] body) {
    /** The body as JSON, or null if it is not JSON. */
    public JsonNode jsonOrNull() {
      try {
        return Json.mapper().readTree(body);
      } catch (IOException e) {
        return null;
      }
    }

    /** The body as text. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /**
   * Sends {@code method target} with {@code headers} and {@code body} (null for none; a
   * Content-Length is added unless the headers name one or a Transfer-Encoding) and reads the
   * response.
   */
  public Response request(String method, String target, Map<String, String> headers, byte[] body) {
    StringBuilder head = new StringBuilder();
    head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    head.append("Host: ").append(host).append(':').append(port).append("\r\n");
    head.append("Connection: close\r\n");
    boolean framed = false;
    for (var h : headers.entrySet()) {
      head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
      String k = h.getKey().toLowerCase(Locale.ROOT);
      framed |= k.equals("content-length") || k.equals("transfer-encoding");
    }
    if (body != null && !framed) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = body == null ? h : concat(h, body);
    return exchange(all, method.equals("HEAD"));
  }

  /** Sends {@code bytes} as they are and reads the response. */
  public Response exchange(byte[] bytes) {
    return exchange(bytes, false);
  }

  private Response exchange(byte[] bytes, boolean head) {
    try (Socket s = new Socket(host, port)) {
      s.setSoTimeout(READ_TIMEOUT_MS);
      OutputStream out = s.getOutputStream();
      try {
        out.write(bytes);
        out.flush();
      } catch (IOException e) {
        // The server may answer (413, 400) and close before reading everything: read the answer.
      }
      return parse(readAll(s.getInputStream(), head), head);
    } catch (IOException e) {
      throw new UncheckedIOException("no HTTP response", e);
    }
  }

  private static byte[] readAll(InputStream in, boolean head) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    try {
      for (int n; !complete(buf.toByteArray(), head) && (n = in.read(chunk)) >= 0; ) {
        buf.write(chunk, 0, n);
      }
    } catch (IOException e) {
      if (buf.size() == 0) {
        throw e; // reset before any answer
      }
    }
    return buf.toByteArray();
  }

  /** Whether {@code raw} holds a whole response (so a kept-alive connection need not close). */
  private static boolean complete(byte[] raw, boolean head) {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      return false;
    }
    if (head) {
      return true; // a HEAD response has headers only
    }
    String fields = new String(raw, 0, end, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
    for (String line : fields.split("\r\n")) {
      if (line.startsWith("content-length:")) {
        return raw.length - end - 4 >= Integer.parseInt(line.substring(15).strip());
      }
      if (line.startsWith("transfer-encoding:") && line.contains("chunked")) {
        byte[] tail = Arrays.copyOfRange(raw, Math.max(end + 4, raw.length - 5), raw.length);
        return new String(tail, StandardCharsets.ISO_8859_1).equals("0\r\n\r\n");
      }
    }
    return false; // no framing: the body ends when the server closes
  }

  private static Response parse(byte[] raw, boolean head) {
    int end = indexOf(raw, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    if (end < 0) {
      throw new IllegalStateException("not an HTTP response: " + raw.length + " bytes");
    }
    String[] lines = new String(raw, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (!statusLine[0].startsWith("HTTP/1.")) {
      throw new IllegalStateException("not an HTTP status line");
    }
    int status = Integer.parseInt(statusLine[1]);
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(
          lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
          lines[i].substring(colon + 1).strip());
    }
    byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
    if (head) {
      body = new byte[0];
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      body = dechunk(body);
    } else if (headers.containsKey("content-length")) {
      int length = Integer.parseInt(headers.get("content-length"));
      if (body.length < length) {
        throw new IllegalStateException("truncated body: " + body.length + " < " + length);
      }
      body = Arrays.copyOf(body, length);
    }
    return new Response(status, headers, body);
  }

  private static byte[] dechunk(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int pos = 0;
    while (true) {
      int lineEnd = indexOf(Arrays.copyOfRange(in, pos, in.length), new byte[] {'\r', '\n'});
      if (lineEnd < 0) {
        throw new IllegalStateException("truncated chunked body");
      }
      String sizeText = new String(in, pos, lineEnd, StandardCharsets.ISO_8859_1);
      int size = Integer.parseInt(sizeText.split(";")[0].strip(), 16);
      pos += lineEnd + 2;
      if (size == 0) {
        return out.toByteArray();
      }
      out.write(in, pos, size);
      pos += size + 2;
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
