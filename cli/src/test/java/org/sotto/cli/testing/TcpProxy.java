package org.sotto.cli.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fail-over TCP front for tests, standing in for the load balancer before a cluster: listens on a
 * free loopback port and pipes each accepted connection to the first of its backends that accepts
 * one, in order; a backend that is down is skipped. A connection ends on both sides when either
 * side ends it, so a killed backend drops its clients, who reconnect through the front to the next
 * backend. Records which backend each connection went to. Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {
  /** Time allowed to connect to one backend before trying the next (all are on loopback). */
  static final int CONNECT_TIMEOUT_MILLIS = 1_000;

  /** Bytes copied per read. */
  static final int BUFFER_BYTES = 16 * 1024;

  private final ServerSocket listener;
  private final List<URI> backends;
  private final List<URI> chosen = new CopyOnWriteArrayList<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private TcpProxy(ServerSocket listener, List<URI> backends) {
    this.listener = listener;
    this.backends = List.copyOf(backends);
  }

  /** Starts a front for {@code backends} (http URIs with host and port), tried in this order. */
  public static TcpProxy start(List<URI> backends) throws IOException {
    TcpProxy p = new TcpProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), backends);
    Thread.ofPlatform().daemon().name("tcp-proxy").start(p::acceptLoop);
    return p;
  }

  /** The front's URI (http, loopback, its port). */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + listener.getLocalPort());
  }

  /** The backend each accepted connection went to, in order of acceptance. */
  public List<URI> chosen() {
    return List.copyOf(chosen);
  }

  private void acceptLoop() {
    while (!closed) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      Thread.ofVirtual().start(() -> forward(client));
    }
  }

  private void forward(Socket client) {
    open.add(client);
    for (URI b : backends) {
      Socket server = new Socket();
      try {
        server.connect(new InetSocketAddress(b.getHost(), b.getPort()), CONNECT_TIMEOUT_MILLIS);
      } catch (IOException e) {
        quietly(server);
        continue; // down: the next one
      }
      chosen.add(b);
      open.add(server);
      Thread.ofVirtual().start(() -> pipe(client, server));
      pipe(server, client);
      return;
    }
    quietly(client); // no backend is up
  }

  /** Copies {@code from} to {@code to} until either ends, then closes both. */
  private void pipe(Socket from, Socket to) {
    byte[] buf = new byte[BUFFER_BYTES];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // One side ended; end both below.
    } finally {
      quietly(from);
      quietly(to);
    }
  }

  private void quietly(Socket s) {
    open.remove(s);
    try {
      s.close();
    } catch (IOException e) {
      // Already closed.
    }
  }

  /** Stops accepting and ends every open connection. */
  @Override
  public void close() throws IOException {
    closed = true;
    listener.close();
    for (Socket s : open) {
      quietly(s);
    }
  }
}
