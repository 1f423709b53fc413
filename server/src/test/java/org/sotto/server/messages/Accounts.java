package org.sotto.server.messages;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;

/** Test helpers: linked devices and sends. */
final class Accounts {
  private Accounts() {}

  /** A request with {@code text} for each of {@code devices}. */
  static SendMessagesRequest to(String text, TestDevice... devices) {
    return to(1, text, devices);
  }

  /** A request of {@code type} with {@code text} for each of {@code devices}. */
  static SendMessagesRequest to(int type, String text, TestDevice... devices) {
    List<OutgoingMessage> m = new ArrayList<>();
    for (TestDevice d : devices) {
      m.add(
          new OutgoingMessage(
              type,
              d.address.device().value(),
              d.registrationId,
              text.getBytes(StandardCharsets.UTF_8)));
    }
    return new SendMessagesRequest(m, System.currentTimeMillis());
  }

  /** Sends {@code req} to {@code recipient}'s account as {@code sender}. */
  static TestClient.Result send(
      TestClient client, TestDevice sender, TestDevice recipient, SendMessagesRequest req) {
    return client.call("PUT", "/v1/messages/" + recipient.account(), req, sender);
  }

  /** Sends {@code text} to every listed device, expecting 200. */
  static void sendOk(TestClient client, TestDevice sender, String text, TestDevice... recipients) {
    var r = send(client, sender, recipients[0], to(text, recipients));
    if (r.status() != 200) {
      throw new AssertionError("send failed: " + r.status() + " " + r.text());
    }
  }

  /** The content of an envelope as text. */
  static String text(org.sotto.api.proto.Envelope e) {
    return e.getContent().toString(StandardCharsets.UTF_8);
  }
}
