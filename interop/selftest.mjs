#!/usr/bin/env node
// Self-test of the libsignal peer: starts TWO peer processes (P and Q) and runs scenarios across
// them through the JSON-lines protocol only, exactly as the Sotto scenario runner will.
//
//   node interop/selftest.mjs            (after `npm ci` in interop/)
//
// Prints one line per check and a closing "N passed, N failed" line; exits non-zero on failure.

import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createHash, createHmac } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const PEER = fileURLToPath(new URL('./libsignal-peer.mjs', import.meta.url));

// ---------------------------------------------------------------------------------------------
// Peer client

function startPeer(label) {
  const proc = spawn(process.execPath, [PEER], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => {
    stderr += d;
  });
  const rl = createInterface({ input: proc.stdout });
  const pending = []; // FIFO of {id, resolve}: replies must come back in request order
  rl.on('line', (line) => {
    const reply = JSON.parse(line);
    const p = pending.shift();
    if (!p) throw new Error(`${label}: unexpected reply ${line}`);
    if (reply.id !== p.id) throw new Error(`${label}: reply out of order: got id ${reply.id}, expected ${p.id}`);
    p.resolve(reply);
  });
  let next = 0;
  const peer = {
    label,
    proc,
    get stderr() {
      return stderr;
    },
    /** Writes one raw line and returns the reply, which must carry expectedId. */
    rawLine(line, expectedId) {
      return new Promise((resolve) => {
        pending.push({ id: expectedId, resolve });
        proc.stdin.write(line + '\n');
      });
    },
    /** Sends a request and returns the raw reply. */
    raw(op, fields = {}) {
      const id = `${label}-${++next}`;
      return peer.rawLine(JSON.stringify({ id, op, ...fields }), id);
    },
    /** Sends a request and returns the reply fields, throwing if it failed. */
    async call(op, fields = {}) {
      const r = await peer.raw(op, fields);
      if (!r.ok) throw new Error(`${label} ${op} failed: ${r.kind}: ${r.error}`);
      const { id: _id, ok: _ok, ...rest } = r;
      return rest;
    },
  };
  return peer;
}

// ---------------------------------------------------------------------------------------------
// Tiny test framework

let passed = 0;
let failed = 0;

