package org.sotto.protocol.interop;

import static org.sotto.protocol.interop.SessionOps.b64;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.UUID;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.NoSessionException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.groups.GroupCipher;
import org.sotto.protocol.groups.GroupSessionBuilder;
import org.sotto.protocol.message.SenderKeyDistributionMessage;
import org.sotto.protocol.message.SenderKeyMessage;

/**
 * The peer ops on sender-key groups: {@code skdm_create}, {@code skdm_process}, {@code
 * group_encrypt} and {@code group_decrypt} (interop-peer.md), each on the sender-key store of the
 * identity named by {@code who}, whose own address is the sender. One extra op, Sotto only: {@code
 * skdm_rotate} {@code {who, distributionId}} → {@code {distributionId, skdm}} replaces the
 * identity's sending key for that distribution id with a new chain, as an app does when a member
 * leaves (libsignal's peer has no way to delete a sender key, so it rotates by a new distribution
 * id instead, and replies {@code unsupported} to this op). State is only written by the protocol
 * core (copy-then-commit), so a failed op leaves the store as it was. Not thread-safe.
 */
final class GroupOps {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Finds the identity a request names in {@code who}. */
  @FunctionalInterface
  interface IdentityLookup {
    PeerIdentity identity(Request req) throws PeerError;
  }

  private final SecureRandom rng;
  private final IdentityLookup identities;

  GroupOps(SecureRandom rng, IdentityLookup identities) {
    this.rng = rng;
    this.identities = identities;
  }

  ObjectNode skdmCreate(Request req) throws PeerError {
    PeerIdentity id = identities.identity(req);
    UUID distributionId = req.present("distributionId") ? distributionId(req) : UUID.randomUUID();
    SenderKeyDistributionMessage skdm =
        new GroupSessionBuilder(id.store()).create(id.address(), distributionId, rng);
    return distributionReply(skdm);
  }

  ObjectNode skdmRotate(Request req) throws PeerError {
    PeerIdentity id = identities.identity(req);
    SenderKeyDistributionMessage skdm =
        new GroupSessionBuilder(id.store()).rotate(id.address(), distributionId(req), rng);
    return distributionReply(skdm);
  }

  ObjectNode skdmProcess(Request req) throws PeerError, InvalidMessageException {
    PeerIdentity id = identities.identity(req);
    ProtocolAddress sender = req.address("sender");
    SenderKeyDistributionMessage skdm = SenderKeyDistributionMessage.fromBytes(req.bytes("skdm"));
    new GroupSessionBuilder(id.store()).process(sender, skdm);
    return JSON.objectNode();
  }

  ObjectNode groupEncrypt(Request req) throws PeerError, NoSessionException {
    PeerIdentity id = identities.identity(req);
    UUID distributionId = distributionId(req);
    byte[] plaintext = req.plaintext();
    SenderKeyMessage message =
        new GroupCipher(id.store()).encrypt(id.address(), distributionId, plaintext, rng);
    return JSON.objectNode()
        .put("type", message.type())
        .put("ciphertext", b64(message.serialize()));
  }

  ObjectNode groupDecrypt(Request req)
      throws PeerError, InvalidMessageException, DuplicateMessageException, NoSessionException {
    PeerIdentity id = identities.identity(req);
    ProtocolAddress sender = req.address("sender");
    byte[] plaintext = new GroupCipher(id.store()).decrypt(sender, req.bytes("ciphertext"));
    return SessionOps.plaintextReply(plaintext);
  }

  private static ObjectNode distributionReply(SenderKeyDistributionMessage skdm) {
    return JSON.objectNode()
        .put("distributionId", skdm.distributionId().toString())
        .put("skdm", b64(skdm.serialize()));
  }

  /** The {@code distributionId} field: a UUID in its canonical 36-character form. */
  private static UUID distributionId(Request req) throws PeerError {
    String s = req.string("distributionId");
    try {
      UUID uuid = UUID.fromString(s);
      if (uuid.toString().equalsIgnoreCase(s)) {
        return uuid;
      }
    } catch (IllegalArgumentException e) {
      // Reported below.
    }
    throw PeerError.invalidArgument("field distributionId: UUID string expected");
  }
}
