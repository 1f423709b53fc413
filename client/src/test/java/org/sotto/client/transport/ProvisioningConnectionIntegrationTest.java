package org.sotto.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.sotto.client.transport.Fixtures.Device;
import org.sotto.server.testing.TestServer;

/** {@link ProvisioningConnection} and the relay through a real in-process server. */
class ProvisioningConnectionIntegrationTest {
  @Test
  void relay_fromExistingDevice_reachesWaitingNewDevice() throws Exception {
    try (TestServer server = TestServer.start()) {
      ServerApi api = ServerApi.create(server.uri());
      Device alice = Fixtures.register(api, null);
      byte[] body =
          "encrypted provisioning message".getBytes(java.nio.charset.StandardCharsets.UTF_8);

      try (ProvisioningConnection newDevice = ProvisioningConnection.open(api)) {
        assertFalse(newDevice.address().isEmpty());
        assertThrows(TimeoutException.class, () -> newDevice.awaitMessage(Duration.ofMillis(50)));

        alice.api().sendProvisioningMessage(newDevice.address(), body);

        assertArrayEquals(body, newDevice.awaitMessage(Duration.ofSeconds(10)));
      }
    }
  }

  @Test
  void relay_toAddressNobodyWaitsOn_throws404() throws Exception {
    try (TestServer server = TestServer.start()) {
      ServerApi api = ServerApi.create(server.uri());
      Device alice = Fixtures.register(api, null);

      HttpStatusException e =
          assertThrows(
              HttpStatusException.class,
              () -> alice.api().sendProvisioningMessage("AAAAAAAAAAAAAAAAAAAAAA", new byte[] {1}));

      assertEquals(404, e.status());
    }
  }
}
