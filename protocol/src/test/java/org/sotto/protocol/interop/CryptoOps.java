package org.sotto.protocol.interop;

import static org.sotto.protocol.interop.SessionOps.b64;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.kdf.Hkdf;
import org.sotto.protocol.kem.Encapsulation;
import org.sotto.protocol.kem.KEMKeyPair;
import org.sotto.protocol.kem.KEMPublicKey;
import org.sotto.protocol.kem.KEMSecretKey;
import org.sotto.protocol.kem.Kyber1024;

/**
 * The stateless known-answer ops on the primitives: {@code keypair}, {@code xeddsa_sign}, {@code
 * xeddsa_verify}, {@code agree}, {@code hkdf} and the {@code kem_*} ops. Not thread-safe only
 * because the random source is shared.
 */
final class CryptoOps {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** RFC 5869: at most 255 blocks of the hash length (32 B for SHA-256). */
  private static final int MAX_HKDF_LENGTH = 255 * 32;

  private final SecureRandom rng;

  CryptoOps(SecureRandom rng) {
    this.rng = rng;
  }

  ObjectNode keypair(Request req) {
    ECKeyPair pair = ECKeyPair.generate(rng);
    return JSON.objectNode()
        .put("privateKey", b64(pair.privateKey().serialize()))
        .put("publicKey", b64(pair.publicKey().serialize()));
  }

  ObjectNode xeddsaSign(Request req) throws PeerError, InvalidKeyException {
    ECPrivateKey key = ECPrivateKey.fromBytes(req.bytes("privateKey"));
    return JSON.objectNode()
        .put("signature", b64(key.calculateSignature(req.bytes("message"), rng)));
  }

  ObjectNode xeddsaVerify(Request req) throws PeerError, InvalidKeyException {
    ECPublicKey key = ECPublicKey.fromBytes(req.bytes("publicKey"));
    return JSON.objectNode()
        .put("valid", key.verifySignature(req.bytes("message"), req.bytes("signature")));
  }

  ObjectNode agree(Request req) throws PeerError, InvalidKeyException {
    ECPrivateKey ours = ECPrivateKey.fromBytes(req.bytes("privateKey"));
    ECPublicKey theirs = ECPublicKey.fromBytes(req.bytes("publicKey"));
    return JSON.objectNode().put("sharedSecret", b64(ours.calculateAgreement(theirs)));
  }

  ObjectNode hkdf(Request req) throws PeerError {
    int length = req.integer("length", 32, 1, MAX_HKDF_LENGTH);
    byte[] okm =
        Hkdf.deriveSecrets(req.bytes("ikm"), req.optionalBytes("salt"), req.bytes("info"), length);
    return JSON.objectNode().put("okm", b64(okm));
  }

  ObjectNode kemKeypair(Request req) {
    KEMKeyPair pair = KEMKeyPair.generate(rng);
    return JSON.objectNode()
        .put("publicKey", b64(pair.publicKey().serialize()))
        .put("secretKey", b64(pair.secretKey().serialize()));
  }

  ObjectNode kemEncapsulate(Request req) throws PeerError, InvalidKeyException {
    Encapsulation e = Kyber1024.encapsulate(KEMPublicKey.fromBytes(req.bytes("publicKey")), rng);
    return JSON.objectNode()
        .put("ciphertext", b64(e.ciphertext()))
        .put("sharedSecret", b64(e.sharedSecret()));
  }

  ObjectNode kemDecapsulate(Request req)
      throws PeerError, InvalidKeyException, InvalidMessageException {
    KEMSecretKey key = KEMSecretKey.fromBytes(req.bytes("secretKey"));
    return JSON.objectNode().put("sharedSecret", b64(key.decapsulate(req.bytes("ciphertext"))));
  }
}
