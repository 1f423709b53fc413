package org.sotto.client.internal;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.sotto.api.AccountId;
import org.sotto.server.store.sqlite.SqliteDatabase;
import org.sotto.server.testing.TestServer;
import org.sqlite.SQLiteConfig;

/** Reads what a test server stored in its queue, through a read-only connection to its file. */
final class ServerEnvelopes {
  /** One queued envelope as the server holds it. */
  record Queued(int type, String sourceAccount, int content) {}

  private ServerEnvelopes() {}

  /** The envelopes queued for {@code account}, oldest first. */
  static List<Queued> queuedFor(TestServer server, AccountId account) throws Exception {
    Path file = server.dataDir().resolve(SqliteDatabase.FILE_NAME);
    SQLiteConfig config = new SQLiteConfig();
    config.setReadOnly(true);
    config.setBusyTimeout(5_000);
    List<Queued> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file, config.toProperties());
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT type, source_account, length(content) FROM envelopes"
                    + " WHERE account_id = ? ORDER BY seq")) {
      ps.setString(1, account.toString());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Queued(rs.getInt(1), rs.getString(2), rs.getInt(3)));
        }
      }
    }
    return out;
  }
}
