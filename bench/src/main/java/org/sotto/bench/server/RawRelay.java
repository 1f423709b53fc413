package org.sotto.bench.server;

import java.security.SecureRandom;

/**
 * The raw relay rate of one sender/recipient pair through a Sotto server, without the client SDK:
 * {@code relay_durable}'s closed loop (see {@link RelayLoad}) with a single pair, the baseline of
 * {@code bench/run client}'s {@code sdk_end_to_end}. Stateless.
 */
public final class RawRelay {
  private RawRelay() {}

  /**
   * Registers two bench accounts on {@code server} and returns the payloads per second one of them
   * relays to the other over {@code seconds}, after {@code warmupSeconds} of the same load.
   */
  public static double onePairPerSecond(ServerProcess server, double warmupSeconds, double seconds)
      throws Exception {
    BenchAccounts accounts = BenchAccounts.generate(new SecureRandom());
    try (SottoRelay r = new SottoRelay(server.uri(), accounts)) {
      RelayLoad load = new RelayLoad(1);
      r.open(1, load.delivery());
      RelayLoad.Throughput t =
          load.closedLoop(
              r,
              warmupSeconds,
              seconds,
              () -> {
                server.checkAlive();
                r.checkSockets();
              });
      Progress.log(
          "  raw relay, one pair: %d delivered in %.2f s = %.0f/s",
          t.delivered(), t.seconds(), t.perSecond());
      if (t.delivered() == 0) {
        throw new IllegalStateException("the raw relay delivered nothing in the measured time");
      }
      return t.perSecond();
    }
  }
}
