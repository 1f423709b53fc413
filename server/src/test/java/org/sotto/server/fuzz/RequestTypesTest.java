package org.sotto.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.sotto.server.http.Route;

/** Every JSON request type of the route table is fuzzed. */
class RequestTypesTest {
  @Test
  void all_equalsRequestTypesOfServedRoutes() {
    Set<Class<?>> served =
        FuzzServer.routes().stream()
            .map(Route::requestType)
            .filter(Class::isRecord)
            .collect(Collectors.toSet());
    assertEquals(served, new HashSet<>(RequestTypes.ALL), "update RequestTypes.ALL");
  }
}
