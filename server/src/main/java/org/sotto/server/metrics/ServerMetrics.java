package org.sotto.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The server's Prometheus metrics: counts and timings only, never ids, handles or contents.
 * Thread-safe.
 */
public final class ServerMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Counter accepted;
  private final Counter delivered;
  private final Timer deliveryLatency;
  private final AtomicLong connected = new AtomicLong();
  private final ConcurrentHashMap<Integer, Counter> statuses = new ConcurrentHashMap<>();
  private final DistributionSummary envelopeBytes;
  private final LongSupplier droppedTotal;
  private volatile BooleanSupplier redisUp;

  /** Registers every meter; {@code queueDepth} and {@code droppedTotal} are read when scraped. */
  public ServerMetrics(LongSupplier queueDepth, LongSupplier droppedTotal) {
    accepted =
        Counter.builder("sotto.messages.accepted")
            .description("envelopes durably stored for delivery")
            .register(registry);
    delivered =
        Counter.builder("sotto.messages.delivered")
            .description("envelopes acknowledged by their destination device")
            .register(registry);
    this.droppedTotal = droppedTotal;
    // Micrometer holds function counters' state weakly: pass this object, which the registry's
    // owner keeps.
    io.micrometer.core.instrument.FunctionCounter.builder(
            "sotto.messages.dropped", this, m -> m.droppedTotal.getAsLong())
        .description("envelopes dropped because a queue was full or too old")
        .register(registry);
    deliveryLatency =
        Timer.builder("sotto.delivery.latency")
            .description("from durable commit to the destination device's ack")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(1))
            .register(registry);
    envelopeBytes =
        DistributionSummary.builder("sotto.envelope.bytes")
            .description("size of accepted envelope contents")
            .baseUnit("bytes")
            .register(registry);
    Gauge.builder("sotto.queue.depth", queueDepth::getAsLong)
        .description("envelopes waiting in device queues")
        .register(registry);
    Gauge.builder("sotto.devices.connected", connected::get)
        .description("devices with an open delivery WebSocket")
        .register(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics().bindTo(registry);
    new io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics().bindTo(registry);
  }

  /** {@code n} envelopes of {@code bytes} each were stored. */
  public void accepted(int n, int bytes) {
    accepted.increment(n);
    for (int i = 0; i < n; i++) {
      envelopeBytes.record(bytes);
    }
  }

  /** One envelope was acked, {@code latencyMs} after it was accepted. */
  public void delivered(long latencyMs) {
    delivered.increment();
    deliveryLatency.record(Duration.ofMillis(Math.max(0, latencyMs)));
  }

  /** A delivery WebSocket opened (+1) or closed (-1). */
  public void connected(int delta) {
    connected.addAndGet(delta);
  }

  /** The number of open delivery WebSockets. */
  public long connectedDevices() {
    return connected.get();
  }

  /** One HTTP response with {@code status}. */
  public void httpStatus(int status) {
    statuses
        .computeIfAbsent(
            status,
            s ->
                Counter.builder("sotto.http.responses")
                    .description("HTTP responses by status")
                    .tag("status", Integer.toString(s))
                    .register(registry))
        .increment();
  }

  /**
   * Cluster mode: exposes {@code sotto_redis_up} (1 while delivery events reach the other nodes, 0
   * while this node's sockets poll the store instead).
   */
  public void redis(BooleanSupplier up) {
    redisUp = up;
    Gauge.builder("sotto.redis.up", this, m -> m.redisUp.getAsBoolean() ? 1 : 0)
        .description("1 while Redis carries delivery events to and from this node")
        .register(registry);
  }

  /** Whether delivery fan-out works: null on a single node, else whether Redis is reachable. */
  public Boolean redisUp() {
    BooleanSupplier up = redisUp;
    return up == null ? null : up.getAsBoolean();
  }

  /** The Prometheus text exposition. */
  public String scrape() {
    return registry.scrape();
  }
}
