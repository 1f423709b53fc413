package org.sotto.protocol.interop;

import static org.sotto.protocol.interop.SessionOps.b64;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.fingerprint.Fingerprint;
import org.sotto.protocol.fingerprint.NumericFingerprintGenerator;

/**
 * The {@code fingerprint} op: the safety number between one of the peer's identities ({@code who})
 * and a peer given by address and identity key, as libsignal's version 2 with 5,200 iterations and
 * each side's 16-byte UUID as identifier (interop-peer.md). Stateless apart from the identity
 * lookup; not thread-safe only because the peer is not.
 */
final class FingerprintOps {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** Finds the identity a request names in {@code who}. */
  @FunctionalInterface
  interface IdentityLookup {
    PeerIdentity identity(Request req) throws PeerError;
  }

  private final IdentityLookup identities;
  private final NumericFingerprintGenerator generator =
      new NumericFingerprintGenerator(NumericFingerprintGenerator.ITERATIONS);

  FingerprintOps(IdentityLookup identities) {
    this.identities = identities;
  }

  ObjectNode fingerprint(Request req) throws PeerError, InvalidKeyException {
    PeerIdentity id = identities.identity(req);
    ProtocolAddress peer = req.address("peer");
    IdentityKey peerKey = IdentityKey.fromBytes(req.bytes("peerIdentityKey"));
    Fingerprint fingerprint =
        generator.createFor(
            NumericFingerprintGenerator.VERSION,
            uuid(id.address().name(), "local name"),
            id.identityKeyPair().identityKey(),
            uuid(peer.name(), "peer.name"),
            peerKey);
    return JSON.objectNode()
        .put("displayable", fingerprint.displayable().getDisplayText())
        .put("scannable", b64(fingerprint.scannable().serialize()));
  }

  private static byte[] uuid(String name, String field) throws PeerError {
    try {
      return NumericFingerprintGenerator.uuidIdentifier(name);
    } catch (IllegalArgumentException e) {
      throw PeerError.invalidArgument("field " + field + ": UUID string expected");
    }
  }
}
