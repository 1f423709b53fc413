package org.sotto.protocol.interop;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.sotto.protocol.ProtocolAddress;

/**
 * Typed, validating access to the fields of one peer request (or of a nested object such as a
 * bundle). Every accessor throws {@link PeerError} ({@code invalid_argument}) for a missing or
 * ill-typed field, so handlers never see nulls or half-parsed values. Not thread-safe; one instance
 * per request.
 */
final class Request {
  private final JsonNode node;
  private final String path;

  private Request(JsonNode node, String path) {
    this.node = node;
    this.path = path;
  }

  static Request of(JsonNode node) {
    return new Request(node, "");
  }

  /** The nested object {@code field}. */
  Request object(String field) throws PeerError {
    JsonNode v = required(field);
    if (!v.isObject()) {
      throw PeerError.invalidArgument("field " + name(field) + ": object expected");
    }
    return new Request(v, name(field) + ".");
  }

  String string(String field) throws PeerError {
    JsonNode v = required(field);
    if (!v.isTextual() || v.asText().isEmpty()) {
      throw PeerError.invalidArgument("field " + name(field) + ": non-empty string expected");
    }
    return v.asText();
  }

  /** The string {@code field}, or {@code dflt} when absent or null. */
  String string(String field, String dflt) throws PeerError {
    return present(field) ? string(field) : dflt;
  }

  /** {@code who} given as a string or a number, as the libsignal peer accepts it. */
  String label(String field) throws PeerError {
    JsonNode v = required(field);
    if (!v.isValueNode()) {
      throw PeerError.invalidArgument("field " + name(field) + ": string expected");
    }
    return v.asText();
  }

  int integer(String field, int min, int max) throws PeerError {
    JsonNode v = required(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      throw PeerError.invalidArgument(
          "field " + name(field) + ": integer in " + min + ".." + max + " expected");
    }
    return (int) v.asLong();
  }

  int integer(String field, int dflt, int min, int max) throws PeerError {
    return present(field) ? integer(field, min, max) : dflt;
  }

  /** A whole number in {@code min..max} (such as epoch milliseconds), or {@code dflt} if absent. */
  long longInteger(String field, long dflt, long min, long max) throws PeerError {
    if (!present(field)) {
      return dflt;
    }
    JsonNode v = node.get(field);
    if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
      throw PeerError.invalidArgument(
          "field " + name(field) + ": integer in " + min + ".." + max + " expected");
    }
    return v.asLong();
  }

  /** A 32-bit unsigned id (libsignal ids are u32), returned as its Java int bit pattern. */
  int unsignedId(String field) throws PeerError {
    JsonNode v = required(field);
    if (!v.isIntegralNumber()
        || !v.canConvertToLong()
        || v.asLong() < 0
        || v.asLong() > 0xFFFF_FFFFL) {
      throw PeerError.invalidArgument(
          "field " + name(field) + ": integer in 0..4294967295 expected");
    }
    return (int) v.asLong();
  }

  boolean bool(String field, boolean dflt) throws PeerError {
    if (!present(field)) {
      return dflt;
    }
    JsonNode v = node.get(field);
    if (!v.isBoolean()) {
      throw PeerError.invalidArgument("field " + name(field) + ": boolean expected");
    }
    return v.asBoolean();
  }

  /** Standard base64 bytes. */
  byte[] bytes(String field) throws PeerError {
    JsonNode v = required(field);
    if (!v.isTextual()) {
      throw PeerError.invalidArgument("field " + name(field) + ": base64 string expected");
    }
    try {
      return Base64.getDecoder().decode(v.asText());
    } catch (IllegalArgumentException e) {
      throw PeerError.invalidArgument("field " + name(field) + ": not standard base64");
    }
  }

  /** Standard base64 bytes, or null when absent or null. */
  byte[] optionalBytes(String field) throws PeerError {
    return present(field) ? bytes(field) : null;
  }

  /** The message of a request: {@code plaintext} (base64) or {@code text} (UTF-8). */
  byte[] plaintext() throws PeerError {
    if (present("plaintext")) {
      return bytes("plaintext");
    }
    JsonNode text = node.get("text");
    if (text != null && text.isTextual()) {
      return text.asText().getBytes(StandardCharsets.UTF_8);
    }
    throw PeerError.invalidArgument("missing field plaintext or text");
  }

  /** An address object {@code {name, deviceId?}} (deviceId defaults to 1). */
  ProtocolAddress address(String field) throws PeerError {
    Request a = object(field);
    return new ProtocolAddress(
        a.string("name"), a.integer("deviceId", 1, 1, ProtocolAddress.MAX_DEVICE_ID));
  }

  boolean present(String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  private JsonNode required(String field) throws PeerError {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw PeerError.invalidArgument("missing field " + name(field));
    }
    return v;
  }

  private String name(String field) {
    return path + field;
  }
}
