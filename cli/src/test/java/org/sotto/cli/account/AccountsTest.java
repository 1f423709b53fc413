package org.sotto.cli.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {
  @TempDir Path dir;

  @Test
  void in_noConfigWithXdgDataHome_usesSottoFolderThere() {
    Accounts accounts = Accounts.in(null, Map.of("XDG_DATA_HOME", dir.toString()));

    assertEquals(dir.resolve("sotto"), accounts.configDir());
  }

  @Test
  void in_noConfigWithoutXdgDataHome_usesLocalShareUnderHome() {
    Accounts accounts = Accounts.in(null, Map.of());

    assertEquals(
        Path.of(System.getProperty("user.home"), ".local", "share", "sotto"), accounts.configDir());
  }

  @Test
  void in_passphraseInEnvironment_isUsed() {
    assertEquals(
        "pw", new String(Accounts.in(dir, Map.of("SOTTO_PASSPHRASE", "pw")).passphraseOrNull()));
    assertEquals(null, Accounts.in(dir, Map.of()).passphraseOrNull());
  }

  @Test
  void open_severalAccountsAndNoneChosen_throwsUserError() throws Exception {
    Files.createDirectories(dir.resolve("alice"));
    Files.createDirectories(dir.resolve("bob"));
    Accounts accounts = Accounts.in(dir, Map.of());

    CommandException e = assertThrows(CommandException.class, () -> accounts.open(null));

    assertEquals(CommandException.EXIT_USER_ERROR, e.exitCode());
    assertTrue(e.getMessage().contains("-a"), e.getMessage());
    assertEquals(List.of("alice", "bob"), accounts.list());
  }

  @Test
  void open_accountOutsideConfigFolder_throwsUserError() throws Exception {
    Files.createDirectories(dir.resolve("cfg"));
    Files.createDirectories(dir.resolve("elsewhere"));
    Accounts accounts = Accounts.in(dir.resolve("cfg"), Map.of());

    CommandException e = assertThrows(CommandException.class, () -> accounts.open("../elsewhere"));

    assertEquals(CommandException.EXIT_USER_ERROR, e.exitCode());
  }

  @Test
  void newAccountDir_handleWithPathSeparator_throwsUserError() {
    Accounts accounts = Accounts.in(dir, Map.of());

    assertThrows(CommandException.UserError.class, () -> accounts.newAccountDir("../x"));
    assertThrows(CommandException.UserError.class, () -> accounts.newAccountDir(".hidden"));
  }
}
