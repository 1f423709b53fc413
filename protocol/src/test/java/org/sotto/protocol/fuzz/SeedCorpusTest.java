package org.sotto.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.TestParty;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;

/**
 * Keeps the committed seed corpus honest: every fuzz test has seeds, the seeds are what {@link
 * SeedCorpusWriter} writes today, and the real messages among them still decrypt with {@link
 * FuzzFixture}'s session (otherwise the stateful fuzz tests would silently stop reaching past the
 * MAC check). When this fails after a change in how the protocol draws randomness, regenerate the
 * corpus as docs/fuzzing.md says.
 */
class SeedCorpusTest {
  private static final List<Class<?>> FUZZ_TESTS =
      List.of(
          WireMessageFuzzTest.class,
          SessionRecordFuzzTest.class,
          KeyFuzzTest.class,
          PreKeyRecordFuzzTest.class,
          SessionCipherFuzzTest.class,
          FingerprintFuzzTest.class,
          SenderKeyFuzzTest.class,
          SealedSenderFuzzTest.class);
  private static final int MIN_SEEDS = 3;

  @Test
  void everyFuzzTest_hasAtLeastThreeCommittedSeeds() throws Exception {
    int fuzzTests = 0;
    for (Class<?> test : FUZZ_TESTS) {
      for (Method m : test.getDeclaredMethods()) {
        if (m.isAnnotationPresent(FuzzTest.class)) {
          fuzzTests++;
          String dir = test.getSimpleName() + "Inputs/" + m.getName();
          assertTrue(
              seedCount(test, dir) >= MIN_SEEDS, dir + " has fewer than " + MIN_SEEDS + " seeds");
        }
      }
    }
    assertEquals(22, fuzzTests, "fuzz tests found; add new test classes to FUZZ_TESTS");
  }

  @Test
  void committedSeeds_equalWhatSeedCorpusWriterWritesNow(@TempDir Path fresh) throws Exception {
    new SeedCorpusWriter(fresh).writeAll();
    Path committed = resourceRoot();
    List<Path> written;
    try (Stream<Path> files = Files.walk(fresh)) {
      written = files.filter(Files::isRegularFile).toList();
    }
    assertTrue(written.size() > 50, "the writer wrote only " + written.size() + " seeds");
    for (Path file : written) {
      Path relative = fresh.relativize(file);
      Path old = committed.resolve(relative.toString());
      assertTrue(Files.exists(old), relative + " is not committed: regenerate the corpus");
      assertArrayEquals(
          Files.readAllBytes(file),
          Files.readAllBytes(old),
          relative + " is stale: regenerate the corpus (docs/fuzzing.md)");
    }
  }

  @Test
  void genuineMessageSeeds_decryptWithTheFixtureSession() throws Exception {
    FuzzFixture fixture = FuzzFixture.get();
    for (FuzzFixture.Sent sent : fixture.sent()) {
      SessionCipher bob =
          new SessionCipher(fixture.newBobStore(), FuzzFixture.BOB, FuzzFixture.ALICE);
      if (sent.delivered()) {
        assertThrows(DuplicateMessageException.class, () -> decrypt(bob, sent), sent.name());
      } else {
        assertArrayEquals(sent.plaintext(), decrypt(bob, sent), sent.name());
      }
    }
    assertFalse(fixture.sent().isEmpty());
  }

  private static byte[] decrypt(SessionCipher bob, FuzzFixture.Sent sent) throws Exception {
    return sent.type() == SignalMessage.WHISPER_TYPE
        ? bob.decrypt(
            SignalMessage.fromBytes(sent.serialized()), TestParty.NOW, FuzzFixture.seededRandom(1))
        : bob.decrypt(
            PreKeySignalMessage.fromBytes(sent.serialized()),
            TestParty.NOW,
            FuzzFixture.seededRandom(1));
  }

  private static long seedCount(Class<?> test, String dir) throws IOException, URISyntaxException {
    URL url = test.getResource(dir);
    if (url == null) {
      return 0;
    }
    try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  /** The source directory of the corpus, so a stale copy in target/ cannot hide a stale commit. */
  private static Path resourceRoot() {
    Path root = Path.of("src/test/resources/org/sotto/protocol/fuzz");
    assertTrue(Files.isDirectory(root), "run from the protocol module: " + root.toAbsolutePath());
    return root;
  }
}
