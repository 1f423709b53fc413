package org.sotto.server.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.ecc.ECPrivateKey;
import org.sotto.protocol.ecc.ECPublicKey;
import org.sotto.protocol.sealed.ServerCertificate;
import org.sotto.server.files.PrivateFiles;

/**
 * The sealed-sender keys: a trust root (published by {@code GET /v1/config}; clients check sender
 * certificates against it) and a server key certified by it, which signs sender certificates.
 * Created at first start under {@code DATA/keys/} (owner-only files, each written atomically) and
 * reused afterwards. {@link #toString()} shows public parts only. Immutable and thread-safe.
 */
public final class ServerKeys {
  /** The folder inside the data folder. */
  public static final String DIRECTORY = "keys";

  /** The trust root's private key (32 raw bytes). */
  public static final String TRUST_ROOT_FILE = "trust-root.key";

  /** The server key's private key (32 raw bytes). */
  public static final String SERVER_KEY_FILE = "server.key";

  /** The serialized {@link ServerCertificate} of the server key. */
  public static final String SERVER_CERTIFICATE_FILE = "server.crt";

  /** The id of the server key in its certificate; one key per data folder for now. */
  public static final int SERVER_KEY_ID = 1;

  private final ECPublicKey trustRoot;
  private final ServerCertificate certificate;
  private final ECPrivateKey signingKey;

  private ServerKeys(
      ECPublicKey trustRoot, ServerCertificate certificate, ECPrivateKey signingKey) {
    this.trustRoot = trustRoot;
    this.certificate = certificate;
    this.signingKey = signingKey;
  }

  /**
   * Loads the keys from {@code dataDir/keys}, creating what is missing. A server key without its
   * certificate (a crash during first start) is made again; a trust root that is missing while a
   * server key exists is refused, since clients may already trust the lost root.
   *
   * @throws IllegalStateException the key files are unreadable or do not belong together (the
   *     message names the file, never key material)
   */
  public static ServerKeys loadOrCreate(Path dataDir, SecureRandom random) throws IOException {
    Path dir = PrivateFiles.directory(dataDir.resolve(DIRECTORY));
    Path rootFile = dir.resolve(TRUST_ROOT_FILE);
    Path keyFile = dir.resolve(SERVER_KEY_FILE);
    Path certFile = dir.resolve(SERVER_CERTIFICATE_FILE);
    ECPrivateKey root;
    if (Files.exists(rootFile)) {
      root = privateKey(rootFile);
    } else {
      if (Files.exists(keyFile) || Files.exists(certFile)) {
        throw new IllegalStateException(
            DIRECTORY
                + "/"
                + TRUST_ROOT_FILE
                + " is missing but the server key exists: restore it from a backup");
      }
      root = ECKeyPair.generate(random).privateKey();
      PrivateFiles.writeAtomically(rootFile, root.serialize());
    }
    ECPublicKey rootPublic = root.publicKey();
    if (Files.exists(keyFile) && Files.exists(certFile)) {
      ECPrivateKey key = privateKey(keyFile);
      ServerCertificate cert;
      try {
        cert = ServerCertificate.fromBytes(Files.readAllBytes(certFile));
        cert.validate(rootPublic);
      } catch (InvalidCertificateException e) {
        throw new IllegalStateException(
            DIRECTORY + "/" + SERVER_CERTIFICATE_FILE + " is not valid under the trust root");
      }
      if (!cert.key().equals(key.publicKey())) {
        throw new IllegalStateException(
            DIRECTORY + "/" + SERVER_KEY_FILE + " does not match " + SERVER_CERTIFICATE_FILE);
      }
      return new ServerKeys(rootPublic, cert, key);
    }
    ECKeyPair server = ECKeyPair.generate(random);
    ServerCertificate cert =
        ServerCertificate.create(SERVER_KEY_ID, server.publicKey(), root, random);
    PrivateFiles.writeAtomically(keyFile, server.privateKey().serialize());
    PrivateFiles.writeAtomically(certFile, cert.serialize());
    return new ServerKeys(rootPublic, cert, server.privateKey());
  }

  /**
   * The keys as stored by a {@link SharedStore}: the trust root's and the server key's private keys
   * (32 raw bytes each) and the serialized certificate. {@link #toString()} prints no key material.
   */
  public record Material(byte[] trustRoot, byte[] serverKey, byte[] certificate) {
    @Override
    public String toString() {
      return "ServerKeys.Material[redacted]";
    }
  }

  /**
   * Where the nodes of a cluster keep one shared set of keys (a database table), so that every node
   * signs sender certificates with the same key under the same trust root.
   */
  @FunctionalInterface
  public interface SharedStore {
    /**
     * Stores {@code candidate} if no keys are stored yet, atomically; returns what is stored
     * afterwards (the candidate, or the keys another node stored first).
     */
    Material putIfAbsent(Material candidate);
  }

  /**
   * Loads the keys from {@code store}, creating them if it holds none; when several nodes start at
   * once, all end up with the keys of the one that stored first.
   *
   * @throws IllegalStateException the stored keys are invalid or do not belong together (the
   *     message holds no key material)
   */
  public static ServerKeys loadOrCreate(SharedStore store, SecureRandom random) {
    ECPrivateKey newRoot = ECKeyPair.generate(random).privateKey();
    ECKeyPair newServer = ECKeyPair.generate(random);
    ServerCertificate newCert =
        ServerCertificate.create(SERVER_KEY_ID, newServer.publicKey(), newRoot, random);
    Material stored =
        store.putIfAbsent(
            new Material(
                newRoot.serialize(), newServer.privateKey().serialize(), newCert.serialize()));
    try {
      ECPrivateKey root = ECPrivateKey.fromBytes(stored.trustRoot());
      ECPrivateKey key = ECPrivateKey.fromBytes(stored.serverKey());
      ServerCertificate cert = ServerCertificate.fromBytes(stored.certificate());
      cert.validate(root.publicKey());
      if (!cert.key().equals(key.publicKey())) {
        throw new IllegalStateException("the stored server key does not match its certificate");
      }
      return new ServerKeys(root.publicKey(), cert, key);
    } catch (InvalidKeyException | InvalidCertificateException e) {
      throw new IllegalStateException("the stored server keys are not valid");
    }
  }

  private static ECPrivateKey privateKey(Path file) throws IOException {
    try {
      return ECPrivateKey.fromBytes(Files.readAllBytes(file));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(
          DIRECTORY + "/" + file.getFileName() + " does not hold a valid private key");
    }
  }

  /** The trust root's public key. */
  public ECPublicKey trustRoot() {
    return trustRoot;
  }

  /** The server key's certificate, signed by the trust root. */
  public ServerCertificate certificate() {
    return certificate;
  }

  /** The server key's private half, which signs sender certificates. */
  ECPrivateKey signingKey() {
    return signingKey;
  }

  @Override
  public String toString() {
    return "ServerKeys[trustRoot=" + trustRoot + ", keyId=" + certificate.keyId() + "]";
  }
}
