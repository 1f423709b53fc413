package org.sotto.protocol.interop;

/**
 * {@link LibsignalIdentityChangeInteropTest}'s scenarios, both directions, against libsignal
 * 0.103.0.
 */
final class Libsignal103IdentityChangeInteropTest extends LibsignalIdentityChangeInteropTest {
  @Override
  String libsignalVersion() {
    return "0.103";
  }
}
