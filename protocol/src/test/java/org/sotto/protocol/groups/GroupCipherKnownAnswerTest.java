package org.sotto.protocol.groups;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.message.SenderKeyDistributionMessage;

/**
 * Bytes written by libsignal 0.90.0 (through interop/libsignal-peer.mjs: skdm_create, then two
 * group_encrypt, then skdm_create again), decrypted by Sotto without a peer process: a fixed
 * known-answer check of the key schedule (HMAC chain, "WhisperGroup" HKDF with IV first) and the
 * signature.
 */
class GroupCipherKnownAnswerTest {
  static final UUID DISTRIBUTION_ID = UUID.fromString("d1b3a0c2-1234-4abc-8def-0123456789ab");

  /** The first distribution message: chain id 1091359128, iteration 0. */
  static final byte[] SKDM =
      hex(
          "330a10d1b3a0c212344abc8def0123456789ab1098a3b3880418002220c0290e0d69410841d10bf4b5a2e9"
              + "044fddf49075b3d360f9fc480fe01ea2e5732a210596a109a86fad0ee5da484d2ecb00d4f55f3a7b31"
              + "37e30ac6be97faada1162b1e");

  /** Iteration 0, plaintext "hello". */
  static final byte[] MESSAGE_0 =
      hex(
          "330a10d1b3a0c212344abc8def0123456789ab1098a3b3880418002210557c2d38e88b526d8b4ba230b14d"
              + "784a79187e966be9d837bc4a231be47731fe6f1263cc38e56d0e8f12e2cf3f7c8d4877d0ca7187925e"
              + "166831b8e828ad794fb9ff7ca434f5b7a47d4eece49b0f4d0c");

  /** Iteration 1, empty plaintext (one block of padding). */
  static final byte[] MESSAGE_1 =
      hex(
          "330a10d1b3a0c212344abc8def0123456789ab1098a3b38804180122107e127a87d134ff0d7fee07e9335b"
              + "de74f9bf9623378370446519d12d8077fb3dea3f7f7a93a0e5bf79ab0fddcadfc26f94a1185703e5d5"
              + "d6584b63b6d7698264138690fa1fcca2d0afa12c7e0c47cd0c");

  /** The distribution message for the same chain after the two messages: iteration 2. */
  static final byte[] SKDM_AT_2 =
      hex(
          "330a10d1b3a0c212344abc8def0123456789ab1098a3b3880418022220b87532f03666bbc80d8acbe21e81"
              + "70605b469a614ddfe57a602bd77f31cf70232a210596a109a86fad0ee5da484d2ecb00d4f55f3a7b31"
              + "37e30ac6be97faada1162b1e");

  private final ProtocolAddress sender =
      new ProtocolAddress("066c2211-5465-4bb5-bcc7-0d595aecea84", 1);

  @Test
  void decrypt_libsignalMessages_yieldTheirPlaintexts() throws Exception {
    InMemorySenderKeyStore store = new InMemorySenderKeyStore();
    SenderKeyDistributionMessage skdm = SenderKeyDistributionMessage.fromBytes(SKDM);
    assertEquals(DISTRIBUTION_ID, skdm.distributionId());
    new GroupSessionBuilder(store).process(sender, skdm);
    GroupCipher cipher = new GroupCipher(store);
    assertArrayEquals(new byte[0], cipher.decrypt(sender, MESSAGE_1));
    assertArrayEquals(
        "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        cipher.decrypt(sender, MESSAGE_0));
    assertThrows(DuplicateMessageException.class, () -> cipher.decrypt(sender, MESSAGE_0));
  }

  @Test
  void process_libsignalSkdmAtIteration2_chainKeyIsOursAfterTwoSteps() throws Exception {
    SenderKeyDistributionMessage first = SenderKeyDistributionMessage.fromBytes(SKDM);
    SenderKeyDistributionMessage later = SenderKeyDistributionMessage.fromBytes(SKDM_AT_2);
    assertEquals(first.chainId(), later.chainId());
    assertEquals(2, later.iteration());
    assertEquals(first.chainKey().next().next(), later.chainKey());

    InMemorySenderKeyStore store = new InMemorySenderKeyStore();
    new GroupSessionBuilder(store).process(sender, later);
    GroupCipher cipher = new GroupCipher(store);
    assertThrows(DuplicateMessageException.class, () -> cipher.decrypt(sender, MESSAGE_0));
    assertThrows(DuplicateMessageException.class, () -> cipher.decrypt(sender, MESSAGE_1));
  }

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }
}
