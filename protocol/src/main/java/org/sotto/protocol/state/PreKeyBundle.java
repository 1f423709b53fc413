package org.sotto.protocol.state;

import java.util.Objects;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.kem.KEMPublicKey;

/**
 * The public keys a server hands out so that someone can start a session with one device: identity
 * key, signed prekey, Kyber prekey and optionally a one-time prekey. Signatures are checked by
 * {@code SessionBuilder}, not here.
 *
 * @param registrationId the device's registration id
 * @param deviceId the device id
 * @param preKeyId the one-time prekey id, or null when there is none
 * @param preKey the one-time prekey, or null when there is none
 * @param signedPreKeyId the signed prekey id
 * @param signedPreKey the signed prekey
 * @param signedPreKeySignature XEdDSA signature of the identity key over the signed prekey's 33
 *     bytes
 * @param kyberPreKeyId the Kyber prekey id
 * @param kyberPreKey the Kyber prekey
 * @param kyberPreKeySignature XEdDSA signature of the identity key over the Kyber prekey's 1,569
 *     bytes
 * @param identityKey the device's identity key
 */
public record PreKeyBundle(
    int registrationId,
    int deviceId,
    Integer preKeyId,
    ECPublicKey preKey,
    int signedPreKeyId,
    ECPublicKey signedPreKey,
    byte[] signedPreKeySignature,
    int kyberPreKeyId,
    KEMPublicKey kyberPreKey,
    byte[] kyberPreKeySignature,
    IdentityKey identityKey) {

  /**
   * Checks that required keys are present and that the one-time prekey id and key come together.
   */
  public PreKeyBundle {
    Objects.requireNonNull(signedPreKey, "signedPreKey");
    Objects.requireNonNull(signedPreKeySignature, "signedPreKeySignature");
    Objects.requireNonNull(kyberPreKey, "kyberPreKey");
    Objects.requireNonNull(kyberPreKeySignature, "kyberPreKeySignature");
    Objects.requireNonNull(identityKey, "identityKey");
    if ((preKeyId == null) != (preKey == null)) {
      throw new IllegalArgumentException(
          "one-time prekey id and key must both be present or absent");
    }
    signedPreKeySignature = signedPreKeySignature.clone();
    kyberPreKeySignature = kyberPreKeySignature.clone();
  }

  @Override
  public byte[] signedPreKeySignature() {
    return signedPreKeySignature.clone();
  }

  @Override
  public byte[] kyberPreKeySignature() {
    return kyberPreKeySignature.clone();
  }
}
