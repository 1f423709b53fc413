package org.sotto.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.sotto.api.dto.ErrorResponse;
import org.sotto.server.auth.Authenticator;
import org.sotto.server.http.Route.Access;

/**
 * The OpenAPI 3.0 document of a route table, built with Jackson's tree model: one operation per
 * route with its path parameters, security, request body schema, success response and error
 * responses (all {@link ErrorResponse}). Served at {@link #PATH} by {@link #route()}; the document
 * is built once, by {@link #describe(List)}, from the router's final route list. Thread-safe.
 */
public final class OpenApi {
  /** Where the document is served. */
  public static final String PATH = "/v1/openapi.json";

  /** OpenAPI 3.0 (not 3.1): its {@code format: byte} is what {@code byte[]} fields are. */
  static final String OPENAPI_VERSION = "3.0.3";

  /** The API's version as the paths carry it. */
  static final String API_VERSION = "v1";

  /** Security scheme name for HTTP Basic device credentials. */
  public static final String DEVICE_SCHEME = "device";

  /** Security scheme name for the sealed-sender access key header. */
  public static final String UNIDENTIFIED_SCHEME = "unidentifiedAccessKey";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** What each error status means, for the documented responses. */
  private static final Map<Integer, String> ERROR_DESCRIPTIONS =
      Map.ofEntries(
          Map.entry(400, "Malformed body or path parameter, or a key or signature that is invalid"),
          Map.entry(401, "Missing or wrong credentials (no detail is given)"),
          Map.entry(403, "Not allowed"),
          Map.entry(404, "No such resource"),
          Map.entry(405, "Method not allowed on this path"),
          Map.entry(409, "Conflict with the current state"),
          Map.entry(410, "Gone or stale"),
          Map.entry(413, "The request body is too large"),
          Map.entry(429, "Too many requests; see Retry-After"));

  private volatile byte[] document;

  /** A route serving the document once {@link #describe(List)} has built it. */
  public Route route() {
    return Route.of(
        "GET",
        PATH,
        Access.PUBLIC,
        ObjectNode.class,
        "This OpenAPI 3 document, generated from the route table",
        call -> {
          byte[] d = document;
          if (d == null) {
            throw new ApiException(503, "unavailable", "the API description is not ready");
          }
          return Reply.raw(200, d, "application/json");
        });
  }

  /**
   * Builds and keeps the document for {@code routes}; fails if a route's types cannot be described.
   */
  public void describe(List<Route> routes) {
    document = Json.write(document(routes));
  }

  /** The document for {@code routes}. */
  public static ObjectNode document(List<Route> routes) {
    JsonSchemas schemas = new JsonSchemas();
    ObjectNode doc = NODES.objectNode();
    doc.put("openapi", OPENAPI_VERSION);
    doc.putObject("info")
        .put("title", "Sotto server API")
        .put("version", API_VERSION)
        .put(
            "description",
            "Relay for end-to-end-encrypted messages: the server holds ciphertext only.");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode errorRef = schemas.schema(ErrorResponse.class);
    for (Route r : routes) {
      ObjectNode path =
          paths.has(r.pattern())
              ? (ObjectNode) paths.get(r.pattern())
              : paths.putObject(r.pattern());
      String method = r.method().toLowerCase(Locale.ROOT);
      if (path.has(method)) {
        throw new IllegalArgumentException("two routes for " + r.method() + " " + r.pattern());
      }
      path.set(method, operation(r, schemas, errorRef));
    }
    ObjectNode components = doc.putObject("components");
    components.set("schemas", schemas.components());
    ObjectNode security = components.putObject("securitySchemes");
    security
        .putObject(DEVICE_SCHEME)
        .put("type", "http")
        .put("scheme", "basic")
        .put("description", "User '<accountId>.<deviceId>', password: the device secret");
    security
        .putObject(UNIDENTIFIED_SCHEME)
        .put("type", "apiKey")
        .put("in", "header")
        .put("name", Authenticator.UNIDENTIFIED_ACCESS_KEY)
        .put("description", "Base64 of the recipient's 16-byte unidentified-delivery token");
    return doc;
  }

