package org.sotto.protocol.state;

/** Everything a device stores for the 1:1 protocol, in one place. */
public interface SignalProtocolStore
    extends IdentityKeyStore, PreKeyStore, SignedPreKeyStore, KyberPreKeyStore, SessionStore {}
