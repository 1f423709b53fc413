package org.sotto.bench.server;

import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;
import org.sotto.api.dto.DeviceKeys;
import org.sotto.api.dto.KyberPreKey;
import org.sotto.api.dto.PreKey;
import org.sotto.api.dto.RegisterRequest;
import org.sotto.api.dto.RegisterResponse;
import org.sotto.api.dto.SignedPreKey;
import org.sotto.protocol.IdentityKeyPair;
import org.sotto.protocol.state.KyberPreKeyRecord;
import org.sotto.protocol.state.SignedPreKeyRecord;
import org.sotto.protocol.util.KeyHelper;
import org.sotto.server.http.Json;

/**
 * Registers bench accounts over the public API. Every account registers <b>the same public keys</b>
 * (identity key, signed prekey, last-resort Kyber prekey, one one-time prekey), generated once: the
 * server checks each account's prekey signatures against that account's own identity key, so the
 * shared set is valid for all of them, and registering 20,000 accounts does not cost 20,000
 * Kyber-1024 key generations. Only the device secret is fresh per account. Nobody ever sends these
 * accounts a real protocol message, so no private key is needed afterwards. Thread-safe.
 */
final class BenchAccounts {
  /**
   * Registrations in flight at once: enough to fill the server's group commits, few enough not to
   * queue thousands of requests on a 2-core machine.
   */
  static final int REGISTRATION_CONCURRENCY = 32;

  /** Random bytes in a device secret (hex-encoded: 48 characters, within the API's 24..128). */
  static final int SECRET_BYTES = 24;

  /** Registrations between two progress lines. */
  static final int PROGRESS_EVERY = 5_000;

  /** Time allowed for one registration request. */
  static final long REQUEST_TIMEOUT_SECONDS = 30;

  private final DeviceKeys keys;
  private final byte[] identityKey;
  private final SecureRandom random;

  private BenchAccounts(DeviceKeys keys, byte[] identityKey, SecureRandom random) {
    this.keys = keys;
    this.identityKey = identityKey;
    this.random = random;
  }

  /** Generates the one shared key set (one Kyber-1024 key pair, a few EC key pairs). */
  static BenchAccounts generate(SecureRandom random) {
    IdentityKeyPair identity = IdentityKeyPair.generate(random);
    Instant now = Instant.now();
    SignedPreKeyRecord signed = KeyHelper.generateSignedPreKey(identity, 1, now, random);
    KyberPreKeyRecord lastResort = KeyHelper.generateKyberPreKey(identity, 1, true, now, random);
    DeviceKeys keys =
        new DeviceKeys(
            KeyHelper.generateRegistrationId(random),
            new SignedPreKey(
                signed.id(), signed.keyPair().publicKey().serialize(), signed.signature()),
            new KyberPreKey(
                lastResort.id(),
                lastResort.keyPair().publicKey().serialize(),
                lastResort.signature()),
            List.of(
                new PreKey(
                    1, KeyHelper.generatePreKey(1, random).keyPair().publicKey().serialize())),
            List.of());
    return new BenchAccounts(keys, identity.identityKey().serialize(), random);
  }

  /**
   * Registers {@code count} accounts at {@code server} through {@code http}, {@link
   * #REGISTRATION_CONCURRENCY} at a time, with progress on stderr naming them {@code what}.
   */
  List<BenchAccount> register(HttpClient http, URI server, int count, String what)
      throws Exception {
    URI uri = server.resolve("/v1/accounts");
    BenchAccount[] out = new BenchAccount[count];
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> workers = new ArrayList<>();
      for (int w = 0; w < Math.min(REGISTRATION_CONCURRENCY, count); w++) {
        workers.add(
            pool.submit(
                () -> {
                  for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    out[i] = registerOne(http, uri);
                    int done = i + 1;
                    if (done % PROGRESS_EVERY == 0) {
                      Progress.log("  registered %d of %d %s", done, count, what);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : workers) {
        f.get();
      }
    }
    Progress.log("  registered %d %s in %.1f s", count, what, (System.nanoTime() - started) / 1e9);
    return List.of(out);
  }

  private BenchAccount registerOne(HttpClient http, URI uri) throws Exception {
    byte[] s = new byte[SECRET_BYTES];
    random.nextBytes(s);
    String secret = HexFormat.of().formatHex(s);
    byte[] body = Json.write(new RegisterRequest(null, identityKey, secret, keys, null, null));
    ContentResponse r =
        http.newRequest(uri)
            .method(HttpMethod.POST)
            .body(new BytesRequestContent("application/json", body))
            .timeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS)
            .send();
    if (r.getStatus() != 200) {
      throw new IOException(
          "registration failed: HTTP " + r.getStatus() + " " + SottoRelay.excerpt(r.getContent()));
    }
    RegisterResponse reg = Json.read(r.getContent(), RegisterResponse.class);
    return new BenchAccount(
        reg.accountId().toString(), reg.deviceId(), secret, keys.registrationId());
  }
}
