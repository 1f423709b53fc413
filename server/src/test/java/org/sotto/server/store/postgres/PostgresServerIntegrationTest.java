package org.sotto.server.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.proto.Envelope;
import org.sotto.server.certs.ServerKeys;
import org.sotto.server.testing.PostgresTestDatabase;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;
import org.sotto.server.testing.TestSocket;

/** A whole server on PostgreSQL: registration, a relayed message, its ack. */
class PostgresServerIntegrationTest {
  @Test
  void relay_aliceToBobOnPostgres_deliversOnceAndAckEmptiesTheQueue() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        TestServer server = TestServer.startOnPostgres(database)) {
      TestClient client = server.client();
      TestDevice alice = client.register(null);
      TestDevice bob = client.register(null);
      var req =
          new SendMessagesRequest(
              List.of(
                  new OutgoingMessage(
                      1,
                      bob.address.device().value(),
                      bob.registrationId,
                      "hello over postgres".getBytes(StandardCharsets.UTF_8))),
              System.currentTimeMillis());
      var sent = client.call("PUT", "/v1/messages/" + bob.account(), req, alice);
      assertEquals(200, sent.status(), sent.text());
      try (TestSocket socket = TestSocket.delivery(server.uri(), bob)) {
        List<Envelope> got = socket.untilQueueEmpty();
        assertEquals(1, got.size());
        assertEquals("hello over postgres", got.get(0).getContent().toStringUtf8());
        assertEquals(alice.account().toString(), got.get(0).getSourceAccount());
        socket.ack(got);
      }
      // The ack is durable: a new connection finds the queue empty.
      try (TestSocket socket = TestSocket.delivery(server.uri(), bob)) {
        assertEquals(List.of(), socket.untilQueueEmpty());
      }
      // Keys live in the database, not in the node's data folder.
      assertTrue(Files.notExists(server.dataDir().resolve(ServerKeys.DIRECTORY)));
    }
  }

  @Test
  void databaseDown_requestsAnswer503_thenSucceedOnceItIsBack() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        TestServer server = TestServer.startOnPostgres(database)) {
      TestClient client = server.client();
      TestDevice alice = client.register(null);
      assertEquals(200, client.call("GET", "/v1/keys/count", null, alice).status());
      database.allowConnections(false);
      try {
        var down = client.call("GET", "/v1/keys/count", null, alice);
        assertEquals(503, down.status(), down.text());
        assertTrue(down.text().contains("unavailable"), down.text());
      } finally {
        database.allowConnections(true);
      }
      long deadline = System.nanoTime() + 30_000_000_000L;
      int status;
      do {
        status = client.call("GET", "/v1/keys/count", null, alice).status();
      } while (status != 200 && System.nanoTime() < deadline);
      assertEquals(200, status);
    }
  }
}
