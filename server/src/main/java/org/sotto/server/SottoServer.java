package org.sotto.server;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.server.accounts.AccountRoutes;
import org.sotto.server.accounts.DeviceRoutes;
import org.sotto.server.accounts.ProfileRoutes;
import org.sotto.server.attachments.AttachmentJanitor;
import org.sotto.server.attachments.AttachmentManager;
import org.sotto.server.attachments.AttachmentRoutes;
import org.sotto.server.auth.Authenticator;
import org.sotto.server.auth.ProofOfWork;
import org.sotto.server.certs.CertificateRoutes;
import org.sotto.server.certs.ServerKeys;
import org.sotto.server.cluster.Cluster;
import org.sotto.server.http.JsonErrorHandler;
import org.sotto.server.http.OpenApi;
import org.sotto.server.http.Route;
import org.sotto.server.http.Router;
import org.sotto.server.http.SystemRoutes;
import org.sotto.server.keys.KeyRoutes;
import org.sotto.server.limits.SharedBuckets;
import org.sotto.server.messages.DeliveryEndpoints;
import org.sotto.server.messages.LocalMessageBus;
import org.sotto.server.messages.MessageBus;
import org.sotto.server.messages.MessageLimits;
import org.sotto.server.messages.MessageRoutes;
import org.sotto.server.messages.QueueJanitor;
import org.sotto.server.metrics.ServerMetrics;
import org.sotto.server.provisioning.ProvisioningHub;
import org.sotto.server.provisioning.ProvisioningRoutes;
import org.sotto.server.store.AccountStore;
import org.sotto.server.store.DeviceStore;
import org.sotto.server.store.InviteStore;
import org.sotto.server.store.KeyStore;
import org.sotto.server.store.MessageStore;
import org.sotto.server.store.Stores;

/**
 * One running server: stores, routes and the Jetty server, wired by hand (no DI container). Start
 * with {@link #start(ServerConfig)}; {@link #close()} stops accepting, finishes in-flight requests
 * and commits, then closes the database. Thread-safe.
 */
public final class SottoServer implements AutoCloseable {
  /** In-flight requests get this long to finish on shutdown before connections are cut. */
  static final long STOP_TIMEOUT_MS = 10_000;

  /**
   * Pending TCP connections the kernel may queue for us: after a restart every device reconnects at
   * once, and the default of 50 made connects time out in the idle-connections benchmark.
   */
  static final int ACCEPT_QUEUE = 4096;

  /** Jetty's platform threads for selectors and acceptors; handlers run on virtual threads. */
  static final int MAX_PLATFORM_THREADS = 64;

  private static final Logger log = LoggerFactory.getLogger(SottoServer.class);

  private final ServerConfig config;
  private final Stores db;
  private final Server jetty;
  private final Router router;
  private final ServerMetrics metrics;
  private final AttachmentJanitor janitor;
  private final QueueJanitor queueJanitor;
  private final Cluster cluster;

  private SottoServer(
      ServerConfig config,
      Stores db,
      Server jetty,
      Router router,
      ServerMetrics metrics,
      AttachmentJanitor janitor,
      QueueJanitor queueJanitor,
      Cluster cluster) {
    this.config = config;
    this.db = db;
    this.jetty = jetty;
    this.router = router;
    this.metrics = metrics;
    this.janitor = janitor;
    this.queueJanitor = queueJanitor;
    this.cluster = cluster;
  }

  /** Opens the data folder and starts serving; refuses insecure non-loopback binds. */
  public static SottoServer start(ServerConfig config) throws Exception {
    return start(config, MessageLimits.DEFAULT);
  }

