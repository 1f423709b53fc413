package org.sotto.bench;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.groups.GroupCipher;
import org.sotto.protocol.groups.GroupSessionBuilder;
import org.sotto.protocol.groups.InMemorySenderKeyStore;
import org.sotto.protocol.message.SenderKeyDistributionMessage;

/**
 * {@code group_encrypt} and {@code group_decrypt}, as {@code bench.mjs} defines them: a group
 * sender (Alice) and one member (Bob) who processed Alice's sender key distribution message
 * (untimed). {@code group_encrypt}: one op = Alice encrypts one message (signed SenderKeyMessage,
 * her serialized record loaded and stored). {@code group_decrypt}: one op = Bob decrypts one of
 * Alice's messages in order (signature check, chain step, his serialized record loaded and stored);
 * the messages are encrypted outside the measured time. Not thread-safe.
 */
final class GroupWorkload implements Workload {
  private final byte[] message;
  private final boolean decrypt;
  private final SecureRandom rng;
  private final ProtocolAddress alice = new ProtocolAddress(UUID.randomUUID().toString(), 1);
  private final UUID distributionId = UUID.randomUUID();
  private final GroupCipher aliceCipher;
  private final GroupCipher bobCipher;
  private boolean first = true;

  GroupWorkload(byte[] message, boolean decrypt, SecureRandom rng) throws Exception {
    this.message = message;
    this.decrypt = decrypt;
    this.rng = rng;
    InMemorySenderKeyStore aliceStore = new InMemorySenderKeyStore();
    InMemorySenderKeyStore bobStore = new InMemorySenderKeyStore();
    SenderKeyDistributionMessage skdm =
        new GroupSessionBuilder(aliceStore).create(alice, distributionId, rng);
    new GroupSessionBuilder(bobStore)
        .process(alice, SenderKeyDistributionMessage.fromBytes(skdm.serialize()));
    this.aliceCipher = new GroupCipher(aliceStore);
    this.bobCipher = new GroupCipher(bobStore);
  }

  @Override
  public void runBatch(int ops, Stopwatch stopwatch) throws Exception {
    if (!decrypt) {
      stopwatch.start();
      for (int i = 0; i < ops; i++) {
        if (aliceCipher.encrypt(alice, distributionId, message, rng).serialize().length == 0) {
          throw new IllegalStateException("empty group message");
        }
      }
      stopwatch.stop();
      return;
    }
    List<byte[]> messages = new ArrayList<>(ops);
    for (int i = 0; i < ops; i++) {
      messages.add(aliceCipher.encrypt(alice, distributionId, message, rng).serialize());
    }
    stopwatch.start();
    for (byte[] m : messages) {
      Workload.check(bobCipher.decrypt(alice, m), message, first);
      first = false;
    }
    stopwatch.stop();
  }
}
