package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.sotto.api.AccountId;
import org.sotto.protocol.ecc.ECKeyPair;

/** {@link ProvisioningCipher}, {@link ProvisioningMessage} and {@link LinkUri} without a server. */
class ProvisioningCipherTest {
  private final SecureRandom rng = new SecureRandom();
  private final ECKeyPair newDevice = ECKeyPair.generate(rng);

  @Test
  void encrypt_thenDecryptWithTheNewDevicesKey_roundTrips() throws Exception {
    byte[] plain = "{\"v\":1}".getBytes();

    byte[] body = ProvisioningCipher.encrypt(newDevice.publicKey(), plain, rng);

    assertArrayEquals(plain, ProvisioningCipher.decrypt(newDevice.privateKey(), body));
  }

  @Test
  void decrypt_everySingleBitFlip_isRefused() {
    byte[] body = ProvisioningCipher.encrypt(newDevice.publicKey(), new byte[40], rng);
    for (int i = 0; i < body.length; i++) {
      byte[] bad = body.clone();
      bad[i] ^= 1;
      assertThrows(
          GeneralSecurityException.class,
          () -> ProvisioningCipher.decrypt(newDevice.privateKey(), bad),
          "bit flipped at " + i);
    }
  }

  @Test
  void decrypt_withAnotherKeyOrTooShort_isRefused() {
    byte[] body = ProvisioningCipher.encrypt(newDevice.publicKey(), new byte[40], rng);

    assertThrows(
        GeneralSecurityException.class,
        () -> ProvisioningCipher.decrypt(ECKeyPair.generate(rng).privateKey(), body));
    assertThrows(
        GeneralSecurityException.class,
        () -> ProvisioningCipher.decrypt(newDevice.privateKey(), new byte[10]));
  }

  @Test
  void message_encodeDecode_roundTripsAndToStringHidesKeys() throws Exception {
    AccountId account = AccountId.random();
    byte[] identity = new byte[65];
    rng.nextBytes(identity);
    ProvisioningMessage m =
        ProvisioningMessage.of(account, "bob", identity, "the-code", new byte[32]);

    ProvisioningMessage back = ProvisioningMessage.decode(m.encode());

    assertEquals(account, back.account());
    assertEquals("bob", back.handle());
    assertArrayEquals(identity, back.identityKeyPair());
    assertEquals("the-code", back.code());
    assertEquals(
        "ProvisioningMessage[v=1, accountId=" + account + ", <keys redacted>]", m.toString());
  }

  @Test
  void message_unsafeHandleOrBadProfileKeyOrVersion_isRefused() {
    AccountId account = AccountId.random();
    for (ProvisioningMessage bad :
        new ProvisioningMessage[] {
          ProvisioningMessage.of(account, "../etc", new byte[65], "c", null),
          ProvisioningMessage.of(account, "bob", new byte[65], "c", new byte[31]),
          ProvisioningMessage.of(account, "bob", new byte[65], "", null),
          new ProvisioningMessage(2, account.toString(), "bob", new byte[65], "c", null),
          new ProvisioningMessage(1, "not-a-uuid", "bob", new byte[65], "c", null)
        }) {
      assertThrows(
          IOException.class, () -> ProvisioningMessage.decode(bad.encode()), bad::toString);
    }
  }

  @Test
  void linkUri_formatThenParse_givesTheSameAddressAndKey() throws Exception {
    URI uri = new LinkUri("AbC-_09", newDevice.publicKey()).toUri();

    LinkUri back = LinkUri.parse(uri.toString());

    assertEquals("AbC-_09", back.address());
    assertEquals(newDevice.publicKey(), back.publicKey());
    assertEquals("sotto", uri.getScheme());
    assertEquals("link", uri.getAuthority());
  }
}
