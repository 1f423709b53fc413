package org.sotto.cli.daemon;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * JSON-RPC 2.0 over one request body: single calls and batches; notifications (no {@code id}) are
 * run but get no response; errors as the specification numbers them. Method calls go to a {@link
 * Methods}. Never throws on bad input: garbage becomes a parse error or an invalid request.
 * Thread-safe if the {@link Methods} is.
 */
public final class JsonRpc {
  /** Invalid JSON was received. */
  public static final int PARSE_ERROR = -32700;

  /** The JSON sent is not a valid request object. */
  public static final int INVALID_REQUEST = -32600;

  /** The method does not exist. */
  public static final int METHOD_NOT_FOUND = -32601;

  /** Invalid method parameters. */
  public static final int INVALID_PARAMS = -32602;

  /** Internal JSON-RPC error. */
  public static final int INTERNAL_ERROR = -32603;

  /**
   * The verb ran and failed (or cannot run in the daemon): {@code data.exitCode} is the exit code
   * the command line would give, {@code message} its one-line message. First of the range the
   * specification leaves to implementations.
   */
  public static final int VERB_FAILED = -32000;

  /**
   * Most calls in one batch: each runs a verb, and a batch is answered in one response, so an
   * unbounded batch would hold a request thread for as long as the caller likes.
   */
  public static final int MAX_BATCH = 100;

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** A failed call: a JSON-RPC error code, its message and optional data. */
  public static final class RpcError extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final transient JsonNode data;

    /** An error with {@code code} and {@code message} (shown to the caller: no secrets). */
    public RpcError(int code, String message, JsonNode dataOrNull) {
      super(message);
      this.code = code;
      this.data = dataOrNull;
    }

    /** The JSON-RPC error code. */
    public int code() {
      return code;
    }

    /** The error's data, or null. */
    public JsonNode data() {
      return data;
    }
  }

  /** What the calls run. */
  @FunctionalInterface
  public interface Methods {
    /**
     * Runs {@code method} with {@code params} (an object, an array or null) and returns the result.
     */
    JsonNode call(String method, JsonNode params) throws RpcError;
  }

  private final Methods methods;

  /** A dispatcher to {@code methods}. */
  public JsonRpc(Methods methods) {
    this.methods = Objects.requireNonNull(methods, "methods");
  }

  /**
   * The response body for {@code body}, or empty when nothing is to be answered (notifications
   * only).
   */
  public Optional<String> handle(String body) {
    JsonNode request;
    try {
      request = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return Optional.of(write(error(NODES.nullNode(), PARSE_ERROR, "parse error", null)));
    }
    if (request == null || request.isMissingNode()) {
      return Optional.of(
          write(error(NODES.nullNode(), PARSE_ERROR, "parse error: empty body", null)));
    }
    if (request.isArray()) {
      if (request.isEmpty()) {
        return Optional.of(
            write(error(NODES.nullNode(), INVALID_REQUEST, "invalid request: empty batch", null)));
      }
      if (request.size() > MAX_BATCH) {
        return Optional.of(
            write(
                error(
                    NODES.nullNode(),
                    INVALID_REQUEST,
                    "invalid request: more than " + MAX_BATCH + " calls in a batch",
                    null)));
      }
      ArrayNode responses = NODES.arrayNode();
      for (JsonNode call : request) {
        ObjectNode r = one(call);
        if (r != null) {
          responses.add(r);
        }
      }
      return responses.isEmpty() ? Optional.empty() : Optional.of(write(responses));
    }
    ObjectNode r = one(request);
    return r == null ? Optional.empty() : Optional.of(write(r));
  }

  /** The response to one call, or null for a notification. */
  private ObjectNode one(JsonNode call) {
    if (!call.isObject()) {
      return error(NODES.nullNode(), INVALID_REQUEST, "invalid request: not an object", null);
    }
    JsonNode id = call.get("id");
    boolean notification = id == null;
    JsonNode replyId =
        id != null && (id.isTextual() || id.isNumber() || id.isNull()) ? id : NODES.nullNode();
    if (id != null && !(id.isTextual() || id.isNumber() || id.isNull())) {
      return error(
          replyId, INVALID_REQUEST, "invalid request: id must be a string or number", null);
    }
    JsonNode version = call.get("jsonrpc");
    JsonNode method = call.get("method");
    JsonNode params = call.get("params");
    if (version == null || !"2.0".equals(version.asText()) || !version.isTextual()) {
      return error(replyId, INVALID_REQUEST, "invalid request: jsonrpc must be \"2.0\"", null);
    }
    if (method == null || !method.isTextual()) {
      return error(replyId, INVALID_REQUEST, "invalid request: method must be a string", null);
    }
    if (params != null && !params.isObject() && !params.isArray()) {
      return error(
          replyId, INVALID_REQUEST, "invalid request: params must be an object or array", null);
    }
    JsonNode result;
    try {
      result = methods.call(method.textValue(), params);
    } catch (RpcError e) {
      return notification ? null : error(replyId, e.code(), e.getMessage(), e.data());
    } catch (RuntimeException e) {
      return notification
          ? null
          : error(replyId, INTERNAL_ERROR, "internal error: " + e.getClass().getSimpleName(), null);
    }
    if (notification) {
      return null;
    }
    ObjectNode r = NODES.objectNode();
    r.put("jsonrpc", "2.0");
    r.set("result", result == null ? NODES.objectNode() : result);
    r.set("id", replyId);
    return r;
  }

  /** An error response. */
  static ObjectNode error(JsonNode id, int code, String message, JsonNode data) {
    ObjectNode e = NODES.objectNode();
    e.put("code", code);
    e.put("message", message);
    if (data != null) {
      e.set("data", data);
    }
    ObjectNode r = NODES.objectNode();
    r.put("jsonrpc", "2.0");
    r.set("error", e);
    r.set("id", id);
    return r;
  }

  /** The one-object body of an error without an id (for HTTP-level refusals). */
  public static String errorBody(int code, String message) {
    return write(error(NODES.nullNode(), code, message, null));
  }

  private static String write(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a JSON-RPC response", e);
    }
  }
}
