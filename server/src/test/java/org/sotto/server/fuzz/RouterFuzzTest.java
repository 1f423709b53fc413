package org.sotto.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Route;
import org.sotto.server.http.Router;
import org.sotto.server.metrics.ServerMetrics;

/**
 * Path matching of the real route table on any method and decoded path (input: {@code METHOD\n
 * path}, UTF-8; without a newline the method is GET). An independent regex matcher is the oracle:
 * the router returns the first route whose pattern and method match, with parameters that are
 * non-empty, slash-free and rebuild the path; otherwise 405 exactly when another method has the
 * path, else 404. Nothing else may be thrown.
 */
class RouterFuzzTest {
  private static final class Holder {
    static final List<Route> ROUTES = FuzzServer.routes();
    static final Router ROUTER = new Router(ROUTES, null, new ServerMetrics(() -> 0, () -> 0));
    static final List<Pattern> PATTERNS = ROUTES.stream().map(r -> regex(r.pattern())).toList();
  }

  @FuzzTest
  void resolve_anyMethodAndPath_matchesLikeTheOracleOrThrows404Or405(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    int nl = text.indexOf('\n');
    String method = nl < 0 ? "GET" : text.substring(0, nl);
    String path = nl < 0 ? text : text.substring(nl + 1);
    String normalized = path.startsWith("/") ? path : "/" + path;

    Route expected = null;
    boolean anyMethod = false;
    for (int i = 0; i < Holder.ROUTES.size(); i++) {
      if (Holder.PATTERNS.get(i).matcher(normalized).matches()) {
        anyMethod = true;
        if (expected == null && Holder.ROUTES.get(i).method().equals(method)) {
          expected = Holder.ROUTES.get(i);
        }
      }
    }

    Router.Match match;
    try {
      match = Holder.ROUTER.resolve(method, path);
    } catch (ApiException e) {
      assertNull(expected, "no match for " + expected);
      assertEquals(anyMethod ? 405 : 404, e.status());
      return;
    }
    assertNotNull(expected, "matched although the oracle did not: " + match.route().pattern());
    assertEquals(expected, match.route());
    String rebuilt = match.route().pattern();
    for (String name : match.route().parameterNames()) {
      String value = match.params().get(name);
      assertNotNull(value, name);
      assertFalse(value.isEmpty(), name);
      assertFalse(value.contains("/"), name);
      rebuilt = rebuilt.replace("{" + name + "}", value);
    }
    assertEquals(match.route().parameterNames().size(), match.params().size());
    assertEquals(normalized, rebuilt);
  }

  /** {@code /v1/keys/{accountId}} as {@code /v1/keys/[^/]+}, literals quoted. */
  private static Pattern regex(String pattern) {
    StringBuilder sb = new StringBuilder();
    for (String segment : pattern.substring(1).split("/", -1)) {
      sb.append('/');
      if (segment.startsWith("{") && segment.endsWith("}")) {
        sb.append("[^/]+");
      } else {
        sb.append(Pattern.quote(segment));
      }
    }
    return Pattern.compile(sb.toString(), Pattern.DOTALL);
  }
}
