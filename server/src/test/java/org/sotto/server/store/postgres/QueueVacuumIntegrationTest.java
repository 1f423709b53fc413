package org.sotto.server.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.api.proto.Envelope;
import org.sotto.server.store.AccountRecord;
import org.sotto.server.store.MessageStore.Outgoing;
import org.sotto.server.store.NewDevice;
import org.sotto.server.store.QueuedEnvelope;
import org.sotto.server.testing.PostgresTestDatabase;
import org.sotto.server.testing.TestDevice;

/** The queue table is vacuumed by the store once enough acked envelopes have left dead rows. */
class QueueVacuumIntegrationTest {
  private static final int ENVELOPES = 300;

  @Test
  void vacuumIfOver_afterAckedEnvelopes_vacuumsAndLeavesNoDeadRows() throws Exception {
    try (PostgresTestDatabase database = PostgresTestDatabase.create();
        PostgresDatabase db = PostgresDatabase.open(database.url(), database.user(), null);
        PostgresMessageStore messages = new PostgresMessageStore(db)) {
      AccountId id = AccountId.random();
      TestDevice d = TestDevice.generate();
      new PostgresAccountStore(db)
          .create(
              new AccountRecord(id, null, d.identity.identityKey().serialize(), 1, 1),
              new NewDevice(new byte[16], new byte[32], d.deviceKeys(), new byte[] {1}));
      Address bob = new Address(id, DeviceId.PRIMARY);
      List<Outgoing> batch = new ArrayList<>();
      for (int i = 0; i < ENVELOPES; i++) {
        batch.add(envelope(bob, i));
      }
      List<byte[]> guids = new ArrayList<>();
      for (QueuedEnvelope q : messages.insert(batch, 10_000).join()) {
        guids.add(q.envelope().getGuid().toByteArray());
      }
      assertEquals(ENVELOPES, messages.delete(bob, guids).join().size());

      assertFalse(messages.vacuumIfOver(Long.MAX_VALUE), "below the threshold: no vacuum");
      // Statistics reach the server shortly after the commit.
      long deadline = System.nanoTime() + 20_000_000_000L;
      boolean vacuumed = false;
      while (!vacuumed && System.nanoTime() < deadline) {
        vacuumed = messages.vacuumIfOver(ENVELOPES);
        if (!vacuumed) {
          Thread.sleep(200);
        }
      }
      assertTrue(vacuumed, "the acked envelopes' dead rows triggered a vacuum");
      assertEquals(0L, deadRows(db));
      assertEquals(0L, messages.depth());
    }
  }

  private static long deadRows(PostgresDatabase db) {
    return db.autoCommit(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT n_dead_tup FROM pg_stat_user_tables WHERE relname = 'envelopes'");
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : -1L;
          }
        });
  }

  private static Outgoing envelope(Address to, int n) {
    byte[] guid = ByteBuffer.allocate(16).putLong(System.nanoTime()).putInt(n).array();
    return new Outgoing(
        to,
        Envelope.newBuilder()
            .setGuid(ByteString.copyFrom(guid))
            .setType(Envelope.Type.CIPHERTEXT)
            .setSourceAccount(UUID.randomUUID().toString())
            .setSourceDevice(1)
            .setDestinationDevice(1)
            .setClientTimestamp(1)
            .setServerTimestamp(System.currentTimeMillis())
            .setContent(ByteString.copyFromUtf8("m" + n))
            .build());
  }
}
