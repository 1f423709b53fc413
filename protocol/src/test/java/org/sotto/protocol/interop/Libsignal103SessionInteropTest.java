package org.sotto.protocol.interop;

/**
 * Every scenario of {@link LibsignalSessionInteropTest}, both directions, against libsignal
 * 0.103.0, which runs SPQR and refuses sessions without it: Sotto's sessions carry SPQR from the
 * first message.
 */
final class Libsignal103SessionInteropTest extends LibsignalSessionInteropTest {
  @Override
  String libsignalVersion() {
    return "0.103";
  }
}
