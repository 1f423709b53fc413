package org.sotto.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.sotto.server.ServerConfig;
import org.sotto.server.ServerMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sotto server}: runs the relay on embedded SQLite in a data folder, or on PostgreSQL with
 * {@code --db}.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description =
        "Run the Sotto server (embedded SQLite in the data folder, or PostgreSQL with --db).",
    subcommands = {InviteCommand.class, DiscloseCommand.class, CommandLine.HelpCommand.class})
public final class ServerCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "Data folder (default: ${DEFAULT-VALUE}).",
      defaultValue = "sotto-data")
  Path data;

  @CommandLine.Mixin DatabaseOptions database = new DatabaseOptions();

  @Option(
      names = "--listen",
      paramLabel = "HOST:PORT",
      description = "Address to serve on (default: ${DEFAULT-VALUE}; port 0 picks a free one).",
      defaultValue = "127.0.0.1:8080")
  String listen;

  @Option(
      names = "--tls-cert",
      paramLabel = "PEM",
      description = "Certificate chain for HTTPS/WSS.")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      paramLabel = "PEM",
      description = "PKCS#8 private key for HTTPS/WSS.")
  Path tlsKey;

  @Option(
      names = "--insecure-behind-proxy",
      description =
          "Allow plain HTTP on a non-loopback address (a TLS-terminating proxy is in front).")
  boolean insecureBehindProxy;

  @Option(
      names = "--pow-bits",
      paramLabel = "N",
      description =
          "Registration proof-of-work difficulty in bits, 0..32 (default: ${DEFAULT-VALUE}: off).",
      defaultValue = "0")
  int powBits;

  @Option(
      names = "--registration",
      paramLabel = "MODE",
      description = "open or invite (default: ${DEFAULT-VALUE}).",
      defaultValue = "open")
  String registration;

  @Option(
      names = "--max-attachment-bytes",
      paramLabel = "N",
      description = "Largest attachment accepted (default: ${DEFAULT-VALUE}).",
      defaultValue = "104857600")
  long maxAttachmentBytes;

  @Option(
      names = "--registrations-per-hour",
      paramLabel = "N",
      description = "Registrations allowed per client IP per hour (default: ${DEFAULT-VALUE}).",
      defaultValue = "10")
  int registrationsPerHour;

  @Option(
      names = "--redis",
      paramLabel = "URL",
      description =
          "Cluster mode: Redis (redis://HOST:PORT) carrying delivery events, rate limits, "
              + "registration challenges and device-link messages between the nodes "
              + "(default: none, single node).")
  String redis;

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      description = "This node's id among the cluster's nodes (default: random).")
  String nodeId;

  @Override
  public Integer call() throws Exception {
    ServerConfig config;
    try {
      config = config();
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    try {
      ServerMain.run(config, System.out);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("sotto server: " + e.getMessage());
      return SottoMain.EXIT_USER_ERROR;
    } catch (IllegalStateException
        | org.sotto.server.store.StoreException
        | java.io.IOException e) {
      // Damaged key files, an unreadable data folder, a database from a newer server, a port in
      // use.
      String why = e.getMessage();
      if (e.getCause() != null && e.getCause().getMessage() != null) {
        why = why + ": " + e.getCause().getMessage();
      }
      spec.commandLine().getErr().println("sotto server: " + why);
      return SottoMain.EXIT_IO;
    }
    return 0;
  }

  ServerConfig config() {
    int colon = listen.lastIndexOf(':');
    if (colon <= 0 || colon == listen.length() - 1) {
      throw new IllegalArgumentException("--listen must be HOST:PORT");
    }
    String host = listen.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(listen.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--listen must be HOST:PORT");
    }
    if (!registration.equals("open") && !registration.equals("invite")) {
      throw new IllegalArgumentException("--registration must be open or invite");
    }
    ServerConfig.Builder b =
        ServerConfig.builder(data)
            .host(host)
            .port(port)
            .insecureBehindProxy(insecureBehindProxy)
            .powBits(powBits)
            .inviteOnly(registration.equals("invite"))
            .maxAttachmentBytes(maxAttachmentBytes)
            .registrationsPerHour(registrationsPerHour);
    database.applyTo(b);
    if (tlsCert != null || tlsKey != null) {
      b.tls(tlsCert, tlsKey);
    }
    if (redis != null) {
      try {
        b.redisUrl(java.net.URI.create(redis));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--redis must look like redis://HOST:PORT");
      }
    }
    if (nodeId != null) {
      b.nodeId(nodeId);
    }
    return b.build();
  }
}
