#!/usr/bin/env node
// In-process libsignal benchmark: the reference figures that Sotto's Java benchmark reproduces with
// identical definitions (see README.md beside this file).
//
//   node bench/peer-libsignal/bench.mjs [--seconds 3] [--warmup 1] [--runs 3] [--figures session_setup,two_way,one_way]
//
// libsignal is loaded from the interop peer's install (interop/node_modules, `npm ci` in interop/),
// found relative to this file. Output: one JSON object on stdout; progress on stderr.

import { createRequire } from 'node:module';
import { randomBytes, randomUUID, randomInt } from 'node:crypto';
import { pathToFileURL } from 'node:url';

// --libsignal 0.103 selects the interop peer's second pin, the current libsignal (SPQR mandatory),
// installed under an npm alias; without it, the main pin.
const PACKAGES = new Map([['0.103', 'libsignal-client-0103']]);
function libsignalArg(argv) {
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--libsignal') return argv[i + 1] ?? '';
    if (argv[i].startsWith('--libsignal=')) return argv[i].slice('--libsignal='.length);
  }
  return undefined;
}
const libArg = libsignalArg(process.argv.slice(2));
const PACKAGE = libArg === undefined ? '@signalapp/libsignal-client' : PACKAGES.get(libArg);
if (!PACKAGE) {
  process.stderr.write(`bench.mjs: --libsignal takes one of: ${[...PACKAGES.keys()].join(', ')}\n`);
  process.exit(2);
}
const interopRequire = createRequire(new URL('../../interop/package.json', import.meta.url));
const S = await import(pathToFileURL(interopRequire.resolve(PACKAGE)).href);
const VERSION = interopRequire(`${PACKAGE}/package.json`).version;
// From 0.92 the session functions also take the local address, after the remote one.
const TAKES_LOCAL_ADDRESS = S.signalEncrypt.length >= 5;

const FIGURES = ['session_setup', 'two_way', 'one_way', 'group_encrypt', 'group_decrypt'];
const MESSAGE_BYTES = 100;

// ---------------------------------------------------------------------------------------------
// Arguments

function parseArgs(argv) {
  const opts = { seconds: 3, warmup: 1, runs: 3, figures: FIGURES };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.includes('=') ? a.split(/=(.*)/s, 2) : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--seconds':
        opts.seconds = Number(value());
        break;
      case '--warmup':
        opts.warmup = Number(value());
        break;
      case '--runs':
        opts.runs = Number(value());
        break;
      case '--libsignal':
        value(); // read before the library was loaded
        break;
      case '--figures':
        opts.figures = value().split(',').map((s) => s.trim()).filter(Boolean);
        break;
      case '-h':
      case '--help':
        process.stderr.write('usage: bench.mjs [--libsignal 0.103] [--seconds N] [--warmup N] [--runs N] [--figures a,b,c]\n');
        process.exit(0);
        break;
      default:
        throw new Error(`unknown argument ${a}`);
    }
  }
  if (!(opts.seconds > 0)) throw new Error('--seconds must be > 0');
  if (!(opts.warmup >= 0)) throw new Error('--warmup must be >= 0');
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs must be a positive integer');
  for (const f of opts.figures) if (!FIGURES.includes(f)) throw new Error(`unknown figure ${f}; known: ${FIGURES.join(',')}`);
  return opts;
}

// ---------------------------------------------------------------------------------------------
// In-memory stores holding SERIALIZED records: serialize on every store, deserialize on every
// load, as an app backed by a database does.

const addrKey = (a) => `${a.name()}.${a.deviceId()}`;

class SessionStore extends S.SessionStore {
  map = new Map();
  async saveSession(addr, record) {
    this.map.set(addrKey(addr), record.serialize());
  }
  async getSession(addr) {
    const b = this.map.get(addrKey(addr));
    return b ? S.SessionRecord.deserialize(b) : null;
  }
  async getExistingSessions(addrs) {
    return addrs.map((a) => S.SessionRecord.deserialize(this.map.get(addrKey(a))));
  }
}

class IdentityStore extends S.IdentityKeyStore {
  map = new Map();
  constructor(privateKey, registrationId) {
    super();
    this.privateKey = privateKey.serialize();
    this.registrationId = registrationId;
  }
  async getIdentityKey() {
    return S.PrivateKey.deserialize(this.privateKey);
  }
  async getLocalRegistrationId() {
    return this.registrationId;
  }
  async isTrustedIdentity(addr, key) {
    const known = this.map.get(addr.name());
    return !known || S.PublicKey.deserialize(known).equals(key);
  }
  async saveIdentity(addr, key) {
    const known = this.map.get(addr.name());
    this.map.set(addr.name(), key.serialize());
    return known && !S.PublicKey.deserialize(known).equals(key)
      ? S.IdentityChange.ReplacedExisting
      : S.IdentityChange.NewOrUnchanged;
  }
  async getIdentity(addr) {
    const known = this.map.get(addr.name());
    return known ? S.PublicKey.deserialize(known) : null;
  }
}