async function check(name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e?.stack ?? e}`);
  }
}

function assert(cond, msg) {
  if (!cond) throw new Error(`assertion failed: ${msg}`);
}

function eq(actual, expected, msg) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${msg}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

async function expectError(promise, kind, msg) {
  const r = await promise;
  assert(r.ok === false, `${msg}: expected failure ${kind}, got success ${JSON.stringify(r).slice(0, 200)}`);
  eq(r.kind, kind, `${msg}: error kind (${r.error})`);
  assert(typeof r.error === 'string' && r.error.length > 0, `${msg}: error message present`);
}

const b64 = (s) => Buffer.from(s, 'base64');

// ---------------------------------------------------------------------------------------------
// Helpers over two peers

/** Creates an identity on a peer; returns {peer, who, addr, identityKey}. */
async function user(peer, who, extra = {}) {
  const r = await peer.call('create_identity', { who, ...extra });
  return { peer, who, addr: { name: r.name, deviceId: r.deviceId }, identityKey: r.identityKey, registrationId: r.registrationId };
}

async function send(from, to, text) {
  const m = await from.peer.call('encrypt', { who: from.who, peer: to.addr, text });
  return m;
}

async function recv(to, from, m) {
  return to.peer.call('decrypt', { who: to.who, peer: from.addr, type: m.type, ciphertext: m.ciphertext });
}

async function roundTrip(from, to, text) {
  const m = await send(from, to, text);
  const r = await recv(to, from, m);
  eq(r.text, text, 'decrypted text');
  eq(r.plaintext, Buffer.from(text).toString('base64'), 'decrypted plaintext');
  return m;
}

/** Initiator fetches responder's bundle and starts a session. */
async function establish(initiator, responder, oneTimePreKey = true) {
  const { bundle } = await responder.peer.call('generate_bundle', { who: responder.who, oneTimePreKey });
  await initiator.peer.call('process_bundle', { who: initiator.who, peer: responder.addr, bundle });
  return bundle;
}

// ---------------------------------------------------------------------------------------------

const P = startPeer('P');
const Q = startPeer('Q');

await check('version', async () => {
  for (const peer of [P, Q]) {
    const v = await peer.call('version');
    eq(v, { implementation: 'libsignal', version: '0.90.0' }, 'version reply');
  }
});

await check('create_identity shapes', async () => {
  const r = await P.call('create_identity', {
    who: 'fixed',
    name: '11111111-2222-4333-8444-555555555555',
    deviceId: 7,
    registrationId: 4242,
  });
  eq([r.name, r.deviceId, r.registrationId], ['11111111-2222-4333-8444-555555555555', 7, 4242], 'given fields');
  eq(b64(r.identityKey).length, 33, 'identity key length');
  eq(b64(r.identityKey)[0], 5, 'identity key type byte');
  const d = await P.call('create_identity', { who: 'dflt' });
  assert(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(d.name), 'random UUID name');
  eq(d.deviceId, 1, 'default device');
  assert(d.registrationId >= 1 && d.registrationId <= 16380, 'registration id range');
});

await check('generate_bundle shapes and increasing ids', async () => {
  const u = await user(P, 'bundler');
  const { bundle: b1 } = await P.call('generate_bundle', { who: 'bundler' });
  const { bundle: b2 } = await P.call('generate_bundle', { who: 'bundler', oneTimePreKey: false });
  const { bundle: b3 } = await P.call('generate_bundle', { who: 'bundler' });
  eq(Object.keys(b1).sort(), ['deviceId', 'identityKey', 'kyberPreKey', 'kyberPreKeyId', 'kyberPreKeySignature', 'name',
    'preKey', 'preKeyId', 'registrationId', 'signedPreKey', 'signedPreKeyId', 'signedPreKeySignature'], 'bundle fields');
  eq([b1.name, b1.deviceId, b1.registrationId, b1.identityKey], [u.addr.name, 1, u.registrationId, u.identityKey], 'identity fields');
  eq(b64(b1.preKey).length, 33, 'prekey length');
  eq(b64(b1.signedPreKey).length, 33, 'signed prekey length');
  eq(b64(b1.signedPreKeySignature).length, 64, 'spk signature length');
  eq(b64(b1.kyberPreKey).length, 1569, 'kyber prekey length');
  eq(b64(b1.kyberPreKey)[0], 8, 'kyber type byte');
  eq(b64(b1.kyberPreKeySignature).length, 64, 'kyber signature length');
  eq([b2.preKeyId, b2.preKey], [null, null], 'no one-time prekey');
  assert(b3.preKeyId > b1.preKeyId, 'prekey id increases');
  assert(b2.signedPreKeyId > b1.signedPreKeyId && b3.signedPreKeyId > b2.signedPreKeyId, 'signed prekey id increases');
  assert(b2.kyberPreKeyId > b1.kyberPreKeyId && b3.kyberPreKeyId > b2.kyberPreKeyId, 'kyber prekey id increases');
  // The signatures verify under the identity key (cross-checked on the other peer).
  const v1 = await Q.call('xeddsa_verify', { publicKey: b1.identityKey, message: b1.signedPreKey, signature: b1.signedPreKeySignature });
  const v2 = await Q.call('xeddsa_verify', { publicKey: b1.identityKey, message: b1.kyberPreKey, signature: b1.kyberPreKeySignature });
  eq([v1.valid, v2.valid], [true, true], 'bundle signatures');
});

for (const oneTime of [true, false]) {
  for (const [ini, res] of [[P, Q], [Q, P]]) {
    await check(`session ${ini.label}->${res.label} ${oneTime ? 'with' : 'without'} one-time prekey`, async () => {
      const tag = `${ini.label}${res.label}${oneTime}`;
      const a = await user(ini, `a-${tag}`);
      const b = await user(res, `b-${tag}`);
      eq((await ini.call('session_info', { who: a.who, peer: b.addr })).hasSession, false, 'no session before');
      const bundle = await establish(a, b, oneTime);
      eq(bundle.preKeyId === null, !oneTime, 'bundle prekey presence');
      eq((await ini.call('session_info', { who: a.who, peer: b.addr })).hasSession, true, 'session after process_bundle');
      const m1 = await roundTrip(a, b, 'hello from the initiator');
      eq(m1.type, 3, 'first message is a PreKeySignalMessage');
      eq((await res.call('session_info', { who: b.who, peer: a.addr })).hasSession, true, 'responder session');
      const m2 = await roundTrip(a, b, 'second before any reply');
      eq(m2.type, 3, 'unacknowledged messages stay PreKeySignalMessages');
      const r1 = await roundTrip(b, a, 'reply from the responder');
      eq(r1.type, 2, 'reply is a SignalMessage');
      const m3 = await roundTrip(a, b, 'after the reply');
      eq(m3.type, 2, 'acknowledged session sends SignalMessages');
      // 50 alternating messages, each one a DH ratchet step.
      for (let i = 0; i < 50; i++) {
        const [from, to] = i % 2 === 0 ? [a, b] : [b, a];
        const m = await roundTrip(from, to, `alternating #${i} ${'x'.repeat(i)}`);
        eq(m.type, 2, 'type 2');
      }
    });
  }
}

