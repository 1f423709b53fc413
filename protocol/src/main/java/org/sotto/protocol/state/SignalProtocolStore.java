package org.sotto.protocol.state;

import org.sotto.protocol.groups.SenderKeyStore;

/** Everything a device stores for the 1:1 protocol and sender-key groups, in one place. */
public interface SignalProtocolStore
    extends IdentityKeyStore,
        PreKeyStore,
        SignedPreKeyStore,
        KyberPreKeyStore,
        SessionStore,
        SenderKeyStore {}
