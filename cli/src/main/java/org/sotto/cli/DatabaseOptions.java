package org.sotto.cli;

import java.nio.file.Path;
import org.sotto.server.ServerConfig;
import picocli.CommandLine.Option;

/**
 * The {@code --db} options shared by {@code sotto server} and its operator subcommands: without
 * {@code --db} the server uses embedded SQLite in the data folder.
 */
final class DatabaseOptions {
  @Option(
      names = "--db",
      paramLabel = "postgresql://HOST:PORT/DB",
      description =
          "Use this PostgreSQL database instead of SQLite in the data folder (cluster mode: every"
              + " node names the same database).")
  String url;

  @Option(names = "--db-user", paramLabel = "NAME", description = "PostgreSQL user (with --db).")
  String user;

  @Option(
      names = "--db-password-file",
      paramLabel = "FILE",
      description =
          "File holding the PostgreSQL password (with --db; a trailing newline is ignored). The"
              + " password is never taken on the command line.")
  Path passwordFile;

  /** Adds these options to {@code builder}. */
  ServerConfig.Builder applyTo(ServerConfig.Builder builder) {
    return builder.dbUrl(url).dbUser(user).dbPasswordFile(passwordFile);
  }
}