await check('plaintext given as base64, binary payloads, empty message', async () => {
  const a = await user(P, 'bin-a');
  const b = await user(Q, 'bin-b');
  await establish(a, b);
  const payload = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  const m = await P.call('encrypt', { who: a.who, peer: b.addr, plaintext: payload.toString('base64') });
  const r = await Q.call('decrypt', { who: b.who, peer: a.addr, type: m.type, ciphertext: m.ciphertext });
  eq(r.plaintext, payload.toString('base64'), 'binary round trip');
  await roundTrip(a, b, '');
  await roundTrip(b, a, 'ünïcødé ✓ 😀');
});

await check('out-of-order within a chain and across ratchet steps', async () => {
  const a = await user(P, 'ooo-a');
  const b = await user(Q, 'ooo-b');
  await establish(a, b);
  await roundTrip(a, b, 'init');
  await roundTrip(b, a, 'ack');
  const ms = [];
  for (let i = 0; i < 6; i++) ms.push(await send(a, b, `m${i}`));
  for (const i of [3, 0, 5, 1]) eq((await recv(b, a, ms[i])).text, `m${i}`, `out of order m${i}`);
  // A ratchet step happens while m2, m4 are still in flight.
  await roundTrip(b, a, 'reply in between');
  const later = await send(a, b, 'new chain');
  eq((await recv(b, a, later)).text, 'new chain', 'new chain first');
  eq((await recv(b, a, ms[4])).text, 'm4', 'old chain m4 after the ratchet');
  eq((await recv(b, a, ms[2])).text, 'm2', 'old chain m2 after the ratchet');
  // Skipping ahead by many messages.
  const burst = [];
  for (let i = 0; i < 40; i++) burst.push(await send(a, b, `burst${i}`));
  eq((await recv(b, a, burst[39])).text, 'burst39', 'jump ahead 39');
  eq((await recv(b, a, burst[0])).text, 'burst0', 'then the first');
});

await check('duplicate -> duplicate_message; state unchanged after failures', async () => {
  const a = await user(P, 'dup-a');
  const b = await user(Q, 'dup-b');
  await establish(a, b);
  const first = await send(a, b, 'pre-key message');
  eq((await recv(b, a, first)).text, 'pre-key message', 'first');
  await expectError(Q.raw('decrypt', { who: b.who, peer: a.addr, type: first.type, ciphertext: first.ciphertext }),
    'duplicate_message', 'replayed PreKeySignalMessage');
  await roundTrip(b, a, 'ack');
  const m = await send(a, b, 'whisper');
  eq((await recv(b, a, m)).text, 'whisper', 'whisper');
  await expectError(Q.raw('decrypt', { who: b.who, peer: a.addr, type: m.type, ciphertext: m.ciphertext }),
    'duplicate_message', 'replayed SignalMessage');
  const ms = [await send(a, b, 'o1'), await send(a, b, 'o2')];
  eq((await recv(b, a, ms[1])).text, 'o2', 'o2 first');
  eq((await recv(b, a, ms[0])).text, 'o1', 'o1 from skipped keys');
  await expectError(Q.raw('decrypt', { who: b.who, peer: a.addr, type: 2, ciphertext: ms[0].ciphertext }),
    'duplicate_message', 'replayed skipped-key message');
  await roundTrip(a, b, 'still fine');
  await roundTrip(b, a, 'still fine back');
});

