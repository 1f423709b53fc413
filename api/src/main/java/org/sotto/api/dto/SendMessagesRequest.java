package org.sotto.api.dto;

import java.util.List;
import org.sotto.api.ApiChecks;

/**
 * A message to every device of one recipient, sent in one request. Immutable; validated on
 * construction.
 */
public record SendMessagesRequest(List<OutgoingMessage> messages, long timestamp) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public SendMessagesRequest {
    messages = ApiChecks.list(messages, "messages", ApiChecks.MAX_DEVICE_ID);
    ApiChecks.check(!messages.isEmpty(), "messages", "must not be empty");
    ApiChecks.check(timestamp > 0, "timestamp", "must be positive");
  }
}
