package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Starts one libsignal peer and one Sotto peer per test class and hands out fresh identities on
 * them. Scenarios take a {@link Direction} and run once each way. Tests draw randomness from {@link
 * #seededRandom}, which prints its seed; rerun a failure with {@code -Dsotto.interop.seed=<seed>}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LibsignalInteropTestBase {
  private final AtomicInteger labels = new AtomicInteger();
  PeerProcess libsignal;
  PeerProcess sotto;

  /**
   * The libsignal the peer runs: {@code null} for the main pin
   * ({@code @signalapp/libsignal-client}, 0.90.0), {@code "0.103"} for the current one (SPQR
   * mandatory).
   */
  String libsignalVersion() {
    return null;
  }

  @BeforeAll
  void startPeers() throws IOException {
    libsignal =
        libsignalVersion() == null
            ? PeerProcess.libsignal()
            : PeerProcess.libsignal(libsignalVersion());
    sotto = PeerProcess.sotto();
    JsonNode lv = libsignal.ok("version");
    JsonNode sv = sotto.ok("version");
    assertEquals("libsignal", lv.path("implementation").asText());
    assertEquals("sotto", sv.path("implementation").asText());
    String pinned = pinnedLibsignalVersion();
    assertEquals(
        pinned,
        lv.path("version").asText(),
        "interop/node_modules holds another libsignal than package.json pins: run npm ci in interop/");
    System.err.printf(
        "%s: libsignal %s vs sotto %s%n",
        getClass().getSimpleName(), lv.path("version").asText(), sv.path("version").asText());
  }

  @AfterAll
  void stopPeers() {
    if (libsignal != null) {
      libsignal.close();
    }
    if (sotto != null) {
      sotto.close();
    }
  }

  PeerProcess initiator(Direction d) {
    return d == Direction.SOTTO_INITIATES ? sotto : libsignal;
  }

  PeerProcess responder(Direction d) {
    return d == Direction.SOTTO_INITIATES ? libsignal : sotto;
  }

  /** A fresh identity on {@code process} under a label no other test of this class uses. */
  Party party(PeerProcess process, String role) {
    return Party.create(process, role + "-" + labels.incrementAndGet());
  }

  /**
   * A fresh identity on {@code previous}'s process under {@code previous}'s name and device id,
   * with new keys.
   */
  Party reRegister(Party previous, String role) {
    return Party.reRegister(previous.process(), role + "-" + labels.incrementAndGet(), previous);
  }

  /**
   * Starts a session from {@code a} to {@code b} and completes one round trip, so both send type-2
   * messages.
   */
  static void establish(Party a, Party b) {
    a.startSession(b, true);
    a.sendExpectingType(b, utf8("hello from " + a), Ciphertext.PREKEY, "first message");
    b.sendExpectingType(a, utf8("hello back from " + b), Ciphertext.WHISPER, "reply");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] randomBytes(Random random, int maxLength) {
    byte[] b = new byte[random.nextInt(maxLength + 1)];
    random.nextBytes(b);
    return b;
  }

  /** A random source whose seed is printed (and can be fixed with {@code -Dsotto.interop.seed}). */
  static Random seededRandom(String test) {
    long seed = Long.getLong("sotto.interop.seed", System.nanoTime());
    System.err.println(test + ": seed=" + seed + " (rerun with -Dsotto.interop.seed=" + seed + ")");
    return new Random(seed);
  }

  private String pinnedLibsignalVersion() throws IOException {
    JsonNode pkg =
        new ObjectMapper()
            .readTree(InteropEnvironment.repoRoot().resolve("interop/package.json").toFile());
    if (libsignalVersion() == null) {
      return pkg.path("dependencies").path("@signalapp/libsignal-client").asText();
    }
    // An npm alias: "npm:@signalapp/libsignal-client@0.103.0".
    String alias =
        pkg.path("dependencies")
            .path("libsignal-client-" + libsignalVersion().replace(".", ""))
            .asText();
    return alias.substring(alias.lastIndexOf('@') + 1);
  }
}