await check('tampered -> invalid_message, and the session survives', async () => {
  const a = await user(P, 'tam-a');
  const b = await user(Q, 'tam-b');
  await establish(a, b);
  await roundTrip(a, b, 'init');
  await roundTrip(b, a, 'ack');
  const m = await send(a, b, 'to be tampered');
  const raw = b64(m.ciphertext);
  for (const pos of [raw.length - 1, raw.length - 20, 5]) {
    const t = Buffer.from(raw);
    t[pos] ^= 0x01;
    await expectError(Q.raw('decrypt', { who: b.who, peer: a.addr, type: 2, ciphertext: t.toString('base64') }),
      'invalid_message', `flipped byte ${pos}`);
  }
  await expectError(Q.raw('decrypt', { who: b.who, peer: a.addr, type: 2, ciphertext: raw.subarray(0, 10).toString('base64') }),
    'invalid_message', 'truncated');
  await expectError(Q.raw('decrypt', { who: b.who, peer: a.addr, type: 3, ciphertext: raw.toString('base64') }),
    'invalid_message', 'wrong type');
  eq((await recv(b, a, m)).text, 'to be tampered', 'genuine message still decrypts');
  // A tampered PreKeySignalMessage on a fresh session.
  const c = await user(P, 'tam-c');
  await establish(c, b);
  const pk = await send(c, b, 'prekey');
  const t = Buffer.from(b64(pk.ciphertext));
  t[t.length - 3] ^= 0x10;
  await expectError(Q.raw('decrypt', { who: b.who, peer: c.addr, type: 3, ciphertext: t.toString('base64') }),
    'invalid_message', 'tampered PreKeySignalMessage');
  eq((await Q.call('session_info', { who: b.who, peer: c.addr })).hasSession, false, 'no session stored after failure');
  eq((await recv(b, c, pk)).text, 'prekey', 'genuine PreKeySignalMessage still decrypts (one-time prekey kept)');
});

await check('no_session', async () => {
  const a = await user(P, 'ns-a');
  const b = await user(Q, 'ns-b');
  await expectError(P.raw('encrypt', { who: a.who, peer: b.addr, text: 'x' }), 'no_session', 'encrypt without session');
  await establish(a, b);
  await roundTrip(a, b, 'init');
  await roundTrip(b, a, 'ack');
  const m = await send(a, b, 'x');
  const stranger = await user(Q, 'ns-c');
  await expectError(Q.raw('decrypt', { who: stranger.who, peer: a.addr, type: 2, ciphertext: m.ciphertext }),
    'no_session', 'SignalMessage without session');
  await expectError(Q.raw('group_decrypt', { who: b.who, sender: a.addr, ciphertext: (await P.call('group_encrypt', {
    who: a.who, distributionId: (await P.call('skdm_create', { who: a.who })).distributionId, text: 'g' })).ciphertext }),
  'no_session', 'group message without SKDM');
});

await check('untrusted identity and the trust op', async () => {
  const a = await user(P, 'ut-a');
  const b = await user(Q, 'ut-b');
  await establish(a, b);
  await roundTrip(a, b, 'init');
  await roundTrip(b, a, 'ack');
  // b reinstalls: same name, new identity key.
  const b2 = await user(Q, 'ut-b', { name: b.addr.name });
  assert(b2.identityKey !== b.identityKey, 'new identity key');
  const { bundle } = await Q.call('generate_bundle', { who: b2.who });
  await expectError(P.raw('process_bundle', { who: a.who, peer: b.addr, bundle }), 'untrusted_identity', 'process_bundle');
  await establish(b2, a);
  const m = await send(b2, a, 'i am new');
  eq(m.type, 3, 'prekey message from the new identity');
  await expectError(P.raw('decrypt', { who: a.who, peer: b.addr, type: 3, ciphertext: m.ciphertext }), 'untrusted_identity', 'decrypt');
  await P.call('trust', { who: a.who, peer: b.addr, identityKey: b2.identityKey });
  eq((await recv(a, b2, m)).text, 'i am new', 'decrypts after trust');
  await roundTrip(a, b2, 'welcome back');
  await roundTrip(b2, a, 'thanks');
  // Trusting back the old key makes sending fail.
  await P.call('trust', { who: a.who, peer: b.addr, identityKey: b.identityKey });
  await expectError(P.raw('encrypt', { who: a.who, peer: b.addr, text: 'x' }), 'untrusted_identity', 'encrypt');
});