class PreKeyStore extends S.PreKeyStore {
  map = new Map();
  async savePreKey(id, record) {
    this.map.set(id, record.serialize());
  }
  async getPreKey(id) {
    const b = this.map.get(id);
    if (!b) throw new Error(`no prekey ${id}`);
    return S.PreKeyRecord.deserialize(b);
  }
  async removePreKey(id) {
    this.map.delete(id);
  }
}

class SignedPreKeyStore extends S.SignedPreKeyStore {
  map = new Map();
  async saveSignedPreKey(id, record) {
    this.map.set(id, record.serialize());
  }
  async getSignedPreKey(id) {
    const b = this.map.get(id);
    if (!b) throw new Error(`no signed prekey ${id}`);
    return S.SignedPreKeyRecord.deserialize(b);
  }
}

class KyberPreKeyStore extends S.KyberPreKeyStore {
  map = new Map();
  used = new Set();
  async saveKyberPreKey(id, record) {
    this.map.set(id, record.serialize());
  }
  async getKyberPreKey(id) {
    const b = this.map.get(id);
    if (!b) throw new Error(`no kyber prekey ${id}`);
    return S.KyberPreKeyRecord.deserialize(b);
  }
  async markKyberPreKeyUsed(id) {
    this.used.add(id);
  }
}

class SenderKeyStore extends S.SenderKeyStore {
  map = new Map();
  async saveSenderKey(sender, distributionId, record) {
    this.map.set(`${sender.name()}.${sender.deviceId()}/${distributionId}`, record.serialize());
  }
  async getSenderKey(sender, distributionId) {
    const b = this.map.get(`${sender.name()}.${sender.deviceId()}/${distributionId}`);
    return b ? S.SenderKeyRecord.deserialize(b) : null;
  }
}

/** One party: identity, address and stores. */
class Party {
  constructor() {
    this.identity = S.PrivateKey.generate();
    this.identityPublic = this.identity.getPublicKey();
    this.registrationId = randomInt(1, 16381);
    this.address = S.ProtocolAddress.new(randomUUID(), 1);
    this.sessions = new SessionStore();
    this.identities = new IdentityStore(this.identity, this.registrationId);
    this.preKeys = new PreKeyStore();
    this.signedPreKeys = new SignedPreKeyStore();
    this.kyberPreKeys = new KyberPreKeyStore();
    this.senderKeys = new SenderKeyStore();
  }

  /**
   * Generates and stores one one-time prekey, one signed prekey and one Kyber prekey (ids 1) and
   * returns the bundle as a server would hand it out: serialized bytes.
   */
  makeBundle() {
    const now = Date.now();
    const opk = S.PrivateKey.generate();
    this.preKeys.map.set(1, S.PreKeyRecord.new(1, opk.getPublicKey(), opk).serialize());
    const spk = S.PrivateKey.generate();
    const spkPub = spk.getPublicKey().serialize();
    const spkSig = this.identity.sign(spkPub);
    this.signedPreKeys.map.set(1, S.SignedPreKeyRecord.new(1, now, spk.getPublicKey(), spk, spkSig).serialize());
    const kyber = S.KEMKeyPair.generate();
    const kyberPub = kyber.getPublicKey().serialize();
    const kyberSig = this.identity.sign(kyberPub);
    this.kyberPreKeys.map.set(1, S.KyberPreKeyRecord.new(1, now, kyber, kyberSig).serialize());
    return {
      registrationId: this.registrationId,
      deviceId: 1,
      preKeyId: 1,
      preKey: opk.getPublicKey().serialize(),
      signedPreKeyId: 1,
      signedPreKey: spkPub,
      signedPreKeySignature: spkSig,
      identityKey: this.identityPublic.serialize(),
      kyberPreKeyId: 1,
      kyberPreKey: kyberPub,
      kyberPreKeySignature: kyberSig,
    };
  }

