package org.sotto.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sotto.server.testing.TestServer;

class TlsIntegrationTest {
  @TempDir Path dir;

  /** A self-signed certificate for localhost/127.0.0.1 made by the test JDK's keytool. */
  record SelfSigned(Path cert, Path key, Certificate certificate, PrivateKey privateKey) {}

  private SelfSigned selfSigned(String algorithm, String name) throws Exception {
    Path store = dir.resolve(name + ".p12");
    String keytool =
        Path.of(System.getProperty("java.home"), "bin", "keytool").toAbsolutePath().toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "test",
                "-keyalg",
                algorithm,
                "-dname",
                "CN=localhost",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                store.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                "testpass",
                "-keypass",
                "testpass")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), output);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "testpass".toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("test", "testpass".toCharArray());
    Certificate cert = ks.getCertificate("test");
    Path certPem = dir.resolve(name + "-cert.pem");
    Path keyPem = dir.resolve(name + "-key.pem");
    Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()));
    return new SelfSigned(certPem, keyPem, cert, key);
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  private static HttpClient trusting(Certificate cert) throws Exception {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", cert);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ctx).build();
  }

  @ParameterizedTest
  @ValueSource(strings = {"RSA", "EC"})
  void start_withPemCertificateAndKey_servesHttps(String algorithm) throws Exception {
    SelfSigned s = selfSigned(algorithm, algorithm.toLowerCase());
    try (TestServer server = TestServer.start(c -> c.toBuilder().tls(s.cert(), s.key()).build())) {
      URI uri = server.uri();
      assertEquals("https", uri.getScheme());
      HttpResponse<String> r =
          trusting(s.certificate())
              .send(
                  HttpRequest.newBuilder(uri.resolve("/healthz")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("ok"));
      // A client that does not trust the certificate cannot talk to it.
      assertThrows(
          IOException.class,
          () ->
              HttpClient.newHttpClient()
                  .send(
                      HttpRequest.newBuilder(uri.resolve("/healthz")).build(),
                      HttpResponse.BodyHandlers.ofString()));
    }
  }

  @Test
  void start_keyOfAnotherCertificate_refusedNamingBothFiles() throws Exception {
    SelfSigned a = selfSigned("EC", "a");
    SelfSigned b = selfSigned("EC", "b");
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TestServer.start(c -> c.toBuilder().tls(a.cert(), b.key()).build()));
    assertTrue(e.getMessage().contains(b.key().toString()), e.getMessage());
    assertTrue(e.getMessage().contains(a.cert().toString()), e.getMessage());
  }

  @Test
  void keyStore_badFiles_clearErrorsWithoutKeyMaterial() throws Exception {
    SelfSigned s = selfSigned("RSA", "rsa");
    String keyBase64 = Base64.getEncoder().encodeToString(s.privateKey().getEncoded());
    char[] pw = "x".toCharArray();
    // Swapped files: no private key in the certificate file, no certificate in the key file.
    var noKey =
        assertThrows(IllegalArgumentException.class, () -> Tls.keyStore(s.cert(), s.cert(), pw));
    assertTrue(noKey.getMessage().contains(s.cert().toString()));
    var noCert =
        assertThrows(IllegalArgumentException.class, () -> Tls.keyStore(s.key(), s.key(), pw));
    assertTrue(noCert.getMessage().contains(s.key().toString()));
    assertFalse(noCert.getMessage().contains(keyBase64.substring(0, 40)));
    // A PKCS#1 key gets a hint how to convert it.
    Path pkcs1 = dir.resolve("pkcs1.pem");
    Files.writeString(pkcs1, pem("RSA PRIVATE KEY", new byte[] {1, 2, 3}));
    var hint =
        assertThrows(IllegalArgumentException.class, () -> Tls.keyStore(s.cert(), pkcs1, pw));
    assertTrue(hint.getMessage().contains("pkcs8"), hint.getMessage());
    // Garbage inside a PRIVATE KEY block.
    Path garbage = dir.resolve("garbage.pem");
    Files.writeString(garbage, pem("PRIVATE KEY", new byte[] {48, 3, 2, 1, 0}));
    assertThrows(IllegalArgumentException.class, () -> Tls.keyStore(s.cert(), garbage, pw));
    // A missing file.
    var missing =
        assertThrows(
            IllegalArgumentException.class,
            () -> Tls.keyStore(dir.resolve("nope.pem"), s.key(), pw));
    assertTrue(missing.getMessage().contains("nope.pem"));
  }

  @Test
  void checkBind_nonLoopbackWithoutTls_refusedUnlessBehindProxy() throws Exception {
    ServerConfig base = ServerConfig.defaults(dir);
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> SottoServer.checkBind(base.listen("0.0.0.0", 0)));
    assertTrue(e.getMessage().contains("--insecure-behind-proxy"));
    assertDoesNotThrow(
        () ->
            SottoServer.checkBind(
                base.toBuilder().host("0.0.0.0").insecureBehindProxy(true).build()));
    SelfSigned s = selfSigned("EC", "bind");
    assertDoesNotThrow(
        () ->
            SottoServer.checkBind(base.toBuilder().host("0.0.0.0").tls(s.cert(), s.key()).build()));
    assertDoesNotThrow(() -> SottoServer.checkBind(base.listen("127.0.0.1", 0)));
    assertDoesNotThrow(() -> SottoServer.checkBind(base.listen("localhost", 0)));
    assertDoesNotThrow(() -> SottoServer.checkBind(base.listen("::1", 0)));
  }

  @Test
  void start_nonLoopbackWithoutTls_refusedBeforeTouchingTheDataFolder() {
    Path data = dir.resolve("data");
    assertThrows(
        IllegalArgumentException.class,
        () -> SottoServer.start(ServerConfig.defaults(data).listen("0.0.0.0", 0)));
    assertFalse(Files.exists(data));
  }
}
