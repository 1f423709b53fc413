package org.sotto.bench.server;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A helper process of the {@code idle_connections} figure that holds a share of the idle WebSockets
 * (one process may not have more than 20,000 open files on the bench machine, so the client side is
 * split over several). Protocol on stdin/stdout, one line each:
 *
 * <pre>
 * stdin:  account lines ({@link BenchAccount#line()}), then "go"
 * stdout: "ready N" once all N sockets are ready, or "failed REASON" (then it exits with 1)
 * stdin:  "count" → stdout: "open N [first close reason]"; "close" or end of input → exits
 * </pre>
 */
public final class IdleHolder {
  private IdleHolder() {}

  /** {@code IdleHolder SERVER_URI}. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: IdleHolder SERVER_URI   (account lines and commands on stdin)");
      System.exit(2);
    }
    URI server = URI.create(args[0]);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    List<BenchAccount> accounts = new ArrayList<>();
    for (String line; (line = in.readLine()) != null && !line.equals("go"); ) {
      accounts.add(BenchAccount.parse(line));
    }
    IdleSockets sockets;
    try {
      sockets = IdleSockets.open(server, accounts);
    } catch (Exception e) {
      System.out.println("failed " + e);
      System.out.flush();
      System.exit(1);
      return;
    }
    System.out.println("ready " + accounts.size());
    System.out.flush();
    for (String line; (line = in.readLine()) != null && !line.equals("close"); ) {
      if (line.equals("count")) {
        String reason = sockets.firstCloseReason();
        System.out.println("open " + sockets.openCount() + (reason == null ? "" : " " + reason));
        System.out.flush();
      }
    }
    sockets.close();
    System.exit(0);
  }
}