  /** Parses a serialized bundle and starts a session with `peer` (as after a server fetch). */
  async processBundle(peer, b) {
    const bundle = S.PreKeyBundle.new(
      b.registrationId,
      b.deviceId,
      b.preKeyId,
      S.PublicKey.deserialize(b.preKey),
      b.signedPreKeyId,
      S.PublicKey.deserialize(b.signedPreKey),
      b.signedPreKeySignature,
      S.PublicKey.deserialize(b.identityKey),
      b.kyberPreKeyId,
      S.KEMPublicKey.deserialize(b.kyberPreKey),
      b.kyberPreKeySignature,
    );
    await S.processPreKeyBundle(bundle, ...this.ends(peer), this.sessions, this.identities);
  }

  /** Encrypts for `peer`; returns {type, bytes} as they would go on the wire. */
  async encrypt(peer, plaintext) {
    const ct = await S.signalEncrypt(plaintext, ...this.ends(peer), this.sessions, this.identities);
    return { type: ct.type(), bytes: ct.serialize() };
  }

  /** Decrypts wire bytes from `peer`. */
  async decrypt(peer, msg) {
    if (msg.type === S.CiphertextMessageType.PreKey) {
      return S.signalDecryptPreKey(
        S.PreKeySignalMessage.deserialize(msg.bytes),
        ...this.ends(peer),
        this.sessions,
        this.identities,
        this.preKeys,
        this.signedPreKeys,
        this.kyberPreKeys,
      );
    }
    return S.signalDecrypt(S.SignalMessage.deserialize(msg.bytes), ...this.ends(peer), this.sessions, this.identities);
  }

  /** The addresses the session functions take: the peer's, and from 0.92 on ours after it. */
  ends(peer) {
    return TAKES_LOCAL_ADDRESS ? [peer.address, this.address] : [peer.address];
  }
}

// ---------------------------------------------------------------------------------------------
// Timing

const now = () => process.hrtime.bigint();

function check(pt, expected, full) {
  if (pt.length !== expected.length) throw new Error('decrypted length mismatch');
  if (full && !Buffer.from(pt).equals(Buffer.from(expected))) throw new Error('decrypted content mismatch');
}

/**
 * Runs `batch(n)` (which performs n ops and returns the nanoseconds they took) until the measured
 * time reaches `seconds`; returns ops per second over the measured time only.
 */
async function measure(seconds, batch, batchSize) {
  const limit = BigInt(Math.round(seconds * 1e9));
  let ns = 0n;
  let ops = 0;
  while (ns < limit) {
    ns += await batch(batchSize);
    ops += batchSize;
  }
  return { ops, seconds: Number(ns) / 1e9, opsPerSec: ops / (Number(ns) / 1e9) };
}

// ---------------------------------------------------------------------------------------------
// Figures

/**
 * session_setup: one op = Alice parses and processes a pre-generated bundle of a brand-new Bob
 * (identity + signed prekey + Kyber prekey + one-time prekey) + Alice encrypts the first 100-byte
 * message (a PreKeySignalMessage) + Bob parses and decrypts it. Bobs are generated, with their
 * prekey records stored, outside the measured time.
 */
function sessionSetup(message) {
  const alice = new Party();
  let first = true;
  return async (n) => {
    const bobs = [];
    for (let i = 0; i < n; i++) {
      const bob = new Party();
      bobs.push([bob, bob.makeBundle()]);
    }
    const t0 = now();
    for (const [bob, bundle] of bobs) {
      await alice.processBundle(bob, bundle);
      const msg = await alice.encrypt(bob, message);
      const pt = await bob.decrypt(alice, msg);
      if (msg.type !== S.CiphertextMessageType.PreKey) throw new Error('expected a PreKeySignalMessage');
      check(pt, message, first);
      first = false;
    }
    return now() - t0;
  };
}

/** Alice and Bob with an acknowledged session: Alice → Bob (PreKey), Bob → Alice, untimed. */
async function establishedPair(message) {
  const alice = new Party();
  const bob = new Party();
  await alice.processBundle(bob, bob.makeBundle());
  check(await bob.decrypt(alice, await alice.encrypt(bob, message)), message, true);
  check(await alice.decrypt(bob, await bob.encrypt(alice, message)), message, true);
  return { alice, bob };
}

/**
 * two_way: one op = one 100-byte message, alternately Alice → Bob and Bob → Alice (sender
 * encrypts, receiver parses and decrypts), so every message's receipt is a DH ratchet step.
 */
async function twoWay(message) {
  const { alice, bob } = await establishedPair(message);
  let turn = 0;
  let first = true;
  const op = async (n) => {
    const t0 = now();
    for (let i = 0; i < n; i++) {
      const [from, to] = turn++ % 2 === 0 ? [alice, bob] : [bob, alice];
      const msg = await from.encrypt(to, message);
      check(await to.decrypt(from, msg), message, first);
      first = false;
    }
    return now() - t0;
  };
  // Alice's serialized session record, as the Java side reports it (record_bytes).
  op.recordBytes = () => alice.sessions.map.get(addrKey(bob.address)).length;
  return op;
}

