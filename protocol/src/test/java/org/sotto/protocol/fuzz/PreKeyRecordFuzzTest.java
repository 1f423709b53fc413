package org.sotto.protocol.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.kem.Encapsulation;
import org.sotto.protocol.kem.Kyber1024;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;

/**
 * The three prekey record parsers on arbitrary bytes (a store reads them back from disk): each
 * accepts or throws {@link InvalidRecordException}; an accepted record re-serializes to bytes that
 * parse to the same record, and its keys work.
 */
class PreKeyRecordFuzzTest {
  private static final long RANDOM_SEED = 4;

  @FuzzTest
  void preKeyRecordFromBytes_anyBytes_roundTripsOrThrowsInvalidRecord(byte[] input) {
    PreKeyRecord record;
    try {
      record = PreKeyRecord.fromBytes(input);
    } catch (InvalidRecordException e) {
      return;
    }
    byte[] serialized = record.serialize();
    PreKeyRecord reparsed = reparse(() -> PreKeyRecord.fromBytes(serialized));
    assertEquals(record.id(), reparsed.id());
    assertArrayEquals(serialized, reparsed.serialize());
    assertEquals(record.keyPair().publicKey(), record.keyPair().privateKey().publicKey());
  }

  @FuzzTest
  void signedPreKeyRecordFromBytes_anyBytes_roundTripsOrThrowsInvalidRecord(byte[] input) {
    SignedPreKeyRecord record;
    try {
      record = SignedPreKeyRecord.fromBytes(input);
    } catch (InvalidRecordException e) {
      return;
    }
    byte[] serialized = record.serialize();
    SignedPreKeyRecord reparsed = reparse(() -> SignedPreKeyRecord.fromBytes(serialized));
    assertEquals(record.id(), reparsed.id());
    assertEquals(record.timestampMs(), reparsed.timestampMs());
    assertArrayEquals(record.signature(), reparsed.signature());
    assertArrayEquals(serialized, reparsed.serialize());
    assertEquals(record.keyPair().publicKey(), record.keyPair().privateKey().publicKey());
  }

  @FuzzTest
  void kyberPreKeyRecordFromBytes_anyBytes_yieldsUsableKeyPairOrThrowsInvalidRecord(byte[] input)
      throws InvalidMessageException {
    KyberPreKeyRecord record;
    try {
      record = KyberPreKeyRecord.fromBytes(input);
    } catch (InvalidRecordException e) {
      return;
    }
    byte[] serialized = record.serialize();
    KyberPreKeyRecord reparsed = reparse(() -> KyberPreKeyRecord.fromBytes(serialized));
    assertEquals(record.id(), reparsed.id());
    assertEquals(record.lastResort(), reparsed.lastResort());
    assertArrayEquals(serialized, reparsed.serialize());
    // Both halves must work. (That they agree cannot be asked: a corrupted dk_pke passes every
    // check FIPS 203
    // defines for a decapsulation key, and then decapsulation rejects implicitly with an unrelated
    // secret.)
    Encapsulation sent =
        Kyber1024.encapsulate(record.keyPair().publicKey(), FuzzFixture.seededRandom(RANDOM_SEED));
    assertEquals(
        Kyber1024.SHARED_SECRET_LENGTH,
        record.keyPair().secretKey().decapsulate(sent.ciphertext()).length);
  }

  private interface Parse<T> {
    T run() throws InvalidRecordException;
  }

  private static <T> T reparse(Parse<T> parse) {
    try {
      return parse.run();
    } catch (InvalidRecordException e) {
      throw new AssertionError("a record we serialized does not parse", e);
    }
  }
}
