package org.sotto.client.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal WebSocket server that accepts any upgrade and sends, on the n-th connection, the n-th
 * list of binary payloads (unmasked, unfragmented, under 126 bytes), then holds the connection
 * open. Lets tests feed a client frames a real server never sends. For tests.
 */
final class FakeWebSocketServer implements AutoCloseable {
  private static final String WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  private final ServerSocket listener;
  private final List<List<byte[]>> script;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  FakeWebSocketServer(List<List<byte[]>> script) throws IOException {
    this.script = script;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  /** The base URI (http; the client derives ws:// from it). */
  URI uri() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** Connections accepted so far. */
  int connections() {
    return sockets.size();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket s = listener.accept();
        int n = sockets.size();
        sockets.add(s);
        Thread.ofVirtual().start(() -> serve(s, n < script.size() ? script.get(n) : List.of()));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket s, List<byte[]> frames) {
    try {
      InputStream in = s.getInputStream();
      String key = null;
      for (String line : readHead(in).split("\r\n")) {
        if (line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-key:")) {
          key = line.substring(line.indexOf(':') + 1).strip();
        }
      }
      String accept =
          Base64.getEncoder()
              .encodeToString(
                  MessageDigest.getInstance("SHA-1")
                      .digest((key + WS_GUID).getBytes(StandardCharsets.US_ASCII)));
      OutputStream out = s.getOutputStream();
      out.write(
          ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  + "Sec-WebSocket-Accept: "
                  + accept
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      for (byte[] payload : frames) {
        out.write(0x82); // FIN + binary
        out.write(payload.length);
        out.write(payload);
      }
      out.flush();
      // Hold the connection; the client's frames are ignored.
      while (in.read() >= 0) {}
    } catch (Exception e) {
      // the client went away
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      head.write(c);
      String h = head.toString(StandardCharsets.US_ASCII);
      if (h.endsWith("\r\n\r\n")) {
        return h;
      }
    }
    throw new IOException("no request head");
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
