package org.sotto.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.sotto.server.ServerConfig;

/** The cluster settings of {@link ServerConfig}. */
class ClusterConfigTest {
  @Test
  void toString_redisUrlWithPassword_leavesThePasswordOut() {
    ServerConfig c =
        ServerConfig.builder(Path.of("data"))
            .redisUrl(URI.create("redis://:hunter2-secret@10.0.0.5:6380/2"))
            .nodeId("n1")
            .build();
    assertFalse(c.toString().contains("hunter2"), c.toString());
    assertTrue(c.toString().contains("redis://10.0.0.5:6380"), c.toString());
    assertEquals("n1", c.nodeId());
  }

  @Test
  void build_badRedisSchemeOrNodeId_refused() {
    var b = ServerConfig.builder(Path.of("data"));
    assertThrows(
        IllegalArgumentException.class, () -> b.redisUrl(URI.create("http://h:1")).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ServerConfig.builder(Path.of("data")).nodeId("x".repeat(33)).build());
    assertThrows(
        IllegalArgumentException.class,
        () -> ServerConfig.builder(Path.of("data")).nodeId("a:b").build());
  }

  @Test
  void start_notARedisAddress_refusedWithoutEchoingIt() {
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> RedisNode.start(URI.create("redis:opaque-secret"), "n1"));
    assertFalse(e.getMessage().contains("opaque-secret"), e.getMessage());
  }
}