  /** Same, with other queue limits (tests use small ones). */
  public static SottoServer start(ServerConfig config, MessageLimits messageLimits)
      throws Exception {
    checkBind(config);
    Clock clock = Clock.systemUTC();
    // DRBG (NIST SP 800-90A, seeded from the OS): thread-safe and in-process, where the default
    // NativePRNG
    // reads the OS source under a lock on every call (one call per envelope guid).
    SecureRandom random = SecureRandom.getInstance("DRBG");
    Stores db = Stores.open(config);
    Cluster cluster = null;
    try {
      AccountStore accounts = db.accounts();
      DeviceStore devices = db.devices();
      KeyStore keys = db.keys();
      InviteStore invites = db.invites();
      MessageStore messages = db.messages();
      ServerMetrics metrics = new ServerMetrics(db.queueDepth(), db.droppedTotal());
      Authenticator authenticator = new Authenticator(devices, accounts, clock);
      if (config.clustered()) {
        cluster =
            Cluster.start(
                config.redisUrl(),
                config.nodeId(),
                authenticator,
                metrics,
                Executors.newVirtualThreadPerTaskExecutor());
      }
      MessageBus bus = cluster != null ? cluster.bus() : new LocalMessageBus();
      ProvisioningHub provisioningHub =
          cluster != null
              ? new ProvisioningHub(random, cluster.provisioningRelay())
              : new ProvisioningHub(random);
      ProofOfWork pow =
          cluster != null
              ? new ProofOfWork(config.powBits(), random, clock, cluster.challenges())
              : new ProofOfWork(config.powBits(), random, clock);
      SharedBuckets buckets = cluster != null ? cluster.buckets() : null;
      ServerKeys serverKeys = db.serverKeys().load(random);
      AttachmentManager attachments =
          new AttachmentManager(
              db.attachments(), config.dataDir(), config.maxAttachmentBytes(), random, clock);

      List<Route> routes = new ArrayList<>();
      routes.addAll(new SystemRoutes(metrics).routes());
      routes.addAll(
          new AccountRoutes(
                  accounts,
                  invites,
                  pow,
                  config.inviteOnly(),
                  config.registrationsPerHour(),
                  authenticator,
                  random,
                  clock,
                  bus::accountDeleted,
                  buckets)
              .routes());
      routes.addAll(
          new DeviceRoutes(
                  accounts,
                  devices,
                  random,
                  clock,
                  config.registrationsPerHour(),
                  device -> {
                    authenticator.forget(device);
                    bus.removed(device);
                  },
                  buckets)
              .routes());
      routes.addAll(new KeyRoutes(accounts, devices, keys, clock, buckets).routes());
      routes.addAll(new ProfileRoutes(accounts).routes());
      routes.addAll(new AttachmentRoutes(attachments).routes());
      routes.addAll(new CertificateRoutes(serverKeys, config, accounts, random, clock).routes());
      MessageRoutes messageRoutes =
          new MessageRoutes(
              accounts, devices, messages, bus, metrics, messageLimits, random, clock);
      routes.addAll(messageRoutes.routes());
      ProvisioningRoutes provisioning = new ProvisioningRoutes(provisioningHub);
      routes.addAll(provisioning.routes());
      OpenApi openApi = new OpenApi();
      routes.add(openApi.route());
      Router router = new Router(routes, authenticator, metrics);
      openApi.describe(router.routes());
      DeliveryEndpoints delivery =
          new DeliveryEndpoints(
              authenticator,
              messages,
              bus,
              metrics,
              Executors.newVirtualThreadPerTaskExecutor(),
              clock,
              messageRoutes);

      QueuedThreadPool threads = new QueuedThreadPool(MAX_PLATFORM_THREADS);
      threads.setName("jetty");
      threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
      Server jetty = new Server(threads);
      jetty.setStopTimeout(STOP_TIMEOUT_MS);
      jetty.setStopAtShutdown(false);
      jetty.setErrorHandler(new JsonErrorHandler(metrics));
      ServerConnector connector = Tls.connector(jetty, config);
      connector.setHost(config.host());
      connector.setPort(config.port());
      connector.setAcceptQueueSize(ACCEPT_QUEUE);

      jetty.addConnector(connector);
      // WebSocket upgrades are answered in front of the router; every other request passes on.
      WebSocketUpgradeHandler sockets =
          WebSocketUpgradeHandler.from(
              jetty,
              container -> {
                delivery.configure(container);
                provisioning.configure(container);
              });
      sockets.setHandler(router);
      Handler handler = sockets;
      GracefulHandler graceful = new GracefulHandler(handler);
      jetty.setHandler(graceful);
      jetty.start();
      QueueJanitor queueJanitor = QueueJanitor.start(messages, messageLimits, clock);
      SottoServer server =
          new SottoServer(
              config,
              db,
              jetty,
              router,
              metrics,
              AttachmentJanitor.start(attachments),
              queueJanitor,
              cluster);
      log.info("listening on {}", server.uri());
      return server;
    } catch (Exception | Error e) {
      if (cluster != null) {
        cluster.close();
      }
      db.close();
      throw e;
    }
  }

  /** Refuses plain HTTP on a non-loopback address unless a TLS proxy is declared in front. */
  static void checkBind(ServerConfig config) throws UnknownHostException {
    if (config.tls() || config.insecureBehindProxy()) {
      return;
    }
    for (InetAddress a : InetAddress.getAllByName(config.host())) {
      if (!a.isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "refusing to serve plain HTTP on the non-loopback address "
                + config.host()
                + ": give --tls-cert and --tls-key, or --insecure-behind-proxy if a TLS proxy is in front");
      }
    }
  }

  /** The base URI, with the real port when 0 was asked for. */
  public URI uri() {
    Connector c = jetty.getConnectors()[0];
    int port = ((ServerConnector) c).getLocalPort();
    String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
    return URI.create((config.tls() ? "https" : "http") + "://" + host + ":" + port);
  }

  /** The routes served (for the OpenAPI document and tests). */
  public List<Route> routes() {
    return router.routes();
  }

  /** The metrics. */
  public ServerMetrics metrics() {
    return metrics;
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    jetty.join();
  }

  /** Stops accepting, lets in-flight requests and commits finish, closes the database. */
  @Override
  public void close() {
    janitor.close();
    queueJanitor.close();
    try {
      jetty.stop();
    } catch (Exception e) {
      log.warn("stopping the HTTP server failed: {}", e.getClass().getSimpleName());
    }
    if (cluster != null) {
      cluster.close();
    }
    db.close();
  }
}
