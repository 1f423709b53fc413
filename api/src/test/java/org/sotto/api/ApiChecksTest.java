package org.sotto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.PreKey;
import org.sotto.api.dto.SendMessagesRequest;

class ApiChecksTest {
  private static byte[] ecKey() {
    byte[] k = new byte[33];
    k[0] = 0x05;
    return k;
  }

  @Test
  void handle_mixedCase_isLowerCased() {
    assertEquals("alice.b_1", ApiChecks.handle("Alice.B_1", "handle"));
    assertNull(ApiChecks.handle(null, "handle"));
  }

  @Test
  void handle_tooShortTooLongOrBadChars_rejectedNamingTheFieldOnly() {
    for (String bad : List.of("ab", "a".repeat(33), "al ice", "al/ice", "ålice", "")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> ApiChecks.handle(bad, "handle"));
      assertEquals("handle: must be 3-32 of [a-z0-9_.]", e.getMessage());
    }
  }

  @Test
  void secret_shortOrWithColonOrControlChars_rejectedWithoutEchoingIt() {
    String colon = "x".repeat(30) + ":";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ApiChecks.secret(colon, "deviceSecret"));
    assertFalse(e.getMessage().contains("xxx"));
    assertThrows(IllegalArgumentException.class, () -> ApiChecks.secret("short", "s"));
    assertThrows(
        IllegalArgumentException.class, () -> ApiChecks.secret("y".repeat(30) + "\n", "s"));
    assertEquals("z".repeat(24), ApiChecks.secret("z".repeat(24), "s"));
  }

  @Test
  void ecPublicKey_wrongTypeByteOrLength_rejected() {
    byte[] wrongType = ecKey();
    wrongType[0] = 0x08;
    assertThrows(IllegalArgumentException.class, () -> new PreKey(1, wrongType));
    assertThrows(IllegalArgumentException.class, () -> new PreKey(1, new byte[32]));
    assertThrows(IllegalArgumentException.class, () -> new PreKey(-1, ecKey()));
    assertThrows(
        IllegalArgumentException.class, () -> new PreKey(ApiChecks.MAX_PREKEY_ID + 1, ecKey()));
    assertEquals(7, new PreKey(7, ecKey()).keyId());
  }

  @Test
  void accountId_nonCanonicalForms_rejected() {
    String canonical = "0f8fad5b-d9cb-469f-a165-70867728950e";
    assertEquals(canonical, AccountId.parse(canonical).toString());
    assertEquals(canonical, AccountId.parse(canonical.toUpperCase()).toString());
    for (String bad :
        List.of(
            "0f8fad5b-d9cb-469f-a165-70867728950",
            "f8fad5b-d9cb-469f-a165-70867728950e0",
            "../../etc/passwd",
            "0-0-0-0-0",
            "")) {
      assertThrows(IllegalArgumentException.class, () -> AccountId.parse(bad), bad);
    }
  }

  @Test
  void deviceId_outsideOneTo127_rejected() {
    assertThrows(IllegalArgumentException.class, () -> new DeviceId(0));
    assertThrows(IllegalArgumentException.class, () -> new DeviceId(128));
    assertThrows(IllegalArgumentException.class, () -> DeviceId.parse("01x"));
    assertEquals(127, DeviceId.parse("127").value());
  }

  @Test
  void deviceIdParse_onlyOneToThreeDigits_accepted() {
    assertEquals(7, DeviceId.parse("7").value());
    for (String bad : new String[] {"", "1234", " 1", "1 ", "-1", "+1", "1.0", "0x1", "١"}) {
      assertThrows(IllegalArgumentException.class, () -> DeviceId.parse(bad), bad);
    }
  }

  @Test
  void sendMessages_emptyOrBadTimestampOrUnknownType_rejected() {
    OutgoingMessage ok = new OutgoingMessage(1, 1, 1, new byte[] {1});
    assertThrows(IllegalArgumentException.class, () -> new SendMessagesRequest(List.of(), 1));
    assertThrows(IllegalArgumentException.class, () -> new SendMessagesRequest(List.of(ok), 0));
    assertThrows(
        IllegalArgumentException.class, () -> new OutgoingMessage(2, 1, 1, new byte[] {1}));
    assertThrows(IllegalArgumentException.class, () -> new OutgoingMessage(1, 1, 1, new byte[0]));
    assertEquals(1, new SendMessagesRequest(List.of(ok), 5).messages().size());
  }

  @Test
  void linkDeviceRequest_toString_hidesSecretAndCode() {
    String secret = "s".repeat(30);
    var keys =
        new org.sotto.api.dto.DeviceKeys(
            1,
            new org.sotto.api.dto.SignedPreKey(1, ecKey(), new byte[64]),
            new org.sotto.api.dto.KyberPreKey(1, kyberKey(), new byte[64]),
            List.of(new PreKey(1, ecKey())),
            List.of());
    var req = new LinkDeviceRequest(AccountId.random(), "the-code-123", secret, keys);
    assertFalse(req.toString().contains(secret));
    assertFalse(req.toString().contains("the-code-123"));
  }

  @Test
  void provisioningCode_toString_hidesTheCode() {
    var code = new org.sotto.api.dto.ProvisioningCode("secret-link-code-42", 7);
    assertFalse(code.toString().contains("secret-link-code-42"));
  }

  private static byte[] kyberKey() {
    byte[] k = new byte[ApiChecks.KYBER_PUBLIC_KEY_BYTES];
    k[0] = 0x08;
    return k;
  }
}
