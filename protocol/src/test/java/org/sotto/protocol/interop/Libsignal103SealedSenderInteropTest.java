package org.sotto.protocol.interop;

/**
 * {@link LibsignalSealedSenderInteropTest}'s scenarios against libsignal 0.103.0: sealed sender
 * around SPQR sessions.
 */
final class Libsignal103SealedSenderInteropTest extends LibsignalSealedSenderInteropTest {
  @Override
  String libsignalVersion() {
    return "0.103";
  }
}
