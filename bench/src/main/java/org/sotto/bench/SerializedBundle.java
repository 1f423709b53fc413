package org.sotto.bench;

/**
 * A prekey bundle as a server hands it out: ids and serialized keys, nothing parsed yet. Parsing it
 * is part of the measured work of {@code session_setup}. The arrays are owned by the benchmark and
 * never changed.
 *
 * @param registrationId the device's registration id
 * @param deviceId the device id
 * @param preKeyId the one-time prekey id
 * @param preKey the one-time prekey, 33 bytes
 * @param signedPreKeyId the signed prekey id
 * @param signedPreKey the signed prekey, 33 bytes
 * @param signedPreKeySignature XEdDSA signature over {@code signedPreKey}
 * @param identityKey the identity key, 33 bytes
 * @param kyberPreKeyId the Kyber prekey id
 * @param kyberPreKey the Kyber-1024 prekey, 1,569 bytes
 * @param kyberPreKeySignature XEdDSA signature over {@code kyberPreKey}
 */
record SerializedBundle(
    int registrationId,
    int deviceId,
    int preKeyId,
    byte[] preKey,
    int signedPreKeyId,
    byte[] signedPreKey,
    byte[] signedPreKeySignature,
    byte[] identityKey,
    int kyberPreKeyId,
    byte[] kyberPreKey,
    byte[] kyberPreKeySignature) {}