await check('bad bundle signature -> invalid_key', async () => {
  const a = await user(P, 'bk-a');
  const b = await user(Q, 'bk-b');
  const { bundle } = await Q.call('generate_bundle', { who: b.who });
  const sig = Buffer.from(b64(bundle.signedPreKeySignature));
  sig[0] ^= 1;
  await expectError(P.raw('process_bundle', { who: a.who, peer: b.addr, bundle: { ...bundle, signedPreKeySignature: sig.toString('base64') } }),
    'invalid_key', 'signed prekey signature');
  const ksig = Buffer.from(b64(bundle.kyberPreKeySignature));
  ksig[0] ^= 1;
  await expectError(P.raw('process_bundle', { who: a.who, peer: b.addr, bundle: { ...bundle, kyberPreKeySignature: ksig.toString('base64') } }),
    'invalid_key', 'kyber prekey signature');
  eq((await P.call('session_info', { who: a.who, peer: b.addr })).hasSession, false, 'no session');
  await P.call('process_bundle', { who: a.who, peer: b.addr, bundle });
  await roundTrip(a, b, 'fine');
});

await check('groups (sender keys) across peers', async () => {
  const a = await user(P, 'g-a');
  const b = await user(Q, 'g-b');
  const c = await user(Q, 'g-c');
  const dist = 'f81d4fae-7dec-41d0-a765-00a0c91e6bf6';
  const s = await P.call('skdm_create', { who: a.who, distributionId: dist });
  eq(s.distributionId, dist, 'distribution id echoed');
  eq(b64(s.skdm)[0], 0x33, 'SKDM version byte');
  await Q.call('skdm_process', { who: b.who, sender: a.addr, skdm: s.skdm });
  await Q.call('skdm_process', { who: c.who, sender: a.addr, skdm: s.skdm });
  const ms = [];
  for (let i = 0; i < 5; i++) {
    const g = await P.call('group_encrypt', { who: a.who, distributionId: dist, text: `group ${i}` });
    eq(g.type, 7, 'type 7');
    eq(b64(g.ciphertext)[0], 0x33, 'SenderKeyMessage version byte');
    ms.push(g);
  }
  for (const i of [0, 1, 2, 3, 4]) eq((await Q.call('group_decrypt', { who: b.who, sender: a.addr, ciphertext: ms[i].ciphertext })).text, `group ${i}`, 'b in order');
  for (const i of [4, 2, 0, 3, 1]) eq((await Q.call('group_decrypt', { who: c.who, sender: a.addr, ciphertext: ms[i].ciphertext })).text, `group ${i}`, 'c out of order');
  await expectError(Q.raw('group_decrypt', { who: b.who, sender: a.addr, ciphertext: ms[2].ciphertext }), 'duplicate_message', 'group duplicate');
  const t = Buffer.from(b64(ms[0].ciphertext));
  t[t.length - 70] ^= 1;
  const g5 = await P.call('group_encrypt', { who: a.who, distributionId: dist, text: 'group 5' });
  const t5 = Buffer.from(b64(g5.ciphertext));
  t5[t5.length - 70] ^= 1;
  await expectError(Q.raw('group_decrypt', { who: b.who, sender: a.addr, ciphertext: t5.toString('base64') }), 'invalid_message', 'group tampered');
  eq((await Q.call('group_decrypt', { who: b.who, sender: a.addr, ciphertext: g5.ciphertext })).text, 'group 5', 'genuine after tampered');
  // A member replies in the same group with its own sender key; default random distribution id too.
  const sb = await Q.call('skdm_create', { who: b.who });
  assert(/^[0-9a-f-]{36}$/.test(sb.distributionId), 'random distribution id');
  await P.call('skdm_process', { who: a.who, sender: b.addr, skdm: sb.skdm });
  const gb = await Q.call('group_encrypt', { who: b.who, distributionId: sb.distributionId, text: 'from b' });
  eq((await P.call('group_decrypt', { who: a.who, sender: b.addr, ciphertext: gb.ciphertext })).text, 'from b', 'b -> a');
});

