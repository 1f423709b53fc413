package org.sotto.protocol.state.impl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidRecordException;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.KyberPreKeyStore;
import org.sotto.protocol.state.PreKeyRecord;
import org.sotto.protocol.state.PreKeyStore;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.state.SignedPreKeyStore;

/**
 * In-memory stores for all three kinds of prekey. Records are kept serialized, as a persistent
 * store would keep them. Thread-safe.
 */
public final class InMemoryPreKeyStores
    implements PreKeyStore, SignedPreKeyStore, KyberPreKeyStore {
  private final Map<Integer, byte[]> preKeys = new ConcurrentHashMap<>();
  private final Map<Integer, byte[]> signedPreKeys = new ConcurrentHashMap<>();
  private final Map<Integer, byte[]> kyberPreKeys = new ConcurrentHashMap<>();

  @Override
  public PreKeyRecord loadPreKey(int preKeyId) throws InvalidKeyException {
    byte[] b = preKeys.get(preKeyId);
    if (b == null) {
      throw new InvalidKeyException("no prekey with id " + preKeyId);
    }
    try {
      return PreKeyRecord.fromBytes(b);
    } catch (InvalidRecordException e) {
      throw new AssertionError("we wrote this record", e);
    }
  }

  @Override
  public void storePreKey(int preKeyId, PreKeyRecord record) {
    preKeys.put(preKeyId, record.serialize());
  }

  @Override
  public boolean containsPreKey(int preKeyId) {
    return preKeys.containsKey(preKeyId);
  }

  @Override
  public void removePreKey(int preKeyId) {
    preKeys.remove(preKeyId);
  }

  @Override
  public SignedPreKeyRecord loadSignedPreKey(int signedPreKeyId) throws InvalidKeyException {
    byte[] b = signedPreKeys.get(signedPreKeyId);
    if (b == null) {
      throw new InvalidKeyException("no signed prekey with id " + signedPreKeyId);
    }
    try {
      return SignedPreKeyRecord.fromBytes(b);
    } catch (InvalidRecordException e) {
      throw new AssertionError("we wrote this record", e);
    }
  }

  @Override
  public List<SignedPreKeyRecord> loadSignedPreKeys() {
    List<SignedPreKeyRecord> out = new ArrayList<>();
    for (int id : signedPreKeys.keySet()) {
      try {
        out.add(loadSignedPreKey(id));
      } catch (InvalidKeyException e) {
        // removed concurrently
      }
    }
    return out;
  }

  @Override
  public void storeSignedPreKey(int signedPreKeyId, SignedPreKeyRecord record) {
    signedPreKeys.put(signedPreKeyId, record.serialize());
  }

  @Override
  public boolean containsSignedPreKey(int signedPreKeyId) {
    return signedPreKeys.containsKey(signedPreKeyId);
  }

  @Override
  public void removeSignedPreKey(int signedPreKeyId) {
    signedPreKeys.remove(signedPreKeyId);
  }

  @Override
  public KyberPreKeyRecord loadKyberPreKey(int kyberPreKeyId) throws InvalidKeyException {
    byte[] b = kyberPreKeys.get(kyberPreKeyId);
    if (b == null) {
      throw new InvalidKeyException("no Kyber prekey with id " + kyberPreKeyId);
    }
    try {
      return KyberPreKeyRecord.fromBytes(b);
    } catch (InvalidRecordException e) {
      throw new AssertionError("we wrote this record", e);
    }
  }

  @Override
  public List<KyberPreKeyRecord> loadKyberPreKeys() {
    List<KyberPreKeyRecord> out = new ArrayList<>();
    for (int id : kyberPreKeys.keySet()) {
      try {
        out.add(loadKyberPreKey(id));
      } catch (InvalidKeyException e) {
        // removed concurrently
      }
    }
    return out;
  }

  @Override
  public void storeKyberPreKey(int kyberPreKeyId, KyberPreKeyRecord record) {
    kyberPreKeys.put(kyberPreKeyId, record.serialize());
  }

  @Override
  public boolean containsKyberPreKey(int kyberPreKeyId) {
    return kyberPreKeys.containsKey(kyberPreKeyId);
  }

  @Override
  public void markKyberPreKeyUsed(int kyberPreKeyId) {
    byte[] b = kyberPreKeys.get(kyberPreKeyId);
    if (b == null) {
      return;
    }
    try {
      if (!KyberPreKeyRecord.fromBytes(b).lastResort()) {
        kyberPreKeys.remove(kyberPreKeyId);
      }
    } catch (InvalidRecordException e) {
      throw new AssertionError("we wrote this record", e);
    }
  }
}
