#!/usr/bin/env node
// libsignal interop peer for Sotto.
//
// Speaks the JSON-lines peer protocol of the Sotto interop tests: one request object per line on
// stdin, exactly one reply object per line on stdout, in order. Diagnostics go to stderr only.
//
// libsignal (@signalapp/libsignal-client, AGPL-3.0) is used here only as an out-of-process test
// peer, installed by `npm ci` in this folder at test time; nothing of it is linked into Sotto.

import { createRequire } from 'node:module';
import { randomUUID, randomInt } from 'node:crypto';
import { createInterface } from 'node:readline';

// Which libsignal: `--libsignal 0.90` (the default) or `--libsignal 0.103`, each pinned in package.json
// (0.103 under an npm alias, so both are installed side by side).
const LIBRARIES = {
  '0.90': '@signalapp/libsignal-client',
  '0.103': 'libsignal-client-0103',
};
const flag = process.argv.indexOf('--libsignal');
const choice = flag >= 0 ? process.argv[flag + 1] : '0.90';
if (!(choice in LIBRARIES)) {
  process.stderr.write(`[libsignal-peer] --libsignal: one of ${Object.keys(LIBRARIES).join(', ')} expected\n`);
  process.exit(2);
}
const S = await import(LIBRARIES[choice]);

const require = createRequire(import.meta.url);
const LIBSIGNAL_VERSION = require(`${LIBRARIES[choice]}/package.json`).version;
// From 0.92 on, the session functions take the local address after the remote one.
const LOCAL_ADDRESS_API = S.signalEncrypt.length >= 5;
/** The arguments naming the two ends of a session, for this library's API. */
const ends = (peer, id) => (LOCAL_ADDRESS_API ? [peer, id.address] : [peer]);

// ---------------------------------------------------------------------------------------------
// Errors

/** An error with an explicit peer-protocol error kind. */
class PeerError extends Error {
  constructor(kind, message) {
    super(message);
    this.kind = kind;
  }
}

const badArg = (msg) => new PeerError('invalid_argument', msg);

// Ops that receive a message: an unmappable failure there means the message was bad.
const DECRYPT_OPS = new Set(['decrypt', 'group_decrypt', 'sealed_decrypt', 'skdm_process']);

/** Maps a thrown error to a peer-protocol error kind. */
function errorKind(op, e) {
  if (e instanceof PeerError) return e.kind;
  const EC = S.ErrorCode;
  switch (e?.code) {
    case EC.DuplicatedMessage:
      return 'duplicate_message';
    case EC.UntrustedIdentity:
      return 'untrusted_identity';
    case EC.InvalidSession:
    case EC.InvalidSenderKeySession:
      return 'no_session';
    default:
      break;
  }
  const msg = String(e?.message ?? e);
  if (/session with .* not found|session (record )?not found|no session|missing sender key state|no sender key state/i.test(msg)) {
    return 'no_session';
  }
  if (DECRYPT_OPS.has(op)) return 'invalid_message';
  if (e?.code === S.ErrorCode.InvalidProtocolAddress) return 'invalid_argument';
  if (/bad key (type|length)|invalid (public |private )?key|signature validation failed|invalid signature|no key type identifier|key type/i.test(msg)) {
    return 'invalid_key';
  }
  return 'invalid_argument';
}

// ---------------------------------------------------------------------------------------------
// Encoding helpers

const B64_RE = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Standard base64 → Uint8Array (a fresh copy with its own ArrayBuffer). Strict. */
function b64(s, field) {
  if (typeof s !== 'string' || !B64_RE.test(s)) throw badArg(`field ${field}: not standard base64`);
  return new Uint8Array(Buffer.from(s, 'base64'));
}

const enc = (bytes) => Buffer.from(bytes).toString('base64');
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder('utf-8', { fatal: false });

function need(req, field) {
  const v = req[field];
  if (v === undefined || v === null) throw badArg(`missing field ${field}`);
  return v;
}

