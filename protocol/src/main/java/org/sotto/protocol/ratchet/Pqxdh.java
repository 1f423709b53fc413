package org.sotto.protocol.ratchet;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.sotto.protocol.IdentityKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.kdf.Hkdf;
import org.sotto.protocol.spqr.PqRatchet;
import org.sotto.protocol.state.SessionState;

/**
 * PQXDH key agreement (signal.org/docs/specifications/pqxdh) and the initial Double Ratchet states
 * of both sides. Stateless and thread-safe.
 */
public final class Pqxdh {
  /** Session version of PQXDH sessions. */
  public static final int SESSION_VERSION = 4;

  private static final byte[] INFO =
      "WhisperText_X25519_SHA-256_CRYSTALS-KYBER-1024".getBytes(StandardCharsets.US_ASCII);

  /** Root key ‖ chain key ‖ SPQR authentication key. */
  private static final int DERIVED_LENGTH = 96;

  private static final int DISCONTINUITY_LENGTH = 32;

  private Pqxdh() {}

  /** Alice's side: everything she knows after processing Bob's bundle. */
  public record AliceParameters(
      IdentityKeyPair ourIdentity,
      ECKeyPair ourBaseKey,
      IdentityKey theirIdentity,
      ECPublicKey theirSignedPreKey,
      ECPublicKey theirOneTimePreKey,
      byte[] kyberSharedSecret) {
    @Override
    public String toString() {
      return "AliceParameters[redacted]";
    }
  }

  /** Bob's side: everything he knows on receiving Alice's first message. */
  public record BobParameters(
      IdentityKeyPair ourIdentity,
      ECKeyPair ourSignedPreKey,
      ECKeyPair ourOneTimePreKey,
      IdentityKey theirIdentity,
      ECPublicKey theirBaseKey,
      byte[] kyberSharedSecret) {
    @Override
    public String toString() {
      return "BobParameters[redacted]";
    }
  }

  /** Alice's initial state: a receiving chain on Bob's signed prekey and a fresh sending chain. */
  public static SessionState initializeAlice(AliceParameters p, SecureRandom rng)
      throws InvalidKeyException {
    ByteArrayOutputStream secret = discontinuity();
    write(secret, p.ourIdentity().privateKey().calculateAgreement(p.theirSignedPreKey()));
    write(secret, p.ourBaseKey().privateKey().calculateAgreement(p.theirIdentity().publicKey()));
    write(secret, p.ourBaseKey().privateKey().calculateAgreement(p.theirSignedPreKey()));
    if (p.theirOneTimePreKey() != null) {
      write(secret, p.ourBaseKey().privateKey().calculateAgreement(p.theirOneTimePreKey()));
    }
    write(secret, p.kyberSharedSecret());
    Derived d = derive(secret.toByteArray());

    ECKeyPair sendingRatchet = ECKeyPair.generate(rng);
    RootKey.Step sending = d.rootKey().createChain(p.theirSignedPreKey(), sendingRatchet);

    SessionState state =
        SessionState.create(
            SESSION_VERSION, p.ourIdentity().identityKey(), p.theirIdentity(), sending.rootKey());
    state.setPqRatchet(PqRatchet.start(d.pqKey(), true));
    state.addReceiverChain(p.theirSignedPreKey(), d.chainKey());
    state.setSenderChain(sendingRatchet, sending.chainKey());
    state.setAliceBaseKey(p.ourBaseKey().publicKey());
    return state;
  }

  /**
   * Bob's initial state: a sending chain on his signed prekey (he ratchets when Alice's key
   * arrives), and SPQR if Alice's first message carries it ({@code spqr}); without, the session
   * runs the Double Ratchet alone (a peer that does not run SPQR).
   */
  public static SessionState initializeBob(BobParameters p, boolean spqr)
      throws InvalidKeyException {
    ByteArrayOutputStream secret = discontinuity();
    write(
        secret, p.ourSignedPreKey().privateKey().calculateAgreement(p.theirIdentity().publicKey()));
    write(secret, p.ourIdentity().privateKey().calculateAgreement(p.theirBaseKey()));
    write(secret, p.ourSignedPreKey().privateKey().calculateAgreement(p.theirBaseKey()));
    if (p.ourOneTimePreKey() != null) {
      write(secret, p.ourOneTimePreKey().privateKey().calculateAgreement(p.theirBaseKey()));
    }
    write(secret, p.kyberSharedSecret());
    Derived d = derive(secret.toByteArray());

    SessionState state =
        SessionState.create(
            SESSION_VERSION, p.ourIdentity().identityKey(), p.theirIdentity(), d.rootKey());
    state.setSenderChain(p.ourSignedPreKey(), d.chainKey());
    state.setAliceBaseKey(p.theirBaseKey());
    if (spqr) {
      state.setPqRatchet(PqRatchet.start(d.pqKey(), false));
    }
    return state;
  }

  private static ByteArrayOutputStream discontinuity() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(32 * 6);
    byte[] ff = new byte[DISCONTINUITY_LENGTH];
    Arrays.fill(ff, (byte) 0xFF);
    out.writeBytes(ff);
    return out;
  }

  private static void write(ByteArrayOutputStream out, byte[] b) {
    out.writeBytes(b);
  }

  private static Derived derive(byte[] secret) {
    byte[] okm = Hkdf.deriveSecrets(secret, null, INFO, DERIVED_LENGTH);
    return new Derived(
        new RootKey(Arrays.copyOfRange(okm, 0, 32)),
        new ChainKey(Arrays.copyOfRange(okm, 32, 64), 0),
        Arrays.copyOfRange(okm, 64, DERIVED_LENGTH));
  }

  private record Derived(RootKey rootKey, ChainKey chainKey, byte[] pqKey) {}
}
