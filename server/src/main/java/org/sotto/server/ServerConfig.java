package org.sotto.server;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Everything an operator can set. Defaults in {@link #defaults(Path)}; limits are named constants
 * with reasons. Immutable.
 *
 * @param dataDir where the database, keys and attachments live
 * @param host the address to bind
 * @param port the port to bind (0 picks a free one)
 * @param tlsCert PEM certificate chain for HTTPS/WSS, or null
 * @param tlsKey PEM PKCS#8 private key for HTTPS/WSS, or null
 * @param insecureBehindProxy allow plain HTTP on a non-loopback address (a TLS proxy is in front)
 * @param powBits registration proof-of-work difficulty (0 disables)
 * @param inviteOnly registration needs an operator-issued invite code
 * @param maxAttachmentBytes largest attachment accepted
 * @param registrationsPerHour registrations allowed per client IP per hour (also the burst)
 * @param dbUrl the PostgreSQL database ({@code postgresql://HOST:PORT/DB}) shared by a cluster, or
 *     null for embedded SQLite in the data folder
 * @param dbUser the PostgreSQL user, or null for the driver's default
 * @param dbPasswordFile a file holding the PostgreSQL password (a trailing newline is ignored), or
 *     null; the password itself is never part of the config, so it cannot reach a log
 * @param redisUrl Redis for cluster mode (delivery fan-out, shared limits), or null: single node
 * @param nodeId this node's id among the nodes sharing Redis (random by default)
 */
public record ServerConfig(
    Path dataDir,
    String host,
    int port,
    Path tlsCert,
    Path tlsKey,
    boolean insecureBehindProxy,
    int powBits,
    boolean inviteOnly,
    long maxAttachmentBytes,
    int registrationsPerHour,
    String dbUrl,
    String dbUser,
    Path dbPasswordFile,
    java.net.URI redisUrl,
    String nodeId) {

  /** The default port. */
  public static final int DEFAULT_PORT = 8080;

  /**
   * Attachments up to 100 MiB by default: videos from phones, without letting one upload fill a
   * small disk.
   */
  public static final long DEFAULT_MAX_ATTACHMENT_BYTES = 100L * 1024 * 1024;

  /**
   * Ten registrations per IP per hour by default: a family or a small office behind one NAT can
   * sign up, a script cannot mint thousands of accounts.
   */
  public static final int DEFAULT_REGISTRATIONS_PER_HOUR = 10;

  /** Node ids appear in Redis channel names and logs: short, and no separators. */
  public static final int MAX_NODE_ID_CHARS = 32;

  /** Validates. */
  public ServerConfig {
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(host, "host");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    if (powBits < 0 || powBits > 32) {
      throw new IllegalArgumentException("--pow-bits must be 0..32");
    }
    if (registrationsPerHour <= 0) {
      throw new IllegalArgumentException("the registration rate must be positive");
    }
    if (maxAttachmentBytes <= 0) {
      throw new IllegalArgumentException("the attachment limit must be positive");
    }
    if (dbUrl == null && (dbUser != null || dbPasswordFile != null)) {
      throw new IllegalArgumentException("--db-user and --db-password-file need --db");
    }
    if (redisUrl != null
        && !"redis".equals(redisUrl.getScheme())
        && !"rediss".equals(redisUrl.getScheme())) {
      throw new IllegalArgumentException("--redis must look like redis://HOST:PORT");
    }
    Objects.requireNonNull(nodeId, "nodeId");
    if (!nodeId.matches("[A-Za-z0-9_-]{1," + MAX_NODE_ID_CHARS + "}")) {
      throw new IllegalArgumentException(
          "the node id must be 1.." + MAX_NODE_ID_CHARS + " letters, digits, '-' or '_'");
    }
  }

  /** Loopback, port 8080, no TLS, no proof-of-work, open registration, 100 MiB attachments. */
  public static ServerConfig defaults(Path dataDir) {
    return builder(dataDir).build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder(Path dataDir) {
    return new Builder(dataDir);
  }

  /** A builder starting from this config. */
  public Builder toBuilder() {
    Builder b = new Builder(dataDir);
    b.host = host;
    b.port = port;
    b.tlsCert = tlsCert;
    b.tlsKey = tlsKey;
    b.insecureBehindProxy = insecureBehindProxy;
    b.powBits = powBits;
    b.inviteOnly = inviteOnly;
    b.maxAttachmentBytes = maxAttachmentBytes;
    b.registrationsPerHour = registrationsPerHour;
    b.dbUrl = dbUrl;
    b.dbUser = dbUser;
    b.dbPasswordFile = dbPasswordFile;
    b.redisUrl = redisUrl;
    b.nodeId = nodeId;
    return b;
  }

  /** This config listening on {@code host:port}. */
  public ServerConfig listen(String host, int port) {
    return toBuilder().host(host).port(port).build();
  }

  /** This config allowing {@code perHour} registrations per IP per hour. */
  public ServerConfig registrationsPerHour(int perHour) {
    return toBuilder().registrationsPerHour(perHour).build();
  }

  /** Every setting, with the Redis password (if the URL has one) left out. */
  @Override
  public String toString() {
    return "ServerConfig[dataDir="
        + dataDir
        + ", host="
        + host
        + ", port="
        + port
        + ", tls="
        + tls()
        + ", insecureBehindProxy="
        + insecureBehindProxy
        + ", powBits="
        + powBits
        + ", inviteOnly="
        + inviteOnly
        + ", maxAttachmentBytes="
        + maxAttachmentBytes
        + ", registrationsPerHour="
        + registrationsPerHour
        + ", db="
        + (dbUrl == null ? "sqlite" : "postgresql")
        + ", redis="
        + (redisUrl == null
            ? "none"
            : redisUrl.getScheme() + "://" + redisUrl.getHost() + ":" + redisUrl.getPort())
        + ", nodeId="
        + nodeId
        + "]";
  }

  /** Whether several nodes share Redis (cluster mode). */
  public boolean clustered() {
    return redisUrl != null;
  }

  /** Whether TLS is configured. */
  public boolean tls() {
    return tlsCert != null;
  }

  /** Builds a {@link ServerConfig}; every setting starts at its default. Not thread-safe. */
  public static final class Builder {
    private final Path dataDir;
    private String host = "127.0.0.1";
    private int port = DEFAULT_PORT;
    private Path tlsCert;
    private Path tlsKey;
    private boolean insecureBehindProxy;
    private int powBits;
    private boolean inviteOnly;
    private long maxAttachmentBytes = DEFAULT_MAX_ATTACHMENT_BYTES;
    private int registrationsPerHour = DEFAULT_REGISTRATIONS_PER_HOUR;
    private String dbUrl;
    private String dbUser;
    private Path dbPasswordFile;
    private java.net.URI redisUrl;
    private String nodeId = randomNodeId();

    private Builder(Path dataDir) {
      this.dataDir = dataDir;
    }

    /** The bind address. */
    public Builder host(String value) {
      host = value;
      return this;
    }

    /** The port (0: any free one). */
    public Builder port(int value) {
      port = value;
      return this;
    }

    /** PEM certificate chain and PKCS#8 key for HTTPS/WSS. */
    public Builder tls(Path cert, Path key) {
      tlsCert = cert;
      tlsKey = key;
      return this;
    }

    /** Allow plain HTTP on a non-loopback address. */
    public Builder insecureBehindProxy(boolean value) {
      insecureBehindProxy = value;
      return this;
    }

    /** Proof-of-work difficulty for registration (0 disables). */
    public Builder powBits(int value) {
      powBits = value;
      return this;
    }

    /** Registration by invite code only. */
    public Builder inviteOnly(boolean value) {
      inviteOnly = value;
      return this;
    }

    /** Largest attachment. */
    public Builder maxAttachmentBytes(long value) {
      maxAttachmentBytes = value;
      return this;
    }

    /** Registrations per IP per hour. */
    public Builder registrationsPerHour(int value) {
      registrationsPerHour = value;
      return this;
    }

    /** The PostgreSQL database ({@code postgresql://HOST:PORT/DB}); null: SQLite. */
    public Builder dbUrl(String value) {
      dbUrl = value;
      return this;
    }

    /** The PostgreSQL user. */
    public Builder dbUser(String value) {
      dbUser = value;
      return this;
    }

    /** The file holding the PostgreSQL password. */
    public Builder dbPasswordFile(Path value) {
      dbPasswordFile = value;
      return this;
    }

    /** Redis for cluster mode ({@code redis://HOST:PORT}); null: single node. */
    public Builder redisUrl(java.net.URI value) {
      redisUrl = value;
      return this;
    }

    /** This node's id among the nodes sharing Redis. */
    public Builder nodeId(String value) {
      nodeId = value;
      return this;
    }

    /** The validated config. */
    public ServerConfig build() {
      return new ServerConfig(
          dataDir,
          host,
          port,
          tlsCert,
          tlsKey,
          insecureBehindProxy,
          powBits,
          inviteOnly,
          maxAttachmentBytes,
          registrationsPerHour,
          dbUrl,
          dbUser,
          dbPasswordFile,
          redisUrl,
          nodeId);
    }

    /** Eight random hex digits: unique enough among a handful of nodes, short in channel names. */
    private static String randomNodeId() {
      return String.format("%08x", new java.security.SecureRandom().nextInt() & 0xffffffffL);
    }
  }
}
