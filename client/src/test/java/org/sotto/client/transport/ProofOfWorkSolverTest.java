package org.sotto.client.transport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.PowChallenge;
import org.sotto.api.dto.ProofOfWork;

/** The solver agrees with the server's own check. */
class ProofOfWorkSolverTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  @Test
  void solve_atSeveralDifficulties_satisfiesServerCheck() throws Exception {
    for (int bits : new int[] {0, 1, 7, 8, 9, 12, 16}) {
      byte[] challenge = new byte[16];
      RANDOM.nextBytes(challenge);

      ProofOfWork proof = ProofOfWorkSolver.solve(new PowChallenge(challenge, bits, 0));

      assertArrayEquals(challenge, proof.challenge());
      assertTrue(
          org.sotto.server.auth.ProofOfWork.solves(challenge, proof.nonce(), bits), "bits " + bits);
    }
  }

  @Test
  void leadingZeroBits_countsPartialBytes() {
    assertTrue(ProofOfWorkSolver.leadingZeroBits(new byte[] {0, 0x0f}, 12));
    assertFalse(ProofOfWorkSolver.leadingZeroBits(new byte[] {0, 0x1f}, 12));
    assertFalse(ProofOfWorkSolver.leadingZeroBits(new byte[] {1, 0}, 8));
  }

  @Test
  void solve_onInterruptedThread_stopsWithInterruptedException() {
    Thread.currentThread().interrupt();

    assertThrows(
        InterruptedException.class,
        () -> ProofOfWorkSolver.solve(new PowChallenge(new byte[16], 32, 0)));

    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void solve_withDifficultyAboveMax_throws() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ProofOfWorkSolver.solve(new PowChallenge(new byte[16], 33, 0)));
  }
}