/**
 * one_way: one op = one 100-byte message Alice → Bob (encrypt + parse + decrypt); Bob never
 * replies, so both sides only step their symmetric chains.
 */
async function oneWay(message) {
  const { alice, bob } = await establishedPair(message);
  let first = true;
  return async (n) => {
    const t0 = now();
    for (let i = 0; i < n; i++) {
      const msg = await alice.encrypt(bob, message);
      check(await bob.decrypt(alice, msg), message, first);
      first = false;
    }
    return now() - t0;
  };
}

/**
 * A group sender (Alice) and one member (Bob) who has processed Alice's sender key distribution
 * message, untimed.
 */
async function groupPair() {
  const alice = new Party();
  const bob = new Party();
  const distributionId = randomUUID();
  const skdm = await S.SenderKeyDistributionMessage.create(alice.address, distributionId, alice.senderKeys);
  await S.processSenderKeyDistributionMessage(
    alice.address,
    S.SenderKeyDistributionMessage.deserialize(skdm.serialize()),
    bob.senderKeys,
  );
  return { alice, bob, distributionId };
}

/**
 * group_encrypt: one op = Alice encrypts one 100-byte group message with her sender key
 * (SenderKeyMessage, signed), loading and storing her serialized sender-key record.
 */
async function groupEncrypt(message) {
  const { alice, distributionId } = await groupPair();
  return async (n) => {
    const t0 = now();
    for (let i = 0; i < n; i++) {
      const ct = await S.groupEncrypt(alice.address, distributionId, alice.senderKeys, message);
      if (ct.serialize().length === 0) throw new Error('empty group message');
    }
    return now() - t0;
  };
}

/**
 * group_decrypt: one op = Bob decrypts one 100-byte group message from Alice, in order (signature
 * check, chain step, loading and storing his serialized sender-key record). The messages are
 * encrypted outside the measured time.
 */
async function groupDecrypt(message) {
  const { alice, bob, distributionId } = await groupPair();
  let first = true;
  return async (n) => {
    const cts = [];
    for (let i = 0; i < n; i++) {
      cts.push((await S.groupEncrypt(alice.address, distributionId, alice.senderKeys, message)).serialize());
    }
    const t0 = now();
    for (const ct of cts) {
      check(await S.groupDecrypt(alice.address, bob.senderKeys, ct), message, first);
      first = false;
    }
    return now() - t0;
  };
}

const SETUPS = {
  session_setup: { make: async (m) => sessionSetup(m), batch: 16 },
  two_way: { make: twoWay, batch: 64 },
  one_way: { make: oneWay, batch: 64 },
  group_encrypt: { make: groupEncrypt, batch: 64 },
  group_decrypt: { make: groupDecrypt, batch: 64 },
};

// ---------------------------------------------------------------------------------------------

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round1 = (x) => Math.round(x * 10) / 10;

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const message = new Uint8Array(randomBytes(MESSAGE_BYTES));
  process.stderr.write(
    `libsignal ${VERSION} in-process bench: figures=${opts.figures.join(',')} warmup=${opts.warmup}s ` +
      `seconds=${opts.seconds} runs=${opts.runs} message=${MESSAGE_BYTES}B node=${process.version}\n`,
  );
  const runs = Array.from({ length: opts.runs }, () => ({}));
  const result = { implementation: 'libsignal', version: VERSION };
  for (const figure of opts.figures) {
    const { make, batch } = SETUPS[figure];
    if (opts.warmup > 0) await measure(opts.warmup, await make(message), batch);
    const perRun = [];
    for (let r = 0; r < opts.runs; r++) {
      // A fresh session (fresh parties) per run; its setup is not measured.
      const op = await make(message);
      const m = await measure(opts.seconds, op, batch);
      if (op.recordBytes) result.record_bytes = op.recordBytes();
      perRun.push(m.opsPerSec);
      runs[r][figure] = round1(m.opsPerSec);
      process.stderr.write(`  ${figure} run ${r + 1}: ${m.ops} ops in ${m.seconds.toFixed(3)} s = ${m.opsPerSec.toFixed(1)} ops/s\n`);
    }
    result[figure] = round1(median(perRun));
  }
  result.runs = runs;
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e?.stack ?? e}\n`);
  process.exit(1);
});
