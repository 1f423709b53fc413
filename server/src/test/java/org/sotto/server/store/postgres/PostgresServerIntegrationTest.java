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

  @Test
  void sendOnNodeA_afterDeviceLinkedThenRemovedOnNodeB_isCheckedAgainstTheDatabase()
      throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        TestServer nodeA = TestServer.startOnPostgres(database);
        TestServer nodeB = TestServer.startOnPostgres(database)) {
      TestClient a = nodeA.client();
      TestClient b = nodeB.client();
      TestDevice alice = a.register(null);
      TestDevice bob1 = a.register(null);
      assertEquals(200, send(a, alice, bob1, "one", bob1).status());
      // Node A now remembers Bob's single device; node B links a second one.
      TestDevice bob2 = b.link(bob1);
      var both = send(a, alice, bob1, "two", bob1, bob2);
      assertEquals(200, both.status(), "a remembered list is re-read before a 409: " + both.text());
      var onlyFirst = send(a, alice, bob1, "stale", bob1);
      assertEquals(409, onlyFirst.status(), onlyFirst.text());
      assertTrue(onlyFirst.text().contains("\"missingDevices\":[2]"), onlyFirst.text());
      var removed = b.call("DELETE", "/v1/devices/2", null, bob1);
      assertEquals(204, removed.status(), removed.text());
      var toGone = send(a, alice, bob1, "gone", bob1, bob2);
      assertEquals(409, toGone.status(), toGone.text());
      assertTrue(toGone.text().contains("\"extraDevices\":[2]"), toGone.text());
      assertEquals(200, send(a, alice, bob1, "three", bob1).status());
      try (TestSocket socket = TestSocket.delivery(nodeA.uri(), bob1)) {
        List<String> texts =
            socket.untilQueueEmpty().stream().map(e -> e.getContent().toStringUtf8()).toList();
        assertEquals(List.of("one", "two", "three"), texts);
      }
    }
  }

  private static TestClient.Result send(
      TestClient client, TestDevice sender, TestDevice recipient, String text, TestDevice... to) {
    List<OutgoingMessage> messages =
        java.util.Arrays.stream(to)
            .map(
                d ->
                    new OutgoingMessage(
                        1,
                        d.address.device().value(),
                        d.registrationId,
                        text.getBytes(StandardCharsets.UTF_8)))
            .toList();
    return client.call(
        "PUT",
        "/v1/messages/" + recipient.account(),
        new SendMessagesRequest(messages, System.currentTimeMillis()),
        sender);
  }
}