function bytesField(req, field) {
  return b64(need(req, field), field);
}

function optBytes(req, field) {
  const v = req[field];
  return v === undefined || v === null ? null : b64(v, field);
}

/** The message of a request: `plaintext` (base64) or `text` (UTF-8). */
function plaintextOf(req) {
  if (req.plaintext !== undefined && req.plaintext !== null) return b64(req.plaintext, 'plaintext');
  if (typeof req.text === 'string') return utf8.encode(req.text);
  throw badArg('missing field plaintext or text');
}

function plaintextReply(bytes) {
  return { plaintext: enc(bytes), text: fromUtf8.decode(bytes) };
}

function intField(req, field, dflt, min, max) {
  let v = req[field];
  if (v === undefined || v === null) {
    if (dflt === undefined) throw badArg(`missing field ${field}`);
    v = dflt;
  }
  if (!Number.isSafeInteger(v) || v < min || v > max) throw badArg(`field ${field}: integer in ${min}..${max} expected`);
  return v;
}

function publicKey(bytes, field) {
  try {
    return S.PublicKey.deserialize(bytes);
  } catch (e) {
    throw new PeerError('invalid_key', `field ${field}: ${e.message}`);
  }
}

function privateKey(bytes, field) {
  try {
    return S.PrivateKey.deserialize(bytes);
  } catch (e) {
    throw new PeerError('invalid_key', `field ${field}: ${e.message}`);
  }
}