await check('sealed sender v1 across peers (PreKey and Whisper inner messages)', async () => {
  const a = await user(P, 'ss-a');
  const b = await user(Q, 'ss-b');
  await establish(a, b);
  const cert = await P.call('sealed_make_cert', { who: a.who });
  eq(b64(cert.trustRootPublic).length, 33, 'trust root public');
  eq(b64(cert.trustRootPrivate).length, 32, 'trust root private');
  assert(Math.abs(cert.expiration - (Date.now() + 86400000)) < 60000, 'default expiration is now + 1 day');
  const s1 = await P.call('sealed_encrypt', { who: a.who, peer: b.addr, text: 'sealed hello', senderCertificate: cert.senderCertificate });
  eq(b64(s1.ciphertext)[0], 0x11, 'sealed sender v1 version byte');
  const d1 = await Q.call('sealed_decrypt', { who: b.who, ciphertext: s1.ciphertext, trustRoot: cert.trustRootPublic });
  eq([d1.text, d1.senderUuid, d1.senderDeviceId], ['sealed hello', a.addr.name, 1], 'sealed decrypt (PreKey inner)');
  await roundTrip(b, a, 'ack');
  const s2 = await P.call('sealed_encrypt', { who: a.who, peer: b.addr, text: 'sealed again', senderCertificate: cert.senderCertificate });
  const d2 = await Q.call('sealed_decrypt', { who: b.who, ciphertext: s2.ciphertext, trustRoot: cert.trustRootPublic });
  eq(d2.text, 'sealed again', 'sealed decrypt (Whisper inner)');
  // Wrong trust root, expired certificate, tampering.
  const other = await P.call('keypair');
  const s3 = await P.call('sealed_encrypt', { who: a.who, peer: b.addr, text: 'three', senderCertificate: cert.senderCertificate });
  await expectError(Q.raw('sealed_decrypt', { who: b.who, ciphertext: s3.ciphertext, trustRoot: other.publicKey }), 'invalid_message', 'wrong trust root');
  await expectError(Q.raw('sealed_decrypt', { who: b.who, ciphertext: s3.ciphertext, trustRoot: cert.trustRootPublic, timestamp: cert.expiration + 1 }),
    'invalid_message', 'expired certificate');
  const t = Buffer.from(b64(s3.ciphertext));
  t[t.length - 5] ^= 1;
  await expectError(Q.raw('sealed_decrypt', { who: b.who, ciphertext: t.toString('base64'), trustRoot: cert.trustRootPublic }), 'invalid_message', 'tampered');
  eq((await Q.call('sealed_decrypt', { who: b.who, ciphertext: s3.ciphertext, trustRoot: cert.trustRootPublic })).text, 'three', 'genuine after failures');
  // A given trust root and expiration are used as given.
  const cert2 = await P.call('sealed_make_cert', { who: a.who, trustRootPrivate: other.privateKey, expiration: 4102444800000 });
  eq([cert2.trustRootPublic, cert2.trustRootPrivate, cert2.expiration], [other.publicKey, other.privateKey, 4102444800000], 'given root');
  const s4 = await P.call('sealed_encrypt', { who: a.who, peer: b.addr, text: 'four', senderCertificate: cert2.senderCertificate });
  eq((await Q.call('sealed_decrypt', { who: b.who, ciphertext: s4.ciphertext, trustRoot: other.publicKey })).text, 'four', 'given root works');
});

await check('fingerprint equality across peers', async () => {
  const a = await user(P, 'fp-a');
  const b = await user(Q, 'fp-b');
  const fa = await P.call('fingerprint', { who: a.who, peer: b.addr, peerIdentityKey: b.identityKey });
  const fb = await Q.call('fingerprint', { who: b.who, peer: a.addr, peerIdentityKey: a.identityKey });
  assert(/^[0-9]{60}$/.test(fa.displayable), 'displayable is 60 digits');
  eq(fa.displayable, fb.displayable, 'displayable equal on both sides');
  assert(fa.scannable !== fb.scannable, 'scannable encodings are mirror images');
  // The scannable protobuf holds {version=2, local{content}, remote{content}}: swapped between sides.
  const sa = b64(fa.scannable);
  const sb = b64(fb.scannable);
  eq(sa.length, sb.length, 'scannable lengths');
  eq(sa.subarray(0, 2).toString('hex'), '0802', 'scannable version 2');
  const c = await user(Q, 'fp-c');
  const fc = await P.call('fingerprint', { who: a.who, peer: c.addr, peerIdentityKey: c.identityKey });
  assert(fc.displayable !== fa.displayable, 'different peer, different fingerprint');
});

