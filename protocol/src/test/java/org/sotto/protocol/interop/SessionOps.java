package org.sotto.protocol.interop;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.NoSessionException;
import org.sotto.protocol.ProtocolAddress;
import org.sotto.protocol.SessionBuilder;
import org.sotto.protocol.SessionCipher;
import org.sotto.protocol.UntrustedIdentityException;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.kem.KEMPublicKey;
import org.sotto.protocol.message.CiphertextMessage;
import org.sotto.protocol.message.PreKeySignalMessage;
import org.sotto.protocol.message.SignalMessage;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyBundle;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.util.KeyHelper;

/**
 * The peer ops on identities and 1:1 sessions: {@code create_identity}, {@code generate_bundle},
 * {@code process_bundle}, {@code encrypt}, {@code decrypt}, {@code session_info} and {@code trust}.
 * State that must survive a failed op is only written by the protocol core (copy-then-commit), so a
 * failure leaves the stores as they were. Not thread-safe.
 */
final class SessionOps {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /**
   * Registration ids are 14-bit on the wire in Signal's apps; the libsignal peer uses the same
   * range.
   */
  private static final int MAX_REGISTRATION_ID = 16380;

  private final Map<String, PeerIdentity> identities = new HashMap<>();
  private final SecureRandom rng;
  private final Clock clock;

  SessionOps(SecureRandom rng, Clock clock) {
    this.rng = rng;
    this.clock = clock;
  }

  ObjectNode createIdentity(Request req) throws PeerError {
    String who = req.label("who");
    String name = req.string("name", UUID.randomUUID().toString());
    int deviceId = req.integer("deviceId", 1, 1, ProtocolAddress.MAX_DEVICE_ID);
    int registrationId =
        req.present("registrationId")
            ? req.integer("registrationId", 1, MAX_REGISTRATION_ID)
            : KeyHelper.generateRegistrationId(rng);
    IdentityKeyPair pair = IdentityKeyPair.generate(rng);
    identities.put(
        who, new PeerIdentity(new ProtocolAddress(name, deviceId), registrationId, pair));
    return JSON.objectNode()
        .put("name", name)
        .put("deviceId", deviceId)
        .put("registrationId", registrationId)
        .put("identityKey", b64(pair.identityKey().serialize()));
  }

  ObjectNode generateBundle(Request req) throws PeerError {
    PeerIdentity id = identity(req);
    boolean oneTime = req.bool("oneTimePreKey", true);
    Instant now = clock.instant();

    Integer preKeyId = null;
    ECPublicKey preKey = null;
    if (oneTime) {
      PreKeyRecord record = KeyHelper.generatePreKey(id.takePreKeyId(), rng);
      id.store().storePreKey(record.id(), record);
      preKeyId = record.id();
      preKey = record.keyPair().publicKey();
    }
    SignedPreKeyRecord signed =
        KeyHelper.generateSignedPreKey(id.identityKeyPair(), id.takeSignedPreKeyId(), now, rng);
    id.store().storeSignedPreKey(signed.id(), signed);
    KyberPreKeyRecord kyber =
        KeyHelper.generateKyberPreKey(
            id.identityKeyPair(), id.takeKyberPreKeyId(), false, now, rng);
    id.store().storeKyberPreKey(kyber.id(), kyber);

    ObjectNode bundle = JSON.objectNode();
    bundle.put("registrationId", id.registrationId());
    bundle.put("deviceId", id.address().deviceId());
    bundle.put("name", id.address().name());
    bundle.put("identityKey", b64(id.identityKeyPair().identityKey().serialize()));
    if (preKeyId != null) {
      bundle.put("preKeyId", preKeyId);
      bundle.put("preKey", b64(preKey.serialize()));
    } else {
      bundle.putNull("preKeyId");
      bundle.putNull("preKey");
    }
    bundle.put("signedPreKeyId", signed.id());
    bundle.put("signedPreKey", b64(signed.keyPair().publicKey().serialize()));
    bundle.put("signedPreKeySignature", b64(signed.signature()));
    bundle.put("kyberPreKeyId", kyber.id());
    bundle.put("kyberPreKey", b64(kyber.keyPair().publicKey().serialize()));
    bundle.put("kyberPreKeySignature", b64(kyber.signature()));
    ObjectNode reply = JSON.objectNode();
    reply.set("bundle", bundle);
    return reply;
  }

