package org.sotto.client.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import java.util.regex.Pattern;
import org.sotto.api.AccountId;

/**
 * What an existing device tells a new one, inside the provisioning encryption: a small versioned
 * JSON object {@code {"v":1, "accountId", "handle", "identityKeyPair", "code", "profileKey"}}.
 * {@code profileKey} (32 bytes) is optional. {@link #toString()} shows no key and no code.
 * Immutable apart from the arrays, which {@link #wipe()} clears.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record ProvisioningMessage(
    int v,
    String accountId,
    String handle,
    byte[] identityKeyPair,
    String code,
    byte[] profileKey) {
  /** The message version this client writes and reads. */
  static final int VERSION = 1;

  /** A profile key is 32 bytes (an AES-256 key). */
  static final int PROFILE_KEY_BYTES = 32;

  /** Provisioning codes are short base64url strings (the server's API allows 64 characters). */
  static final int MAX_CODE_CHARS = 64;

  /** Handles are short; the server allows far fewer than this. */
  static final int MAX_HANDLE_CHARS = 64;

  /** A handle must also be usable as the local store's file name. */
  private static final Pattern SAFE_HANDLE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]*");

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Version 1 message. */
  static ProvisioningMessage of(
      AccountId accountId, String handle, byte[] identityKeyPair, String code, byte[] profileKey) {
    Objects.requireNonNull(accountId, "accountId");
    return new ProvisioningMessage(
        VERSION, accountId.toString(), handle, identityKeyPair, code, profileKey);
  }

  byte[] encode() {
    try {
      return JSON.writeValueAsBytes(this);
    } catch (IOException e) {
      throw new AssertionError("a record of strings, numbers and bytes always serializes", e);
    }
  }

  /** Parses and checks a message; anything malformed is an {@link IOException}. */
  static ProvisioningMessage decode(byte[] bytes) throws IOException {
    ProvisioningMessage m;
    try {
      m = JSON.readValue(bytes, ProvisioningMessage.class);
    } catch (IOException | RuntimeException e) {
      throw new IOException("provisioning message is not valid JSON");
    }
    if (m == null
        || m.v() != VERSION
        || m.accountId() == null
        || m.handle() == null
        || m.handle().length() > MAX_HANDLE_CHARS
        || !SAFE_HANDLE.matcher(m.handle()).matches()
        || m.identityKeyPair() == null
        || m.code() == null
        || m.code().isEmpty()
        || m.code().length() > MAX_CODE_CHARS
        || (m.profileKey() != null && m.profileKey().length != PROFILE_KEY_BYTES)) {
      throw new IOException("provisioning message has missing or invalid fields");
    }
    try {
      AccountId.parse(m.accountId());
    } catch (IllegalArgumentException e) {
      throw new IOException("provisioning message has an invalid account id");
    }
    return m;
  }

  AccountId account() {
    return AccountId.parse(accountId);
  }

  /** Overwrites the key material held in this message. */
  void wipe() {
    if (identityKeyPair != null) {
      Arrays.fill(identityKeyPair, (byte) 0);
    }
    if (profileKey != null) {
      Arrays.fill(profileKey, (byte) 0);
    }
  }

  @Override
  public String toString() {
    return "ProvisioningMessage[v=" + v + ", accountId=" + accountId + ", <keys redacted>]";
  }
}
