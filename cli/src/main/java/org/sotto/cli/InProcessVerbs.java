package org.sotto.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.sotto.cli.account.Accounts;
import org.sotto.cli.account.CommandException;
import org.sotto.cli.daemon.JsonRpc;
import org.sotto.cli.daemon.RpcParams;
import picocli.CommandLine;

/**
 * The daemon's JSON-RPC methods: every verb of the command line, run in this process with {@code -o
 * json} on the daemon's open account (see {@link Accounts#sharing}). The method is the verb's name;
 * the params map onto its options and parameters ({@link RpcParams}). The result is the verb's JSON
 * output: one object as is, several as an array, none as {@code {}}. Thread-safe: each call gets
 * its own command line.
 */
final class InProcessVerbs implements JsonRpc.Methods {
  /**
   * Verbs that cannot run inside the daemon: they start servers or long-running loops, create or
   * link accounts (which the daemon's open store cannot take), or receive (the event stream does).
   */
  static final Set<String> NOT_IN_DAEMON =
      Set.of(
          "daemon",
          "server",
          "demo",
          "register",
          "link",
          "chat",
          "receive",
          "help",
          "generate-completion");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Map<String, String> env;
  private final Accounts shared;

  /** Verbs on {@code shared} (the daemon's accounts, sharing its open client). */
  InProcessVerbs(Map<String, String> env, Accounts shared) {
    this.env = env;
    this.shared = shared;
  }

  @Override
  public JsonNode call(String method, JsonNode params) throws JsonRpc.RpcError {
    CommandLine cmd =
        SottoMain.inProcessCommandLine(env, shared).setAllowOptionsAsOptionParameters(true);
    CommandLine verb = cmd.getSubcommands().get(method);
    if (verb == null) {
      throw new JsonRpc.RpcError(JsonRpc.METHOD_NOT_FOUND, "method not found: " + method, null);
    }
    if (NOT_IN_DAEMON.contains(method)) {
      throw failed(
          CommandException.EXIT_USER_ERROR,
          "'"
              + method
              + "' cannot run inside the daemon"
              + ("receive".equals(method) ? "; read the event stream /api/v1/events" : ""));
    }
    if (params != null && params.isArray()) {
      throw new JsonRpc.RpcError(
          JsonRpc.INVALID_PARAMS, "params must be an object of option names and values", null);
    }
    List<String> args = new ArrayList<>(List.of("-o", "json", method));
    try {
      args.addAll(RpcParams.toArgs(verb.getCommandSpec(), params));
    } catch (RpcParams.InvalidParamsException e) {
      throw new JsonRpc.RpcError(JsonRpc.INVALID_PARAMS, e.getMessage(), null);
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    AtomicReference<JsonRpc.RpcError> failure = new AtomicReference<>();
    cmd.setParameterExceptionHandler(
        (ex, a) -> {
          failure.set(new JsonRpc.RpcError(JsonRpc.INVALID_PARAMS, ex.getMessage(), null));
          return SottoMain.EXIT_USER_ERROR;
        });
    cmd.setExecutionExceptionHandler(
        (ex, c, parseResult) -> {
          if (ex instanceof CommandException ce) {
            failure.set(failed(ce.exitCode(), ce.getMessage()));
            return ce.exitCode();
          }
          failure.set(
              failed(SottoMain.EXIT_UNEXPECTED, "unexpected error: " + ex.getClass().getName()));
          return SottoMain.EXIT_UNEXPECTED;
        });
    int exit = cmd.execute(args.toArray(String[]::new));
    if (failure.get() != null) {
      throw failure.get();
    }
    if (exit != 0) {
      String firstLine = err.toString().lines().findFirst().orElse("failed");
      throw failed(exit, firstLine.replaceFirst("^sotto: ", ""));
    }
    return result(out.toString());
  }

  /** One JSON line → that value, several → an array, none → {@code {}}; other lines as strings. */
  static JsonNode result(String output) {
    ArrayNode all = NODES.arrayNode();
    for (String line : output.lines().toList()) {
      if (line.isBlank()) {
        continue;
      }
      try {
        all.add(JSON.readTree(line));
      } catch (JsonProcessingException e) {
        all.add(line);
      }
    }
    if (all.isEmpty()) {
      return NODES.objectNode();
    }
    return all.size() == 1 ? all.get(0) : all;
  }

  private static JsonRpc.RpcError failed(int exitCode, String message) {
    ObjectNode data = NODES.objectNode();
    data.put("exitCode", exitCode);
    data.put("message", message);
    return new JsonRpc.RpcError(JsonRpc.VERB_FAILED, message, data);
  }
}
