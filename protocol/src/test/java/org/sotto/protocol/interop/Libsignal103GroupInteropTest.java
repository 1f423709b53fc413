package org.sotto.protocol.interop;

/**
 * {@link LibsignalGroupInteropTest}'s scenarios against libsignal 0.103.0 (sender keys are
 * unchanged; their distribution messages travel in SPQR sessions).
 */
final class Libsignal103GroupInteropTest extends LibsignalGroupInteropTest {
  @Override
  String libsignalVersion() {
    return "0.103";
  }
}
