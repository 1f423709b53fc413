package org.sotto.server.testing;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.DeviceKeys;
import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.PreKey;
import org.sotto.api.dto.RegisterRequest;
import org.sotto.api.dto.SignedPreKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.util.KeyHelper;

/**
 * A test device with real protocol keys (identity, signed prekey, last-resort Kyber prekey,
 * one-time prekeys), its random secret and, once registered, its address. Immutable apart from the
 * builder-style copies.
 */
public final class TestDevice {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** One-time prekeys generated per device. */
  public static final int ONE_TIME_KEYS = 3;

  public final IdentityKeyPair identity;
  public final int registrationId;
  public final SignedPreKeyRecord signedPreKey;
  public final KyberPreKeyRecord lastResort;
  public final List<PreKeyRecord> preKeys;
  public final List<KyberPreKeyRecord> kyberPreKeys;
  public final String secret;
  public final Address address;

  private TestDevice(
      IdentityKeyPair identity,
      int registrationId,
      SignedPreKeyRecord signedPreKey,
      KyberPreKeyRecord lastResort,
      List<PreKeyRecord> preKeys,
      List<KyberPreKeyRecord> kyberPreKeys,
      String secret,
      Address address) {
    this.identity = identity;
    this.registrationId = registrationId;
    this.signedPreKey = signedPreKey;
    this.lastResort = lastResort;
    this.preKeys = preKeys;
    this.kyberPreKeys = kyberPreKeys;
    this.secret = secret;
    this.address = address;
  }

  /** Fresh keys and secret for a new account. */
  public static TestDevice generate() {
    return generate(IdentityKeyPair.generate(RANDOM));
  }

  /** Fresh device keys under an existing identity (a linked device). */
  public static TestDevice generate(IdentityKeyPair identity) {
    Instant now = Instant.now();
    List<PreKeyRecord> pre = new ArrayList<>();
    List<KyberPreKeyRecord> kyber = new ArrayList<>();
    for (int i = 1; i <= ONE_TIME_KEYS; i++) {
      pre.add(KeyHelper.generatePreKey(i, RANDOM));
      kyber.add(KeyHelper.generateKyberPreKey(identity, 100 + i, false, now, RANDOM));
    }
    byte[] s = new byte[24];
    RANDOM.nextBytes(s);
    return new TestDevice(
        identity,
        KeyHelper.generateRegistrationId(RANDOM),
        KeyHelper.generateSignedPreKey(identity, 1, now, RANDOM),
        KeyHelper.generateKyberPreKey(identity, 999, true, now, RANDOM),
        pre,
        kyber,
        java.util.HexFormat.of().formatHex(s),
        null);
  }

  /** This device with its server-assigned address. */
  public TestDevice registered(String accountId, int deviceId) {
    return new TestDevice(
        identity,
        registrationId,
        signedPreKey,
        lastResort,
        preKeys,
        kyberPreKeys,
        secret,
        new Address(AccountId.parse(accountId), new DeviceId(deviceId)));
  }

  /** The keys as the API wants them. */
  public DeviceKeys deviceKeys() {
    return new DeviceKeys(
        registrationId,
        new SignedPreKey(
            signedPreKey.id(),
            signedPreKey.keyPair().publicKey().serialize(),
            signedPreKey.signature()),
        kyber(lastResort),
        preKeys.stream().map(p -> new PreKey(p.id(), p.keyPair().publicKey().serialize())).toList(),
        kyberPreKeys.stream().map(TestDevice::kyber).toList());
  }

  /** A Kyber prekey record in API form. */
  public static KyberPreKey kyber(KyberPreKeyRecord k) {
    return new KyberPreKey(k.id(), k.keyPair().publicKey().serialize(), k.signature());
  }

  /** A registration request for this device's keys. */
  public RegisterRequest registerRequest(String handle) {
    return new RegisterRequest(
        handle, identity.identityKey().serialize(), secret, deviceKeys(), null, null);
  }

  /** HTTP Basic credentials. */
  public String basicAuth() {
    return TestClient.basic(address.account() + "." + address.device(), secret);
  }

  /** The account id. */
  public AccountId account() {
    return address.account();
  }
}
