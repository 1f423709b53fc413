package org.sotto.cli.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The JSON-RPC 2.0 dispatcher alone, with a fake method table. */
class JsonRpcTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<String> called = Collections.synchronizedList(new ArrayList<>());

  private final JsonRpc rpc =
      new JsonRpc(
          (method, params) -> {
            called.add(method);
            return switch (method) {
              case "echo" -> params == null ? JsonNodeFactory.instance.objectNode() : params;
              case "fail" ->
                  throw new JsonRpc.RpcError(
                      JsonRpc.VERB_FAILED,
                      "unknown recipient: nobody",
                      JSON.createObjectNode().put("exitCode", 1));
              case "boom" -> throw new IllegalStateException("secret detail");
              default ->
                  throw new JsonRpc.RpcError(JsonRpc.METHOD_NOT_FOUND, "method not found", null);
            };
          });

  private JsonNode answer(String body) throws Exception {
    Optional<String> r = rpc.handle(body);
    assertTrue(r.isPresent(), "expected a response to " + body);
    return JSON.readTree(r.get());
  }

  @Test
  void call_withId_returnsResultAndSameId() throws Exception {
    JsonNode r = answer("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"echo\",\"params\":{\"a\":1}}");

    assertEquals("2.0", r.get("jsonrpc").asText());
    assertEquals(7, r.get("id").asInt());
    assertEquals(1, r.get("result").get("a").asInt());
    assertFalse(r.has("error"));
  }

  @Test
  void notification_runsButGetsNoResponse() {
    assertTrue(rpc.handle("{\"jsonrpc\":\"2.0\",\"method\":\"echo\"}").isEmpty());
    assertEquals(List.of("echo"), called);
  }

  @Test
  void garbage_isParseErrorWithNullId() throws Exception {
    for (String body : List.of("{", "not json", "", "{\"a\":1} trailing", "\u0000\u00ff")) {
      JsonNode r = answer(body);
      assertEquals(JsonRpc.PARSE_ERROR, r.get("error").get("code").asInt(), body);
      assertTrue(r.get("id").isNull(), body);
    }
    assertEquals(List.of(), called);
  }

  @Test
  void invalidRequests_areInvalidRequestErrors() throws Exception {
    for (String body :
        List.of(
            "1",
            "\"text\"",
            "[]",
            "{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"echo\"}",
            "{\"id\":1,\"method\":\"echo\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":5}",
            "{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"echo\"}",
            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":\"x\"}")) {
      JsonNode r = answer(body);
      assertEquals(JsonRpc.INVALID_REQUEST, r.get("error").get("code").asInt(), body);
    }
    assertEquals(List.of(), called);
  }

  @Test
  void unknownMethod_isMethodNotFound() throws Exception {
    JsonNode r = answer("{\"jsonrpc\":\"2.0\",\"id\":\"x\",\"method\":\"nope\"}");

    assertEquals(JsonRpc.METHOD_NOT_FOUND, r.get("error").get("code").asInt());
    assertEquals("x", r.get("id").asText());
  }

  @Test
  void failingMethod_carriesExitCodeInData() throws Exception {
    JsonNode r = answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"fail\"}");

    assertEquals(JsonRpc.VERB_FAILED, r.get("error").get("code").asInt());
    assertEquals("unknown recipient: nobody", r.get("error").get("message").asText());
    assertEquals(1, r.get("error").get("data").get("exitCode").asInt());
  }

  @Test
  void unexpectedException_isInternalErrorWithoutItsMessage() throws Exception {
    JsonNode r = answer("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"boom\"}");

    assertEquals(JsonRpc.INTERNAL_ERROR, r.get("error").get("code").asInt());
    assertFalse(r.toString().contains("secret detail"), r.toString());
  }

  @Test
  void batch_answersEachCallInOrderAndSkipsNotifications() throws Exception {
    JsonNode r =
        answer(
            "[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\",\"params\":{\"n\":1}},"
                + "{\"jsonrpc\":\"2.0\",\"method\":\"echo\"},"
                + "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"nope\"},"
                + "42]");

    assertTrue(r.isArray());
    assertEquals(3, r.size(), r.toString());
    assertEquals(1, r.get(0).get("result").get("n").asInt());
    assertEquals(JsonRpc.METHOD_NOT_FOUND, r.get(1).get("error").get("code").asInt());
    assertEquals(2, r.get(1).get("id").asInt());
    assertEquals(JsonRpc.INVALID_REQUEST, r.get(2).get("error").get("code").asInt());
    assertEquals(List.of("echo", "echo", "nope"), called);
  }

  @Test
  void batch_ofNotificationsOnly_getsNoResponse() {
    assertTrue(
        rpc.handle(
                "[{\"jsonrpc\":\"2.0\",\"method\":\"echo\"},{\"jsonrpc\":\"2.0\",\"method\":\"x\"}]")
            .isEmpty());
  }

  @Test
  void batch_overTheLimit_isRefusedWithoutRunningAny() throws Exception {
    String call = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"echo\"}";
    String body = "[" + String.join(",", Collections.nCopies(JsonRpc.MAX_BATCH + 1, call)) + "]";

    JsonNode r = answer(body);

    assertEquals(JsonRpc.INVALID_REQUEST, r.get("error").get("code").asInt());
    assertEquals(List.of(), called);
  }

  @Test
  void deeplyNestedJson_isAnErrorNotACrash() throws Exception {
    String body = "[".repeat(100_000) + "]".repeat(100_000);

    JsonNode r = answer(body);

    assertTrue(r.has("error"), r.toString());
  }
}
