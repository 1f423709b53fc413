package org.sotto.server;

import java.io.PrintStream;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a server until the process is asked to stop (SIGTERM/SIGINT): then it stops accepting
 * connections, lets in-flight requests and their commits finish, and closes the database. The CLI's
 * {@code sotto server} verb is the front door; this class only runs what it was given.
 */
public final class ServerMain {
  private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

  private ServerMain() {}

  /**
   * Starts a server for {@code config}, prints {@code listening on <uri>} to {@code out} once it
   * accepts requests, and blocks until shutdown completes.
   */
  public static void run(ServerConfig config, PrintStream out) throws Exception {
    SottoServer server = SottoServer.start(config);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              log.info("shutting down");
              server.close();
              stopped.countDown();
            },
            "sotto-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    out.println("listening on " + server.uri());
    out.flush();
    stopped.await();
  }
}
