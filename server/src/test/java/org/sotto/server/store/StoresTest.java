package org.sotto.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.server.ServerConfig;

class StoresTest {
  @TempDir Path dir;

  @Test
  void readPassword_stripsOneTrailingLineBreakOnly() throws Exception {
    Path unix = Files.writeString(dir.resolve("a"), "pa ss\n");
    Path windows = Files.writeString(dir.resolve("b"), "pass\r\n");
    Path bare = Files.writeString(dir.resolve("c"), " pass ");
    assertEquals("pa ss", Stores.readPassword(unix));
    assertEquals("pass", Stores.readPassword(windows));
    assertEquals(" pass ", Stores.readPassword(bare));
  }

  @Test
  void readPassword_missingOrHugeFile_throwsNamingTheFileNotTheContent() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> Stores.readPassword(dir.resolve("none")));
    Path huge =
        Files.writeString(
            dir.resolve("huge"), "secret".repeat((int) Stores.MAX_PASSWORD_FILE_BYTES));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Stores.readPassword(huge));
    assertFalse(e.getMessage().contains("secret"));
  }

  @Test
  void open_withoutDbUrl_usesSqliteInTheDataFolder() {
    try (Stores stores = Stores.open(ServerConfig.defaults(dir))) {
      assertEquals("SqliteMessageStore", stores.messages().getClass().getSimpleName());
    }
    assertEquals(true, Files.isRegularFile(dir.resolve("sotto.db")));
  }

  @Test
  void serverConfig_dbUserWithoutDbUrl_isRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> ServerConfig.builder(dir).dbUser("sotto").build());
  }
}
