package org.sotto.client.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP proxy to a server that, once, breaks the connection after a given number of bytes
 * have gone upstream in total: a network failure in the middle of a request body. For tests.
 */
final class CuttingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final URI target;
  private final AtomicLong upstreamBytes = new AtomicLong();
  private final AtomicBoolean cut = new AtomicBoolean();
  private volatile long cutAfter;

  /** A proxy to {@code target} that cuts once after {@code cutAfter} upstream bytes. */
  CuttingProxy(URI target, long cutAfter) throws IOException {
    this.target = target;
    this.cutAfter = cutAfter;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread.ofVirtual().start(this::accept);
  }

  /** The proxy's base URI. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** Cuts (again) once {@code moreBytes} more have gone upstream, counting from now. */
  void cutAfterMore(long moreBytes) {
    cutAfter = upstreamBytes.get() + moreBytes;
    cut.set(false);
  }

  /** Whether the cut has happened. */
  boolean didCut() {
    return cut.get();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        Socket server = new Socket(target.getHost(), target.getPort());
        Thread.ofVirtual().start(() -> pump(client, server, true));
        Thread.ofVirtual().start(() -> pump(server, client, false));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, boolean upstream) {
    byte[] buf = new byte[8192];
    try (from;
        to) {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
        out.flush();
        if (upstream && upstreamBytes.addAndGet(n) > cutAfter && cut.compareAndSet(false, true)) {
          return; // closes both sides mid-request
        }
      }
    } catch (IOException e) {
      // the other direction closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
  }
}
