package org.sotto.server.messages;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.dto.MismatchedDevices;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.api.dto.SendMessagesResponse;
import org.sotto.api.dto.StaleDevices;
import org.sotto.api.proto.Envelope;
import org.sotto.api.proto.OutgoingEnvelope;
import org.sotto.api.proto.SendRequest;
import org.sotto.api.proto.SendResponse;
import org.sotto.server.auth.Caller;
import org.sotto.server.http.ApiException;
import org.sotto.server.store.StoreException;

/**
 * Sends made over a device's delivery socket: a {@link SendRequest} is checked and stored exactly
 * as {@code PUT /v1/messages/{accountId}} with that device's credentials would be, and answered
 * with a {@link SendResponse} carrying the status, code and device lists the route would have
 * answered. No error escapes: a bad request is a 400 answer, a store failure a 503. Thread-safe.
 */
final class SocketSends {
  /**
   * Largest send frame: one full-size envelope ({@value MessageRoutes#MAX_CONTENT_BYTES} bytes) for
   * each of two devices plus framing. A larger send (to many devices at once, or of huge envelopes)
   * goes over HTTP, whose body limit is sized for it; this keeps what one socket can make the
   * server buffer small.
   */
  static final int MAX_SEND_FRAME_BYTES = 2 * MessageRoutes.MAX_CONTENT_BYTES + 64 * 1024;

  private static final Logger log = LoggerFactory.getLogger(SocketSends.class);

  private final MessageRoutes routes;

  SocketSends(MessageRoutes routes) {
    this.routes = routes;
  }

  /** Runs {@code request} for {@code device} and returns its answer. */
  SendResponse handle(Address device, SendRequest request) {
    SendResponse.Builder answer = SendResponse.newBuilder().setId(request.getId());
    try {
      AccountId recipient = recipient(request.getDestination());
      SendMessagesResponse stored =
          routes.send(recipient, new Caller.Device(device), toRequest(request));
      return answer.setStatus(200).setStored(stored.stored()).build();
    } catch (ApiException e) {
      answer.setStatus(e.status()).setCode(e.code()).setMessage(e.getMessage());
      if (e.body() instanceof MismatchedDevices m) {
        answer.addAllMissingDevices(m.missingDevices()).addAllExtraDevices(m.extraDevices());
      } else if (e.body() instanceof StaleDevices s) {
        answer.addAllStaleDevices(s.staleDevices());
      }
      return answer.build();
    } catch (IllegalArgumentException e) {
      // The DTOs' checks name the field and never echo its value.
      return error(answer, 400, "invalid_field", e.getMessage());
    } catch (StoreException e) {
      return error(answer, 503, "unavailable", "storage is unavailable");
    } catch (RuntimeException e) {
      log.warn("socket send failed: {}", e.getClass().getSimpleName());
      return error(answer, 500, "internal", "internal error");
    }
  }

  private static SendResponse error(
      SendResponse.Builder answer, int status, String code, String message) {
    return answer.setStatus(status).setCode(code).setMessage(message).build();
  }

  private static AccountId recipient(String destination) {
    try {
      return AccountId.parse(destination);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid_field", "destination: not an account id");
    }
  }

  private static SendMessagesRequest toRequest(SendRequest request) {
    List<OutgoingMessage> messages = new ArrayList<>(request.getMessagesCount());
    for (OutgoingEnvelope m : request.getMessagesList()) {
      if (m.getType() == Envelope.Type.UNIDENTIFIED_SENDER_VALUE) {
        throw ApiException.badRequest(
            "invalid_field",
            "messages.type: sealed-sender sends go over HTTP with an Unidentified-Access-Key");
      }
      messages.add(
          new OutgoingMessage(
              m.getType(),
              m.getDestinationDevice(),
              m.getDestinationRegistrationId(),
              m.getContent().toByteArray()));
    }
    return new SendMessagesRequest(messages, request.getTimestamp());
  }
}
