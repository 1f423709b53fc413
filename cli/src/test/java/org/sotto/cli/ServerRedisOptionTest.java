package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.sotto.server.ServerConfig;
import picocli.CommandLine;

/** {@code sotto server --redis URL --node-id ID}: cluster mode options reach the config. */
class ServerRedisOptionTest {
  private static ServerConfig parse(String... args) {
    ServerCommand cmd = new ServerCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.config();
  }

  @Test
  void redisAndNodeId_given_reachTheConfig() {
    ServerConfig c = parse("--redis", "redis://10.0.0.5:6380", "--node-id", "node-7");
    assertTrue(c.clustered());
    assertEquals(URI.create("redis://10.0.0.5:6380"), c.redisUrl());
    assertEquals("node-7", c.nodeId());
  }

  @Test
  void noRedis_isSingleNode_withARandomNodeId() {
    ServerConfig c = parse();
    assertFalse(c.clustered());
    assertNull(c.redisUrl());
    assertTrue(c.nodeId().matches("[0-9a-f]{8}"), c.nodeId());
    assertFalse(c.nodeId().equals(parse().nodeId()), "two nodes drew the same id");
  }

  @Test
  void redis_notARedisUrl_isAUserError() {
    var e = assertThrows(IllegalArgumentException.class, () -> parse("--redis", "http://x:1"));
    assertTrue(e.getMessage().contains("--redis"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> parse("--redis", "redis://a b"));
    assertThrows(IllegalArgumentException.class, () -> parse("--node-id", "a|b"));
  }
}