  ObjectNode processBundle(Request req)
      throws PeerError, InvalidKeyException, UntrustedIdentityException {
    PeerIdentity id = identity(req);
    ProtocolAddress peer = req.address("peer");
    PreKeyBundle bundle = bundle(req.object("bundle"));
    new SessionBuilder(id.store(), peer).process(bundle, clock.instant(), rng);
    return JSON.objectNode();
  }

  ObjectNode encrypt(Request req) throws PeerError, NoSessionException, UntrustedIdentityException {
    PeerIdentity id = identity(req);
    ProtocolAddress peer = req.address("peer");
    byte[] plaintext = req.plaintext();
    CiphertextMessage message =
        new SessionCipher(id.store(), id.address(), peer).encrypt(plaintext, clock.instant(), rng);
    return JSON.objectNode()
        .put("type", message.type())
        .put("ciphertext", b64(message.serialize()));
  }

  ObjectNode decrypt(Request req)
      throws PeerError,
          InvalidMessageException,
          DuplicateMessageException,
          InvalidKeyException,
          NoSessionException,
          UntrustedIdentityException {
    PeerIdentity id = identity(req);
    ProtocolAddress peer = req.address("peer");
    int type = req.integer("type", 0, Integer.MAX_VALUE);
    byte[] bytes = req.bytes("ciphertext");
    SessionCipher cipher = new SessionCipher(id.store(), id.address(), peer);
    byte[] plaintext =
        switch (type) {
          case CiphertextMessage.PREKEY_TYPE ->
              cipher.decrypt(PreKeySignalMessage.fromBytes(bytes), clock.instant(), rng);
          case CiphertextMessage.WHISPER_TYPE ->
              cipher.decrypt(SignalMessage.fromBytes(bytes), clock.instant(), rng);
          default -> throw PeerError.invalidArgument("field type: 2 or 3 expected, got " + type);
        };
    return plaintextReply(plaintext);
  }

  ObjectNode sessionInfo(Request req) throws PeerError {
    PeerIdentity id = identity(req);
    return JSON.objectNode().put("hasSession", id.store().containsSession(req.address("peer")));
  }

  /** Replaces the trusted identity key for a peer (the TOFU store's saveIdentity replaces). */
  ObjectNode trust(Request req) throws PeerError, InvalidKeyException {
    PeerIdentity id = identity(req);
    ProtocolAddress peer = req.address("peer");
    IdentityKey key = IdentityKey.fromBytes(req.bytes("identityKey"));
    id.store().saveIdentity(peer, key);
    return JSON.objectNode();
  }

  static ObjectNode plaintextReply(byte[] plaintext) {
    return JSON.objectNode()
        .put("plaintext", b64(plaintext))
        .put("text", new String(plaintext, StandardCharsets.UTF_8));
  }

  PeerIdentity identity(Request req) throws PeerError {
    String who = req.label("who");
    PeerIdentity id = identities.get(who);
    if (id == null) {
      throw PeerError.invalidArgument(
          "unknown identity who=" + who + "; call create_identity first");
    }
    return id;
  }

  private static PreKeyBundle bundle(Request b) throws PeerError, InvalidKeyException {
    boolean hasPreKey = b.present("preKeyId");
    return new PreKeyBundle(
        b.unsignedId("registrationId"),
        b.integer("deviceId", 1, ProtocolAddress.MAX_DEVICE_ID),
        hasPreKey ? b.unsignedId("preKeyId") : null,
        hasPreKey ? ECPublicKey.fromBytes(b.bytes("preKey")) : null,
        b.unsignedId("signedPreKeyId"),
        ECPublicKey.fromBytes(b.bytes("signedPreKey")),
        b.bytes("signedPreKeySignature"),
        b.unsignedId("kyberPreKeyId"),
        KEMPublicKey.fromBytes(b.bytes("kyberPreKey")),
        b.bytes("kyberPreKeySignature"),
        IdentityKey.fromBytes(b.bytes("identityKey")));
  }

  static String b64(byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
