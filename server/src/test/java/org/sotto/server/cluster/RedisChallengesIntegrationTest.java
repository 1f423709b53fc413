package org.sotto.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.sotto.server.cluster.Redises.await;

import java.security.SecureRandom;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.PowChallenge;
import org.sotto.server.auth.ProofOfWork;
import org.sotto.server.http.ApiException;

/** Proof-of-work challenges issued by one node and redeemed on another. */
class RedisChallengesIntegrationTest {
  /** Low difficulty: the test is about where challenges live, not about hashing. */
  static final int BITS = 8;

  @Test
  void verify_challengeFromNodeA_acceptedOnceOnNodeB() {
    try (RedisNode a = RedisNode.start(Redises.shared(), "a");
        RedisNode b = RedisNode.start(Redises.shared(), "b")) {
      await("both nodes are healthy", () -> a.healthy() && b.healthy());
      SecureRandom random = new SecureRandom();
      ProofOfWork onA = new ProofOfWork(BITS, random, Clock.systemUTC(), new RedisChallenges(a));
      ProofOfWork onB = new ProofOfWork(BITS, random, Clock.systemUTC(), new RedisChallenges(b));
      PowChallenge c = onA.challenge();
      var proof =
          new org.sotto.api.dto.ProofOfWork(c.challenge(), ProofOfWork.solve(c.challenge(), BITS));
      onB.verify(proof);
      ApiException again = assertThrows(ApiException.class, () -> onB.verify(proof));
      assertEquals(403, again.status());
      ApiException onOrigin = assertThrows(ApiException.class, () -> onA.verify(proof));
      assertEquals(403, onOrigin.status());
    }
  }

  @Test
  void verify_unknownChallenge_refused() {
    try (RedisNode a = RedisNode.start(Redises.shared(), "a")) {
      await("the node is healthy", a::healthy);
      ProofOfWork pow =
          new ProofOfWork(BITS, new SecureRandom(), Clock.systemUTC(), new RedisChallenges(a));
      byte[] forged = new byte[16];
      new SecureRandom().nextBytes(forged);
      var proof = new org.sotto.api.dto.ProofOfWork(forged, ProofOfWork.solve(forged, BITS));
      assertEquals(403, assertThrows(ApiException.class, () -> pow.verify(proof)).status());
    }
  }
}
