package org.sotto.server.fuzz;

import java.util.List;
import org.sotto.server.http.Route;
import org.sotto.server.testing.TestServer;

/**
 * The real route table, taken from a server started once per JVM (and stopped when the JVM exits),
 * so fuzz targets cover routes added later without changes. Thread-safe.
 */
final class FuzzServer {
  private static final class Holder {
    static final List<Route> ROUTES = start();
  }

  private FuzzServer() {}

  static List<Route> routes() {
    return Holder.ROUTES;
  }

  private static List<Route> start() {
    try {
      TestServer server = TestServer.start();
      List<Route> routes = server.server().routes();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      server.close();
                    } catch (Exception e) {
                      // the JVM is exiting; the temporary folder is all that may be left
                    }
                  }));
      return routes;
    } catch (Exception e) {
      throw new AssertionError("cannot start the fuzz server", e);
    }
  }
}
