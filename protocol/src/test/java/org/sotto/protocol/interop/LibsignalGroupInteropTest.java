package org.sotto.protocol.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sender-key groups between Sotto and libsignal 0.90.0 through the JSON-lines peers: distribution
 * messages made by one implementation and processed by the other, long reordered runs, mixed
 * three-member groups, member removal with key rotation, duplicates and tampering. Distribution
 * messages are passed as bytes here; in an app they travel inside 1:1 sessions, which {@link
 * LibsignalSessionInteropTest} covers. In each {@link Direction} the initiator's implementation is
 * the one that sends.
 */
class LibsignalGroupInteropTest extends LibsignalInteropTestBase {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final int SENDERKEY_TYPE = 7;
  private static final int VERSION_BYTE = 0x33;
  private static final int SIGNATURE_LENGTH = 64;

  private final AtomicInteger labels = new AtomicInteger();

  /** One group member: an identity ({@code who}) in one peer process, with its address. */
  private record Member(PeerProcess process, String who, ObjectNode address) {
    String implementation() {
      return process.label();
    }

    @Override
    public String toString() {
      return who + "@" + process.label();
    }
  }

  private Member member(PeerProcess process, String role) {
    String who = "group-" + role + "-" + labels.incrementAndGet();
    JsonNode created = process.ok("create_identity", "who", who);
    ObjectNode address =
        MAPPER
            .createObjectNode()
            .put("name", created.path("name").asText())
            .put("deviceId", created.path("deviceId").asInt());
    return new Member(process, who, address);
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void skdm_fromOneSideProcessedByTheOther_messagesDecryptBothWays(Direction d) {
    Member alice = member(initiator(d), "alice");
    Member bob = member(responder(d), "bob");
    String group = UUID.randomUUID().toString();

    JsonNode created =
        alice.process().ok("skdm_create", "who", alice.who(), "distributionId", group);
    assertEquals(group, created.path("distributionId").asText());
    byte[] skdm = b64(created.path("skdm"));
    assertEquals(VERSION_BYTE, skdm[0] & 0xFF, "SKDM version byte of " + alice.implementation());
    process(bob, alice, skdm);

    for (String text : List.of("first", "", "x".repeat(1000), "last")) {
      byte[] ct = encrypt(alice, group, utf8(text));
      assertEquals(VERSION_BYTE, ct[0] & 0xFF, "message version byte of " + alice.implementation());
      assertArrayEquals(utf8(text), decrypt(bob, alice, ct), "message '" + text + "'");
    }

    // Bob answers in the same group with his own key (and a default, random distribution id too).
    JsonNode bobsOwn = bob.process().ok("skdm_create", "who", bob.who());
    String bobsGroup = bobsOwn.path("distributionId").asText();
    assertEquals(bobsGroup, UUID.fromString(bobsGroup).toString(), "default distribution id");
    process(alice, bob, b64(bobsOwn.path("skdm")));
    byte[] reply = encrypt(bob, bobsGroup, utf8("reply"));
    assertArrayEquals(utf8("reply"), decrypt(alice, bob, reply), "reply");
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void skdm_processedAgain_keepsProgress_duplicateStillRejected(Direction d) {
    Member alice = member(initiator(d), "alice");
    Member bob = member(responder(d), "bob");
    String group = UUID.randomUUID().toString();
    byte[] skdm = skdm(alice, group);
    process(bob, alice, skdm);
    byte[] m0 = encrypt(alice, group, utf8("zero"));
    byte[] m1 = encrypt(alice, group, utf8("one"));
    byte[] m2 = encrypt(alice, group, utf8("two"));
    assertArrayEquals(utf8("zero"), decrypt(bob, alice, m0));
    assertArrayEquals(utf8("two"), decrypt(bob, alice, m2));

    process(bob, alice, skdm);
    assertEquals("duplicate_message", decryptFailure(bob, alice, m0), "m0 after the old SKDM");
    assertEquals("duplicate_message", decryptFailure(bob, alice, m2), "m2 after the old SKDM");
    assertArrayEquals(utf8("one"), decrypt(bob, alice, m1), "skipped m1 after the old SKDM");
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void lateJoiner_skdmAtCurrentIteration_readsOnlyLaterMessages(Direction d) {
    Member alice = member(initiator(d), "alice");
    Member bob = member(responder(d), "bob");
    String group = UUID.randomUUID().toString();
    byte[] first = skdm(alice, group);
    byte[] early = encrypt(alice, group, utf8("before bob joined"));
    encrypt(alice, group, utf8("also before"));
    byte[] later = skdm(alice, group);
    assertEquals(first.length, later.length, "same chain, same SKDM shape");

    process(bob, alice, later);
    assertEquals("duplicate_message", decryptFailure(bob, alice, early), "message before joining");
    byte[] now = encrypt(alice, group, utf8("after bob joined"));
    assertArrayEquals(utf8("after bob joined"), decrypt(bob, alice, now));
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void groupRun_200MessagesShuffled_allDecryptThenAllDuplicates(Direction d) {
    Random random = seededRandom("groupRun_200MessagesShuffled[" + d + "]");
    Member alice = member(initiator(d), "alice");
    Member bob = member(responder(d), "bob");
    String group = UUID.randomUUID().toString();
    process(bob, alice, skdm(alice, group));

    List<byte[]> plaintexts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      plaintexts.add(randomBytes(random, 300));
    }
    List<byte[]> cts = encryptAll(alice, group, plaintexts);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < cts.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    List<byte[]> shuffledCts = order.stream().map(cts::get).toList();
    decryptAllAndCheck(
        bob, alice, shuffledCts, order.stream().map(plaintexts::get).toList(), "shuffled run");

    List<JsonNode> again = bob.process().callAll(decryptRequests(bob, alice, shuffledCts));
    for (int i = 0; i < again.size(); i++) {
      assertEquals(
          "duplicate_message",
          again.get(i).path("kind").asText(),
          "second delivery of #" + order.get(i) + ": " + again.get(i));
    }
    byte[] after = encrypt(alice, group, utf8("after the run"));
    assertArrayEquals(utf8("after the run"), decrypt(bob, alice, after));
  }

  /**
   * Three members sharing one distribution id: two on the initiator's implementation, one on the
   * other (so one direction is two Sotto members and one libsignal member, the other the reverse).
   * Each distributes its key to the other two, then every member sends and both others decrypt.
   */
  @ParameterizedTest
  @EnumSource(Direction.class)
  void threeMembers_eachSends_allOthersDecrypt(Direction d) {
    Random random = seededRandom("threeMembers[" + d + "]");
    List<Member> members =
        List.of(
            member(initiator(d), "alice"),
            member(initiator(d), "bob"),
            member(responder(d), "carol"));
    String group = UUID.randomUUID().toString();
    distribute(members, group);

    for (int round = 0; round < 5; round++) {
      for (Member sender : members) {
        List<byte[]> plaintexts = new ArrayList<>();
        for (int i = 0; i < 1 + random.nextInt(4); i++) {
          plaintexts.add(randomBytes(random, 200));
        }
        List<byte[]> cts = encryptAll(sender, group, plaintexts);
        for (Member receiver : members) {
          if (receiver != sender) {
            decryptAllAndCheck(
                receiver,
                sender,
                cts,
                plaintexts,
                "round " + round + " " + sender + "→" + receiver);
          }
        }
      }
    }
  }

  /**
   * Carol leaves: the two remaining members rotate to a new distribution id (the way libsignal's
   * API allows, as it cannot drop a sender key) and distribute the new keys only to each other.
   * Carol, holding only the old keys, gets {@code no_session} for everything sent after; the
   * remaining members read each other and what was in flight on the old keys.
   */
  @ParameterizedTest
  @EnumSource(Direction.class)
  void memberRemoval_newDistributionId_removedMemberCannotDecrypt(Direction d) {
    Member alice = member(initiator(d), "alice");
    Member bob = member(responder(d), "bob");
    Member carol = member(responder(d), "carol");
    String group = UUID.randomUUID().toString();
    distribute(List.of(alice, bob, carol), group);
    byte[] old = encrypt(alice, group, utf8("everyone"));
    byte[] inFlight = encrypt(bob, group, utf8("in flight"));
    assertArrayEquals(utf8("everyone"), decrypt(carol, alice, old));

    String rotated = UUID.randomUUID().toString();
    distribute(List.of(alice, bob), rotated);
    byte[] fromAlice = encrypt(alice, rotated, utf8("carol has left (alice)"));
    byte[] fromBob = encrypt(bob, rotated, utf8("carol has left (bob)"));
    assertEquals("no_session", decryptFailure(carol, alice, fromAlice), "carol reads alice");
    assertEquals("no_session", decryptFailure(carol, bob, fromBob), "carol reads bob");
    assertArrayEquals(utf8("carol has left (alice)"), decrypt(bob, alice, fromAlice));
    assertArrayEquals(utf8("carol has left (bob)"), decrypt(alice, bob, fromBob));
    assertArrayEquals(utf8("everyone"), decrypt(bob, alice, old), "old key still works for bob");
    assertArrayEquals(utf8("in flight"), decrypt(alice, bob, inFlight), "in flight");
    // Nothing carol tried changed her state: the old key still reads what was sent to her.
    assertArrayEquals(utf8("in flight"), decrypt(carol, bob, inFlight));
  }

  /**
   * Sotto's Alice rotates to a new chain under the same distribution id (what Signal's apps do on
   * removal: drop the own sender key and distribute a fresh one) and sends the new key only to
   * libsignal's Bob. Carol, on either implementation, still holds the old chain of that
   * distribution id and must get {@code no_session}; Bob keeps both chains, as libsignal keeps up
   * to five.
   */
  @ParameterizedTest
  @ValueSource(strings = {"libsignal", "sotto"})
  void memberRemoval_sottoRotatesChainSameDistributionId_removedMemberCannotDecrypt(
      String carolsImplementation) {
    Member alice = member(sotto, "alice");
    Member bob = member(libsignal, "bob");
    Member carol = member("sotto".equals(carolsImplementation) ? sotto : libsignal, "carol");
    String group = UUID.randomUUID().toString();
    byte[] before = skdm(alice, group);
    process(bob, alice, before);
    process(carol, alice, before);
    byte[] inFlight = encrypt(alice, group, utf8("in flight"));

    JsonNode rotated =
        alice.process().ok("skdm_rotate", "who", alice.who(), "distributionId", group);
    assertEquals(group, rotated.path("distributionId").asText());
    byte[] after = b64(rotated.path("skdm"));
    assertNotEquals(Arrays.toString(before), Arrays.toString(after));
    process(bob, alice, after);

    byte[] secret = encrypt(alice, group, utf8("carol has left"));
    assertEquals("no_session", decryptFailure(carol, alice, secret), "carol on the new chain");
    assertArrayEquals(utf8("carol has left"), decrypt(bob, alice, secret));
    assertArrayEquals(utf8("in flight"), decrypt(bob, alice, inFlight), "old chain, in flight");
    assertArrayEquals(utf8("in flight"), decrypt(carol, alice, inFlight), "carol, old chain");
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void groupDecrypt_withoutSkdm_noSession(Direction d) {
    Member alice = member(initiator(d), "alice");
    Member bob = member(responder(d), "bob");
    String group = UUID.randomUUID().toString();
    skdm(alice, group);
    assertEquals("no_session", decryptFailure(bob, alice, encrypt(alice, group, utf8("hi"))));
    assertEquals(
        "no_session",
        alice
            .process()
            .failure(
                "group_encrypt",
                "who",
                alice.who(),
                "distributionId",
                UUID.randomUUID().toString(),
                "text",
                "no key"),
        "encrypt without own key");
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void skdmProcess_garbage_invalidMessage(Direction d) {
    Member alice = member(initiator(d), "alice");
    Member bob = member(responder(d), "bob");
    byte[] skdm = skdm(alice, UUID.randomUUID().toString());
    byte[] truncated = Arrays.copyOf(skdm, skdm.length - 1);
    byte[] version2 = skdm.clone();
    version2[0] = 0x23;
    byte[] version4 = skdm.clone();
    version4[0] = 0x43;
    for (byte[] bad : List.of(new byte[] {0x33}, truncated, version2, version4)) {
      assertEquals(
          "invalid_message",
          bob.process()
              .failure("skdm_process", "who", bob.who(), "sender", alice.address(), "skdm", bad),
          "SKDM " + Base64.getEncoder().encodeToString(bad));
    }
  }

  @ParameterizedTest
  @EnumSource(Direction.class)
  void groupOps_badDistributionId_invalidArgument(Direction d) {
    Member alice = member(initiator(d), "alice");
    for (String bad : List.of("not-a-uuid", "", "d1b3a0c212344abc8def0123456789ab")) {
      assertEquals(
          "invalid_argument",
          alice.process().failure("skdm_create", "who", alice.who(), "distributionId", bad),
          "skdm_create with distributionId '" + bad + "'");
      assertEquals(
          "invalid_argument",
          alice
              .process()
              .failure("group_encrypt", "who", alice.who(), "distributionId", bad, "text", "hi"),
          "group_encrypt with distributionId '" + bad + "'");
    }
  }

  /** Ways to damage a group message in transit. */
  enum Tamper {
    SIGNATURE_BYTE("last signature byte flipped") {
      @Override
      byte[] apply(byte[] ct) {
        return flipped(ct, ct.length - 1, 0x01);
      }
    },
    SIGNATURE_FIRST_BYTE("first signature byte flipped") {
      @Override
      byte[] apply(byte[] ct) {
        return flipped(ct, ct.length - SIGNATURE_LENGTH, 0x80);
      }
    },
    CIPHERTEXT_BYTE("last ciphertext byte flipped") {
      @Override
      byte[] apply(byte[] ct) {
        return flipped(ct, ct.length - SIGNATURE_LENGTH - 1, 0x40);
      }
    },
    VERSION_2("version byte 0x33 → 0x23") {
      @Override
      byte[] apply(byte[] ct) {
        return flipped(ct, 0, 0x33 ^ 0x23);
      }
    },
    VERSION_4("version byte 0x33 → 0x43") {
      @Override
      byte[] apply(byte[] ct) {
        return flipped(ct, 0, 0x33 ^ 0x43);
      }
    },
    SHORT("only the version byte and a signature") {
      @Override
      byte[] apply(byte[] ct) {
        return Arrays.copyOfRange(ct, ct.length - SIGNATURE_LENGTH - 1, ct.length);
      }
    };

    private final String description;

    Tamper(String description) {
      this.description = description;
    }

    abstract byte[] apply(byte[] ct);

    private static byte[] flipped(byte[] ct, int index, int mask) {
      byte[] copy = ct.clone();
      copy[index] ^= (byte) mask;
      return copy;
    }

    @Override
    public String toString() {
      return description;
    }
  }

  static Stream<Arguments> directionsAndTampers() {
    return Arrays.stream(Direction.values())
        .flatMap(d -> Arrays.stream(Tamper.values()).map(t -> Arguments.of(d, t)));
  }

  @ParameterizedTest
  @MethodSource("directionsAndTampers")
  void tamperedGroupMessage_invalidMessage_genuineThenDecryptsOnce(Direction d, Tamper t) {
    Member alice = member(initiator(d), "alice");
    Member bob = member(responder(d), "bob");
    String group = UUID.randomUUID().toString();
    process(bob, alice, skdm(alice, group));
    byte[] m0 = encrypt(alice, group, utf8("genuine zero"));
    byte[] m1 = encrypt(alice, group, utf8("genuine one"));

    assertEquals("invalid_message", decryptFailure(bob, alice, t.apply(m1)), t.toString());
    assertArrayEquals(utf8("genuine one"), decrypt(bob, alice, m1), "m1 after the tampered m1");
    assertEquals("duplicate_message", decryptFailure(bob, alice, m1), "m1 again");
    assertArrayEquals(utf8("genuine zero"), decrypt(bob, alice, m0), "skipped m0");
    assertEquals("duplicate_message", decryptFailure(bob, alice, m0), "m0 again");
  }

  private void distribute(List<Member> members, String group) {
    for (Member sender : members) {
      byte[] skdm = skdm(sender, group);
      for (Member receiver : members) {
        if (receiver != sender) {
          process(receiver, sender, skdm);
        }
      }
    }
  }

  private static byte[] skdm(Member m, String group) {
    return b64(m.process().ok("skdm_create", "who", m.who(), "distributionId", group).path("skdm"));
  }

  private static void process(Member receiver, Member sender, byte[] skdm) {
    receiver
        .process()
        .ok("skdm_process", "who", receiver.who(), "sender", sender.address(), "skdm", skdm);
  }

  private static byte[] encrypt(Member sender, String group, byte[] plaintext) {
    return encryptAll(sender, group, List.of(plaintext)).get(0);
  }

  /** Encrypts all plaintexts in one pipelined batch; every reply must be a type-7 message. */
  private static List<byte[]> encryptAll(Member sender, String group, List<byte[]> plaintexts) {
    List<ObjectNode> reqs = new ArrayList<>();
    for (byte[] p : plaintexts) {
      reqs.add(
          PeerProcess.request(
              "group_encrypt", "who", sender.who(), "distributionId", group, "plaintext", p));
    }
    List<byte[]> out = new ArrayList<>();
    for (JsonNode r : sender.process().okAll(reqs)) {
      assertEquals(SENDERKEY_TYPE, r.path("type").asInt(), "type from " + sender);
      out.add(b64(r.path("ciphertext")));
    }
    return out;
  }

  private static byte[] decrypt(Member receiver, Member sender, byte[] ct) {
    return b64(
        receiver
            .process()
            .ok(
                "group_decrypt",
                "who",
                receiver.who(),
                "sender",
                sender.address(),
                "ciphertext",
                ct)
            .path("plaintext"));
  }

  private static String decryptFailure(Member receiver, Member sender, byte[] ct) {
    return receiver
        .process()
        .failure(
            "group_decrypt", "who", receiver.who(), "sender", sender.address(), "ciphertext", ct);
  }

  private static List<ObjectNode> decryptRequests(
      Member receiver, Member sender, List<byte[]> cts) {
    List<ObjectNode> reqs = new ArrayList<>();
    for (byte[] ct : cts) {
      reqs.add(
          PeerProcess.request(
              "group_decrypt",
              "who",
              receiver.who(),
              "sender",
              sender.address(),
              "ciphertext",
              ct));
    }
    return reqs;
  }

  /** Decrypts all messages in one pipelined batch; each must yield its expected plaintext. */
  private static void decryptAllAndCheck(
      Member receiver, Member sender, List<byte[]> cts, List<byte[]> expected, String what) {
    List<JsonNode> replies = receiver.process().callAll(decryptRequests(receiver, sender, cts));
    for (int i = 0; i < replies.size(); i++) {
      receiver.process().requireOk(what + ": group_decrypt #" + i, replies.get(i));
      assertArrayEquals(
          expected.get(i),
          b64(replies.get(i).path("plaintext")),
          what + ": group_decrypt #" + i + ": wrong plaintext");
    }
  }

  private static byte[] b64(JsonNode node) {
    return Base64.getDecoder().decode(node.asText());
  }
}
