package org.sotto.bench.server;

/**
 * One side of the relay comparison: something that carries payloads from sender {@code i} to
 * recipient {@code i} for a number of pairs, Sotto's server or Redis pub/sub. {@link #send} is
 * called by one thread per pair at a time; deliveries are reported from the relay's own threads.
 */
interface Relay extends AutoCloseable {
  /** Receives each payload on the recipient's side; must be quick and thread-safe. */
  @FunctionalInterface
  interface Delivery {
    /** {@code payload} arrived at recipient {@code pair}. */
    void delivered(int pair, byte[] payload);
  }

  /** The name printed in progress lines. */
  String name();

  /**
   * Connects {@code pairs} senders and recipients; returns once every recipient is connected and
   * listening. Deliveries go to {@code delivery}.
   */
  void open(int pairs, Delivery delivery) throws Exception;

  /**
   * Sends one payload from sender {@code pair} to its recipient and returns once the relay has
   * accepted it (Sotto: the HTTP 200 after the durable commit; Redis: the PUBLISH reply).
   */
  void send(int pair, byte[] payload) throws Exception;

  /** Disconnects everything. */
  @Override
  void close() throws Exception;
}
