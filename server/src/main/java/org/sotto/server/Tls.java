package org.sotto.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Builds the listening connector: plain HTTP, or HTTPS/WSS (HTTP/1.1 over TLS) from a PEM
 * certificate chain and a PEM PKCS#8 private key (RSA or EC), loaded with the JDK alone into an
 * in-memory key store. Bad files fail with an {@link IllegalArgumentException} that names the file
 * and never shows key material. Stateless.
 */
final class Tls {
  /** PEM files larger than this are not certificates or keys (bounds what a typo can read). */
  static final int MAX_PEM_BYTES = 1024 * 1024;

  /** Key algorithms tried on a PKCS#8 key, in order. */
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC");

  private static final Pattern PRIVATE_KEY =
      Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

  private static final String ALIAS = "sotto";

  private Tls() {}

  /**
   * HTTP settings shared by plain and TLS connectors. The per-connection header cache is off:
   * proxies and pooling clients multiplex many devices over one connection, each with its own
   * Authorization header, so the cache only churned (a quarter of the request-parsing CPU under the
   * relay benchmark).
   */
  static HttpConfiguration httpConfiguration() {
    HttpConfiguration http = new HttpConfiguration();
    http.setHeaderCacheSize(0);
    http.setSendServerVersion(false);
    return http;
  }

  /** A connector for {@code config}. */
  static ServerConnector connector(Server jetty, ServerConfig config) {
    if (!config.tls()) {
      return new ServerConnector(jetty, new HttpConnectionFactory(httpConfiguration()));
    }
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    char[] password = randomPassword();
    ssl.setKeyStore(keyStore(config.tlsCert(), config.tlsKey(), password));
    ssl.setKeyStorePassword(new String(password));
    ssl.setCertAlias(ALIAS);
    HttpConfiguration http = httpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Clients may reach the server by IP or by a name the certificate does not list (a proxy);
    // hostname checks are the client's job.
    secure.setSniHostCheck(false);
    http.addCustomizer(secure);
    return new ServerConnector(
        jetty,
        new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
        new HttpConnectionFactory(http));
  }

  /** The certificate chain and key as an in-memory key store under {@code password}. */
  static KeyStore keyStore(Path certFile, Path keyFile, char[] password) {
    List<X509Certificate> chain = certificates(certFile);
    PrivateKey key = privateKey(keyFile);
    if (!matches(key, chain.get(0))) {
      throw new IllegalArgumentException(
          "the private key in " + keyFile + " does not belong to the certificate in " + certFile);
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry(ALIAS, key, password, chain.toArray(new Certificate[0]));
      return store;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalArgumentException(
          "cannot use the key in " + keyFile + ": " + e.getClass().getSimpleName());
    }
  }

  /** The X.509 certificates in a PEM file, leaf first. */
  static List<X509Certificate> certificates(Path file) {
    byte[] pem = read(file);
    try {
      Collection<? extends Certificate> certs =
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(pem));
      if (certs.isEmpty()) {
        throw new IllegalArgumentException("no certificate in " + file);
      }
      return certs.stream().map(c -> (X509Certificate) c).toList();
    } catch (CertificateException e) {
      throw new IllegalArgumentException("no valid PEM certificate in " + file);
    }
  }

  /** The PKCS#8 private key in a PEM file ({@code BEGIN PRIVATE KEY}). */
  static PrivateKey privateKey(Path file) {
    String text = new String(read(file), StandardCharsets.US_ASCII);
    Matcher m = PRIVATE_KEY.matcher(text);
    if (!m.find()) {
      String hint =
          text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")
              ? " (this is a PKCS#1/SEC1 key: convert it with 'openssl pkcs8 -topk8 -nocrypt')"
              : text.contains("BEGIN ENCRYPTED PRIVATE KEY")
                  ? " (encrypted keys are not supported)"
                  : "";
      throw new IllegalArgumentException(
          "no PEM PKCS#8 private key (BEGIN PRIVATE KEY) in " + file + hint);
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad base64 in the private key in " + file);
    }
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
        // Not this algorithm; try the next.
      }
    }
    throw new IllegalArgumentException("the private key in " + file + " is not an RSA or EC key");
  }

  /** Whether {@code key} signs what the certificate's public key verifies. */
  private static boolean matches(PrivateKey key, X509Certificate cert) {
    if (!key.getAlgorithm().equals(cert.getPublicKey().getAlgorithm())) {
      return false;
    }
    String algorithm = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    try {
      byte[] probe = "sotto-tls-key-check".getBytes(StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] sig = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      return verifier.verify(sig);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static byte[] read(Path file) {
    try {
      if (Files.size(file) > MAX_PEM_BYTES) {
        throw new IllegalArgumentException(file + " is too large to be a PEM file");
      }
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file);
    }
  }

  private static char[] randomPassword() {
    // The key store lives only in memory; the password just satisfies the API.
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return Base64.getEncoder().encodeToString(b).toCharArray();
  }
}