  private static ObjectNode operation(Route r, JsonSchemas schemas, ObjectNode errorRef) {
    ObjectNode op = NODES.objectNode();
    op.put("operationId", operationId(r));
    op.put("summary", r.summary());
    op.putArray("tags").add(tag(r.pattern()));
    List<String> params = r.parameterNames();
    if (!params.isEmpty()) {
      ArrayNode ps = op.putArray("parameters");
      for (String p : params) {
        ObjectNode param = ps.addObject().put("name", p).put("in", "path").put("required", true);
        param.putObject("schema").put("type", "string");
      }
    }
    ArrayNode security = op.putArray("security");
    switch (r.access()) {
      case PUBLIC -> {} // an empty list: no credentials
      case DEVICE -> security.addObject().putArray(DEVICE_SCHEME);
      case DEVICE_OR_UNIDENTIFIED -> {
        security.addObject().putArray(DEVICE_SCHEME);
        security.addObject().putArray(UNIDENTIFIED_SCHEME);
      }
    }
    boolean hasBody = r.requestType() != Void.class;
    if (hasBody) {
      ObjectNode body = op.putObject("requestBody").put("required", true);
      body.putObject("content")
          .putObject(mediaType(r.requestType()))
          .set("schema", bodySchema(r.requestType(), schemas));
    }
    ObjectNode responses = op.putObject("responses");
    if (r.responseType() == Void.class) {
      responses.putObject("204").put("description", "Done; no content");
    } else {
      ObjectNode ok = responses.putObject("200").put("description", "Success");
      ok.putObject("content")
          .putObject(mediaType(r.responseType()))
          .set("schema", bodySchema(r.responseType(), schemas));
    }
    TreeSet<Integer> errors = new TreeSet<>(r.errorStatuses());
    if (hasBody || !params.isEmpty()) {
      errors.add(400);
    }
    if (r.access() != Access.PUBLIC) {
      errors.add(401);
    }
    if (hasBody) {
      errors.add(413);
    }
    for (int status : errors) {
      ObjectNode e =
          responses
              .putObject(Integer.toString(status))
              .put("description", ERROR_DESCRIPTIONS.getOrDefault(status, "Error"));
      Class<?> custom = r.errorBodies().get(status);
      e.putObject("content")
          .putObject("application/json")
          .set("schema", custom == null ? errorRef.deepCopy() : schemas.schema(custom));
    }
    ObjectNode other =
        responses.putObject("default").put("description", "Any other error (5xx: retry later)");
    other.putObject("content").putObject("application/json").set("schema", errorRef.deepCopy());
    return op;
  }

  private static ObjectNode bodySchema(Class<?> type, JsonSchemas schemas) {
    return switch (mediaType(type)) {
      case "text/plain" -> NODES.objectNode().put("type", "string");
      case "application/octet-stream" ->
          NODES.objectNode().put("type", "string").put("format", "binary");
      default -> schemas.schema(type);
    };
  }

  private static String mediaType(Class<?> type) {
    if (type == String.class) {
      return "text/plain";
    }
    if (type == byte[].class || InputStream.class.isAssignableFrom(type)) {
      return "application/octet-stream";
    }
    return "application/json";
  }

  /** {@code GET /v1/keys/{accountId}/{deviceId}} becomes {@code get_v1_keys_accountId_deviceId}. */
  static String operationId(Route r) {
    String path = r.pattern().replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", "_");
    return r.method().toLowerCase(Locale.ROOT) + (path.equals("_") ? "_root" : path);
  }

  /** The first path segment after the version: {@code /v1/keys/count} is tagged {@code keys}. */
  static String tag(String pattern) {
    String[] segments = pattern.substring(1).split("/");
    if (segments.length > 1 && segments[0].equals(API_VERSION)) {
      return segments[1];
    }
    return "system";
  }
}