await check('xeddsa sign/verify across peers', async () => {
  const k = await P.call('keypair');
  eq(b64(k.privateKey).length, 32, 'private key length');
  eq(b64(k.publicKey).length, 33, 'public key length');
  const message = Buffer.from('a message to sign').toString('base64');
  const s = await P.call('xeddsa_sign', { privateKey: k.privateKey, message });
  eq(b64(s.signature).length, 64, 'signature length');
  const s2 = await Q.call('xeddsa_sign', { privateKey: k.privateKey, message });
  assert(s.signature !== s2.signature, 'signatures are randomized');
  eq((await Q.call('xeddsa_verify', { publicKey: k.publicKey, message, signature: s.signature })).valid, true, 'verify P sig on Q');
  eq((await P.call('xeddsa_verify', { publicKey: k.publicKey, message, signature: s2.signature })).valid, true, 'verify Q sig on P');
  const bad = Buffer.from(b64(s.signature));
  bad[10] ^= 1;
  eq((await Q.call('xeddsa_verify', { publicKey: k.publicKey, message, signature: bad.toString('base64') })).valid, false, 'tampered sig');
  eq((await Q.call('xeddsa_verify', { publicKey: k.publicKey, message: Buffer.from('other').toString('base64'), signature: s.signature })).valid, false, 'other message');
  const k2 = await Q.call('keypair');
  eq((await Q.call('xeddsa_verify', { publicKey: k2.publicKey, message, signature: s.signature })).valid, false, 'other key');
  await expectError(Q.raw('xeddsa_verify', { publicKey: Buffer.alloc(33).toString('base64'), message, signature: s.signature }), 'invalid_key', 'bad public key');
});

await check('agree across peers', async () => {
  const x = await P.call('keypair');
  const y = await Q.call('keypair');
  const s1 = await P.call('agree', { privateKey: x.privateKey, publicKey: y.publicKey });
  const s2 = await Q.call('agree', { privateKey: y.privateKey, publicKey: x.publicKey });
  eq(b64(s1.sharedSecret).length, 32, 'shared secret length');
  eq(s1.sharedSecret, s2.sharedSecret, 'shared secrets equal');
  // RFC 7748 section 6.1 test vector.
  const alicePriv = Buffer.from('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a', 'hex');
  const bobPub = Buffer.concat([Buffer.from([5]), Buffer.from('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f', 'hex')]);
  const r = await P.call('agree', { privateKey: alicePriv.toString('base64'), publicKey: bobPub.toString('base64') });
  eq(b64(r.sharedSecret).toString('hex'), '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742', 'RFC 7748 vector');
  await expectError(P.raw('agree', { privateKey: x.privateKey, publicKey: Buffer.alloc(33).toString('base64') }), 'invalid_key', 'bad public key');
});

await check('hkdf (RFC 5869 vectors, defaults, cross-peer)', async () => {
  // RFC 5869 test case 1.
  const r1 = await P.call('hkdf', {
    ikm: Buffer.alloc(22, 0x0b).toString('base64'),
    salt: Buffer.from('000102030405060708090a0b0c', 'hex').toString('base64'),
    info: Buffer.from('f0f1f2f3f4f5f6f7f8f9', 'hex').toString('base64'),
    length: 42,
  });
  eq(b64(r1.okm).toString('hex'), '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865', 'RFC 5869 #1');
  // RFC 5869 test case 3 (no salt, empty info).
  const r3 = await Q.call('hkdf', { ikm: Buffer.alloc(22, 0x0b).toString('base64'), info: '', length: 42 });
  eq(b64(r3.okm).toString('hex'), '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8', 'RFC 5869 #3');
  // Default length 32 and agreement with a local HKDF.
  const ikm = Buffer.from('input key material');
  const info = Buffer.from('WhisperRatchet');
  const salt = Buffer.alloc(32, 7);
  const d = await P.call('hkdf', { ikm: ikm.toString('base64'), info: info.toString('base64'), salt: salt.toString('base64') });
  eq(b64(d.okm).length, 32, 'default length');
  const prk = createHmac('sha256', salt).update(ikm).digest();
  const t1 = createHmac('sha256', prk).update(Buffer.concat([info, Buffer.from([1])])).digest();
  eq(b64(d.okm).toString('hex'), t1.toString('hex'), 'matches node crypto');
  const q = await Q.call('hkdf', { ikm: ikm.toString('base64'), info: info.toString('base64'), salt: salt.toString('base64'), length: 96 });
  eq(b64(q.okm).subarray(0, 32).toString('hex'), t1.toString('hex'), 'prefix property across peers');
});

