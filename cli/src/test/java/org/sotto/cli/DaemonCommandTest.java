package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.sotto.cli.account.CommandException;

/** Parsing and guarding {@code daemon --http HOST:PORT}. */
class DaemonCommandTest {
  @Test
  void bindAddress_loopbackForms_areAccepted() throws Exception {
    InetSocketAddress v4 = DaemonCommand.bindAddress("127.0.0.1:8080", false);
    InetSocketAddress v6 = DaemonCommand.bindAddress("[::1]:0", false);
    InetSocketAddress named = DaemonCommand.bindAddress("localhost:9", false);

    assertEquals(8080, v4.getPort());
    assertTrue(v4.getAddress().isLoopbackAddress());
    assertTrue(v6.getAddress().isLoopbackAddress());
    assertEquals(0, v6.getPort());
    assertTrue(named.getAddress().isLoopbackAddress());
  }

  @Test
  void bindAddress_nonLoopback_needsAllowRemote() throws Exception {
    CommandException.UserError e =
        assertThrows(
            CommandException.UserError.class,
            () -> DaemonCommand.bindAddress("0.0.0.0:8080", false));
    assertTrue(e.getMessage().contains("--allow-remote"), e.getMessage());

    assertEquals(8080, DaemonCommand.bindAddress("0.0.0.0:8080", true).getPort());
  }

  @Test
  void bindAddress_malformed_isAUserError() {
    for (String bad : new String[] {"8080", ":8080", "127.0.0.1:", "127.0.0.1:http", "h:70000"}) {
      assertThrows(
          CommandException.UserError.class, () -> DaemonCommand.bindAddress(bad, false), bad);
    }
  }
}