function kemPublicKey(bytes, field) {
  try {
    return S.KEMPublicKey.deserialize(bytes);
  } catch (e) {
    throw new PeerError('invalid_key', `field ${field}: ${e.message}`);
  }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function uuidBytes(s, field) {
  if (typeof s !== 'string' || !UUID_RE.test(s)) throw badArg(`field ${field}: UUID string expected`);
  return new Uint8Array(Buffer.from(s.replace(/-/g, ''), 'hex'));
}

/** `{name, deviceId}` → ProtocolAddress. */
function address(obj, field) {
  if (obj === null || typeof obj !== 'object') throw badArg(`field ${field}: address object expected`);
  if (typeof obj.name !== 'string' || obj.name.length === 0) throw badArg(`field ${field}.name: string expected`);
  const deviceId = obj.deviceId ?? 1;
  if (!Number.isSafeInteger(deviceId) || deviceId < 1 || deviceId > 127) {
    throw badArg(`field ${field}.deviceId: integer in 1..127 expected`);
  }
  return S.ProtocolAddress.new(obj.name, deviceId);
}

const addrKey = (a) => `${a.name()}.${a.deviceId()}`;

// ---------------------------------------------------------------------------------------------
// In-memory stores keeping SERIALIZED records, as a real app's database would.

class MemSessionStore extends S.SessionStore {
  constructor(state) {
    super();
    this.state = state;
  }
  async saveSession(addr, record) {
    this.state.sessions.set(addrKey(addr), record.serialize());
  }
  async getSession(addr) {
    const b = this.state.sessions.get(addrKey(addr));
    return b ? S.SessionRecord.deserialize(b) : null;
  }
  async getExistingSessions(addrs) {
    return addrs.map((a) => {
      const b = this.state.sessions.get(addrKey(a));
      if (!b) throw new Error(`no session for ${addrKey(a)}`);
      return S.SessionRecord.deserialize(b);
    });
  }
}

class MemIdentityStore extends S.IdentityKeyStore {
  constructor(state) {
    super();
    this.state = state;
  }
  async getIdentityKey() {
    return S.PrivateKey.deserialize(this.state.identityPrivate);
  }
  async getLocalRegistrationId() {
    return this.state.registrationId;
  }
  // Trust on first use: unknown → trusted; known → trusted only if unchanged.
  async isTrustedIdentity(addr, key, _direction) {
    const known = this.state.identities.get(addr.name());
    return !known || S.PublicKey.deserialize(known).equals(key);
  }
  async saveIdentity(addr, key) {
    const known = this.state.identities.get(addr.name());
    this.state.identities.set(addr.name(), key.serialize());
    return known && !S.PublicKey.deserialize(known).equals(key)
      ? S.IdentityChange.ReplacedExisting
      : S.IdentityChange.NewOrUnchanged;
  }
  async getIdentity(addr) {
    const known = this.state.identities.get(addr.name());
    return known ? S.PublicKey.deserialize(known) : null;
  }
}

class MemPreKeyStore extends S.PreKeyStore {
  constructor(state) {
    super();
    this.state = state;
  }
  async savePreKey(id, record) {
    this.state.preKeys.set(id, record.serialize());
  }
  async getPreKey(id) {
    const b = this.state.preKeys.get(id);
    if (!b) throw new Error(`no one-time prekey with id ${id}`);
    return S.PreKeyRecord.deserialize(b);
  }
  async removePreKey(id) {
    this.state.preKeys.delete(id);
  }
}

class MemSignedPreKeyStore extends S.SignedPreKeyStore {
  constructor(state) {
    super();
    this.state = state;
  }
  async saveSignedPreKey(id, record) {
    this.state.signedPreKeys.set(id, record.serialize());
  }
  async getSignedPreKey(id) {
    const b = this.state.signedPreKeys.get(id);
    if (!b) throw new Error(`no signed prekey with id ${id}`);
    return S.SignedPreKeyRecord.deserialize(b);
  }
}

class MemKyberPreKeyStore extends S.KyberPreKeyStore {
  constructor(state) {
    super();
    this.state = state;
  }
  async saveKyberPreKey(id, record) {
    this.state.kyberPreKeys.set(id, record.serialize());
  }
  async getKyberPreKey(id) {
    const b = this.state.kyberPreKeys.get(id);
    if (!b) throw new Error(`no Kyber prekey with id ${id}`);
    return S.KyberPreKeyRecord.deserialize(b);
  }
  // Kyber prekeys are kept (last-resort style); the use is only recorded.
  async markKyberPreKeyUsed(id, signedPreKeyId, baseKey) {
    this.state.kyberUsed.set(`${id}/${signedPreKeyId}/${enc(baseKey.serialize())}`, true);
  }
}

class MemSenderKeyStore extends S.SenderKeyStore {
  constructor(state) {
    super();
    this.state = state;
  }
  async saveSenderKey(sender, distributionId, record) {
    this.state.senderKeys.set(`${addrKey(sender)}/${distributionId}`, record.serialize());
  }
  async getSenderKey(sender, distributionId) {
    const b = this.state.senderKeys.get(`${addrKey(sender)}/${distributionId}`);
    return b ? S.SenderKeyRecord.deserialize(b) : null;
  }
}

// ---------------------------------------------------------------------------------------------
// Identities: one process holds many, keyed by the local label `who`.

const MAP_FIELDS = ['sessions', 'identities', 'preKeys', 'signedPreKeys', 'kyberPreKeys', 'kyberUsed', 'senderKeys'];

class Identity {
  constructor({ name, deviceId, registrationId }) {
    const pair = S.IdentityKeyPair.generate();
    this.name = name;
    this.deviceId = deviceId;
    this.registrationId = registrationId;
    this.identityPublic = pair.publicKey.serialize();
    this.identityPrivate = pair.privateKey.serialize();
    for (const f of MAP_FIELDS) this[f] = new Map();
    this.nextPreKeyId = 1;
    this.nextSignedPreKeyId = 1;
    this.nextKyberPreKeyId = 1;
    this.sessionStore = new MemSessionStore(this);
    this.identityStore = new MemIdentityStore(this);
    this.preKeyStore = new MemPreKeyStore(this);
    this.signedPreKeyStore = new MemSignedPreKeyStore(this);
    this.kyberPreKeyStore = new MemKyberPreKeyStore(this);
    this.senderKeyStore = new MemSenderKeyStore(this);
  }
  get address() {
    return S.ProtocolAddress.new(this.name, this.deviceId);
  }
  get privateKey() {
    return S.PrivateKey.deserialize(this.identityPrivate);
  }
  get publicKey() {
    return S.PublicKey.deserialize(this.identityPublic);
  }
  /** A copy of all mutable state; records are immutable byte arrays, so shallow copies suffice. */
  snapshot() {
    const snap = {
      nextPreKeyId: this.nextPreKeyId,
      nextSignedPreKeyId: this.nextSignedPreKeyId,
      nextKyberPreKeyId: this.nextKyberPreKeyId,
    };
    for (const f of MAP_FIELDS) snap[f] = new Map(this[f]);
    return snap;
  }
  restore(snap) {
    Object.assign(this, snap);
  }
}

const identities = new Map();

function identityOf(req) {
  const who = need(req, 'who');
  const id = identities.get(String(who));
  if (!id) throw badArg(`unknown identity who=${who}; call create_identity first`);
  return id;
}

// ---------------------------------------------------------------------------------------------
// Operations

const ops = {
  version() {
    return { implementation: 'libsignal', version: LIBSIGNAL_VERSION };
  },

  create_identity(req) {
    const who = String(need(req, 'who'));
    const name = req.name ?? randomUUID();
    if (typeof name !== 'string' || name.length === 0) throw badArg('field name: string expected');
    const deviceId = intField(req, 'deviceId', 1, 1, 127);
    const registrationId = intField(req, 'registrationId', randomInt(1, 16381), 1, 16380);
    const id = new Identity({ name, deviceId, registrationId });
    identities.set(who, id);
    return { name, deviceId, registrationId, identityKey: enc(id.identityPublic) };
  },

  generate_bundle(req) {
    const id = identityOf(req);
    const oneTime = req.oneTimePreKey ?? true;
    if (typeof oneTime !== 'boolean') throw badArg('field oneTimePreKey: boolean expected');
    const identityPrivate = id.privateKey;
    const now = Date.now();

    let preKeyId = null;
    let preKeyPublic = null;
    if (oneTime) {
      preKeyId = id.nextPreKeyId++;
      const pk = S.PrivateKey.generate();
      preKeyPublic = pk.getPublicKey();
      id.preKeys.set(preKeyId, S.PreKeyRecord.new(preKeyId, preKeyPublic, pk).serialize());
    }

    const signedPreKeyId = id.nextSignedPreKeyId++;
    const spk = S.PrivateKey.generate();
    const spkPublic = spk.getPublicKey();
    const spkSignature = identityPrivate.sign(spkPublic.serialize());
    id.signedPreKeys.set(
      signedPreKeyId,
      S.SignedPreKeyRecord.new(signedPreKeyId, now, spkPublic, spk, spkSignature).serialize(),
    );

    const kyberPreKeyId = id.nextKyberPreKeyId++;
    const kyberPair = S.KEMKeyPair.generate();
    const kyberPublic = kyberPair.getPublicKey().serialize();
    const kyberSignature = identityPrivate.sign(kyberPublic);
    id.kyberPreKeys.set(
      kyberPreKeyId,
      S.KyberPreKeyRecord.new(kyberPreKeyId, now, kyberPair, kyberSignature).serialize(),
    );

    return {
      bundle: {
        registrationId: id.registrationId,
        deviceId: id.deviceId,
        name: id.name,
        identityKey: enc(id.identityPublic),
        preKeyId,
        preKey: preKeyPublic ? enc(preKeyPublic.serialize()) : null,
        signedPreKeyId,
        signedPreKey: enc(spkPublic.serialize()),
        signedPreKeySignature: enc(spkSignature),
        kyberPreKeyId,
        kyberPreKey: enc(kyberPublic),
        kyberPreKeySignature: enc(kyberSignature),
      },
    };
  },

  async process_bundle(req) {
    const id = identityOf(req);
    const peer = address(need(req, 'peer'), 'peer');
    const b = need(req, 'bundle');
    if (typeof b !== 'object') throw badArg('field bundle: object expected');
    const hasPreKey = b.preKeyId !== undefined && b.preKeyId !== null;
    const bundle = S.PreKeyBundle.new(
      intField(b, 'registrationId', undefined, 0, 0xffffffff),
      intField(b, 'deviceId', undefined, 1, 127),
      hasPreKey ? intField(b, 'preKeyId', undefined, 0, 0xffffffff) : null,
      hasPreKey ? publicKey(bytesField(b, 'preKey'), 'bundle.preKey') : null,
      intField(b, 'signedPreKeyId', undefined, 0, 0xffffffff),
      publicKey(bytesField(b, 'signedPreKey'), 'bundle.signedPreKey'),
      bytesField(b, 'signedPreKeySignature'),
      publicKey(bytesField(b, 'identityKey'), 'bundle.identityKey'),
      intField(b, 'kyberPreKeyId', undefined, 0, 0xffffffff),
      kemPublicKey(bytesField(b, 'kyberPreKey'), 'bundle.kyberPreKey'),
      bytesField(b, 'kyberPreKeySignature'),
    );
    await S.processPreKeyBundle(bundle, ...ends(peer, id), id.sessionStore, id.identityStore);
    return {};
  },

  async encrypt(req) {
    const id = identityOf(req);
    const peer = address(need(req, 'peer'), 'peer');
    const pt = plaintextOf(req);
    const rec = await id.sessionStore.getSession(peer);
    if (!rec || !rec.hasCurrentState()) throw new PeerError('no_session', `no session with ${addrKey(peer)}`);
    const ct = await S.signalEncrypt(pt, ...ends(peer, id), id.sessionStore, id.identityStore);
    return { type: ct.type(), ciphertext: enc(ct.serialize()) };
  },

  async decrypt(req) {
    const id = identityOf(req);
    const peer = address(need(req, 'peer'), 'peer');
    const type = need(req, 'type');
    const bytes = bytesField(req, 'ciphertext');
    let pt;
    if (type === S.CiphertextMessageType.PreKey) {
      const msg = S.PreKeySignalMessage.deserialize(bytes);
      pt = await S.signalDecryptPreKey(
        msg,
        ...ends(peer, id),
        id.sessionStore,
        id.identityStore,
        id.preKeyStore,
        id.signedPreKeyStore,
        id.kyberPreKeyStore,
      );
    } else if (type === S.CiphertextMessageType.Whisper) {
      const msg = S.SignalMessage.deserialize(bytes);
      pt = await S.signalDecrypt(msg, ...ends(peer, id), id.sessionStore, id.identityStore);
    } else {
      throw badArg(`field type: 2 or 3 expected, got ${JSON.stringify(type)}`);
    }
    return plaintextReply(pt);
  },

  async session_info(req) {
    const id = identityOf(req);
    const peer = address(need(req, 'peer'), 'peer');
    const rec = await id.sessionStore.getSession(peer);
    return { hasSession: !!rec && rec.hasCurrentState() };
  },

  async skdm_create(req) {
    const id = identityOf(req);
    const distributionId = req.distributionId ?? randomUUID();
    uuidBytes(distributionId, 'distributionId');
    const skdm = await S.SenderKeyDistributionMessage.create(id.address, distributionId, id.senderKeyStore);
    return { distributionId, skdm: enc(skdm.serialize()) };
  },

  async skdm_process(req) {
    const id = identityOf(req);
    const sender = address(need(req, 'sender'), 'sender');
    const skdm = S.SenderKeyDistributionMessage.deserialize(bytesField(req, 'skdm'));
    await S.processSenderKeyDistributionMessage(sender, skdm, id.senderKeyStore);
    return {};
  },

  async group_encrypt(req) {
    const id = identityOf(req);
    const distributionId = need(req, 'distributionId');
    uuidBytes(distributionId, 'distributionId');
    const pt = plaintextOf(req);
    const ct = await S.groupEncrypt(id.address, distributionId, id.senderKeyStore, pt);
    return { type: ct.type(), ciphertext: enc(ct.serialize()) };
  },

  async group_decrypt(req) {
    const id = identityOf(req);
    const sender = address(need(req, 'sender'), 'sender');
    const pt = await S.groupDecrypt(sender, id.senderKeyStore, bytesField(req, 'ciphertext'));
    return plaintextReply(pt);
  },

  sealed_make_cert(req) {
    const id = identityOf(req);
    const given = optBytes(req, 'trustRootPrivate');
    const trustRoot = given ? privateKey(given, 'trustRootPrivate') : S.PrivateKey.generate();
    const expiration = intField(req, 'expiration', Date.now() + 24 * 3600 * 1000, 0, Number.MAX_SAFE_INTEGER);
    const serverKey = S.PrivateKey.generate();
    const serverCert = S.ServerCertificate.new(1, serverKey.getPublicKey(), trustRoot);
    const senderCert = S.SenderCertificate.new(
      id.name,
      null,
      id.deviceId,
      id.publicKey,
      expiration,
      serverCert,
      serverKey,
    );
    return {
      trustRootPublic: enc(trustRoot.getPublicKey().serialize()),
      trustRootPrivate: enc(trustRoot.serialize()),
      senderCertificate: enc(senderCert.serialize()),
      expiration,
    };
  },

  async sealed_encrypt(req) {
    const id = identityOf(req);
    const peer = address(need(req, 'peer'), 'peer');
    const pt = plaintextOf(req);
    const cert = S.SenderCertificate.deserialize(bytesField(req, 'senderCertificate'));
    const rec = await id.sessionStore.getSession(peer);
    if (!rec || !rec.hasCurrentState()) throw new PeerError('no_session', `no session with ${addrKey(peer)}`);
    const ct = await S.sealedSenderEncryptMessage(pt, peer, cert, id.sessionStore, id.identityStore);
    return { ciphertext: enc(ct) };
  },

  async sealed_decrypt(req) {
    const id = identityOf(req);
    const ct = bytesField(req, 'ciphertext');
    const trustRoot = publicKey(bytesField(req, 'trustRoot'), 'trustRoot');
    const timestamp = intField(req, 'timestamp', Date.now(), 0, Number.MAX_SAFE_INTEGER);
    const res = await S.sealedSenderDecryptMessage(
      ct,
      trustRoot,
      timestamp,
      null,
      id.name,
      id.deviceId,
      id.sessionStore,
      id.identityStore,
      id.preKeyStore,
      id.signedPreKeyStore,
      id.kyberPreKeyStore,
    );
    return { ...plaintextReply(res.message()), senderUuid: res.senderUuid(), senderDeviceId: res.deviceId() };
  },

  fingerprint(req) {
    const id = identityOf(req);
    const peer = need(req, 'peer');
    if (typeof peer !== 'object') throw badArg('field peer: address object expected');
    const remoteKey = publicKey(bytesField(req, 'peerIdentityKey'), 'peerIdentityKey');
    const fp = S.Fingerprint.new(
      5200,
      2,
      uuidBytes(id.name, 'local name'),
      id.publicKey,
      uuidBytes(peer.name, 'peer.name'),
      remoteKey,
    );
    return {
      displayable: fp.displayableFingerprint().toString(),
      scannable: enc(fp.scannableFingerprint().toBuffer()),
    };
  },

  keypair() {
    const k = S.PrivateKey.generate();
    return { privateKey: enc(k.serialize()), publicKey: enc(k.getPublicKey().serialize()) };
  },

  xeddsa_sign(req) {
    const k = privateKey(bytesField(req, 'privateKey'), 'privateKey');
    return { signature: enc(k.sign(bytesField(req, 'message'))) };
  },

  xeddsa_verify(req) {
    const k = publicKey(bytesField(req, 'publicKey'), 'publicKey');
    return { valid: k.verify(bytesField(req, 'message'), bytesField(req, 'signature')) };
  },

  agree(req) {
    const k = privateKey(bytesField(req, 'privateKey'), 'privateKey');
    const p = publicKey(bytesField(req, 'publicKey'), 'publicKey');
    return { sharedSecret: enc(k.agree(p)) };
  },

  hkdf(req) {
    const length = intField(req, 'length', 32, 1, 255 * 32);
    const okm = S.hkdf(length, bytesField(req, 'ikm'), bytesField(req, 'info'), optBytes(req, 'salt'));
    return { okm: enc(okm) };
  },

  kem_keypair() {
    const kp = S.KEMKeyPair.generate();
    return { publicKey: enc(kp.getPublicKey().serialize()), secretKey: enc(kp.getSecretKey().serialize()) };
  },

  // libsignal 0.90's Node API exposes Kyber key generation and (de)serialization only: there is no
  // encapsulate/decapsulate entry point (KEMPublicKey/KEMSecretKey have none, and the native module
  // exports no Kyber*_Encapsulate/Decapsulate function). The KEM is exercised end to end by PQXDH.
  kem_encapsulate() {
    throw new PeerError('unsupported', 'kem_encapsulate: libsignal 0.90 Node API has no KEM encapsulation');
  },

  kem_decapsulate() {
    throw new PeerError('unsupported', 'kem_decapsulate: libsignal 0.90 Node API has no KEM decapsulation');
  },

  // Extra op (not in the shared table): replace the stored (trusted) identity key for a peer name,
  // so that a test can accept a changed identity after an untrusted_identity failure.
  trust(req) {
    const id = identityOf(req);
    const peer = address(need(req, 'peer'), 'peer');
    const key = publicKey(bytesField(req, 'identityKey'), 'identityKey');
    id.identities.set(peer.name(), key.serialize());
    return {};
  },

  quit() {
    return {};
  },
};

// ---------------------------------------------------------------------------------------------
// Main loop: strictly sequential, one reply per request line.

async function handle(req) {
  const op = req.op;
  const fn = Object.hasOwn(ops, op) ? ops[op] : null;
  if (!fn) throw new PeerError('unsupported', `unknown op ${JSON.stringify(op)}`);
  // Ops on an identity are transactional: a failure leaves that identity's state untouched.
  const who = req.who !== undefined && req.who !== null ? identities.get(String(req.who)) : undefined;
  const snap = who && op !== 'create_identity' ? who.snapshot() : null;
  try {
    return await fn(req);
  } catch (e) {
    if (snap) who.restore(snap);
    throw e;
  }
}

function write(obj) {
  return new Promise((resolve) => {
    process.stdout.write(JSON.stringify(obj) + '\n', () => resolve());
  });
}

async function main() {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity, terminal: false });
  for await (const line of rl) {
    if (line.trim() === '') continue;
    let req;
    try {
      req = JSON.parse(line);
      if (req === null || typeof req !== 'object' || Array.isArray(req)) throw new Error('request must be an object');
    } catch (e) {
      await write({ id: null, ok: false, error: `bad request line: ${e.message}`, kind: 'invalid_argument' });
      continue;
    }
    const id = req.id ?? null;
    let reply;
    try {
      const result = await handle(req);
      reply = { id, ok: true, ...result };
    } catch (e) {
      const kind = errorKind(req.op, e);
      const error = String(e?.message ?? e);
      if (process.env.SOTTO_PEER_DEBUG) process.stderr.write(`[libsignal-peer] ${req.op}: ${kind} (code ${e?.code}): ${e?.stack ?? e}\n`);
      reply = { id, ok: false, error, kind };
    }
    await write(reply);
    if (req.op === 'quit') process.exit(0);
  }
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`[libsignal-peer] fatal: ${e?.stack ?? e}\n`);
  process.exit(1);
});