await check('kem keypair shapes; encapsulate/decapsulate reported unsupported', async () => {
  const k = await P.call('kem_keypair');
  const pub = b64(k.publicKey);
  const sec = b64(k.secretKey);
  eq([pub.length, pub[0], sec.length, sec[0]], [1569, 8, 3169, 8], 'kyber key sizes and type byte');
  // An ML-KEM/Kyber-1024 decapsulation key embeds the encapsulation key and its SHA3-256 hash.
  eq(sec.subarray(1 + 1536, 1 + 1536 + 1568).toString('hex'), pub.subarray(1).toString('hex'), 'secret key embeds public key');
  eq(sec.subarray(1 + 3104, 1 + 3136).toString('hex'), createHash('sha3-256').update(pub.subarray(1)).digest('hex'), 'H(ek) in secret key');
  const e = await Q.raw('kem_encapsulate', { publicKey: k.publicKey });
  eq([e.ok, e.kind], [false, 'unsupported'], 'kem_encapsulate');
  const d = await Q.raw('kem_decapsulate', { secretKey: k.secretKey, ciphertext: Buffer.alloc(1569, 8).toString('base64') });
  eq([d.ok, d.kind], [false, 'unsupported'], 'kem_decapsulate');
  // The KEM itself round-trips inside PQXDH: a Kyber prekey generated on Q, encapsulated to on P.
  const a = await user(P, 'kem-a');
  const b = await user(Q, 'kem-b');
  await establish(a, b, false);
  await roundTrip(a, b, 'PQXDH with Kyber-1024');
});

await check('protocol robustness: unknown op, bad JSON, bad arguments, ids echoed', async () => {
  const u = await P.raw('no_such_op');
  eq([u.ok, u.kind], [false, 'unsupported'], 'unknown op');
  await expectError(P.raw('encrypt', { who: 'nobody', peer: { name: 'x', deviceId: 1 }, text: 'x' }), 'invalid_argument', 'unknown who');
  await expectError(P.raw('decrypt', { who: 'fixed', peer: { name: 'x', deviceId: 1 }, type: 2, ciphertext: '***' }), 'invalid_argument', 'bad base64');
  await expectError(P.raw('create_identity', { who: 'z', deviceId: 128 }), 'invalid_argument', 'device id out of range');
  await expectError(P.raw('hkdf', { info: '' }), 'invalid_argument', 'missing ikm');
  // A malformed line gets an error reply with id null, and the peer keeps going.
  const reply = await P.rawLine('{not json', null);
  eq([reply.id, reply.ok, reply.kind], [null, false, 'invalid_argument'], 'bad JSON line');
  eq((await P.raw('version')).ok, true, 'peer keeps going');
  const numeric = await P.rawLine(JSON.stringify({ id: 12345, op: 'keypair' }), 12345);
  eq(numeric.ok, true, 'numeric id echoed');
});

// Quit both and make sure they exit cleanly.
await check('quit', async () => {
  for (const peer of [P, Q]) {
    const exited = new Promise((resolve) => peer.proc.once('exit', (code) => resolve(code)));
    const r = await peer.raw('quit');
    eq(r.ok, true, 'quit reply');
    eq(await exited, 0, 'exit code');
    assert(!/\bfatal\b/.test(peer.stderr), `no fatal diagnostics: ${peer.stderr}`);
  }
});

console.log(`libsignal-peer selftest: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
