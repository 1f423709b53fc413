package org.sotto.cli.account;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;

/**
 * The config folder of the client verbs: each local account (named by its handle) is a subfolder
 * holding that account's SDK store. Immutable; every call reads the folder afresh.
 *
 * <p>The local store's passphrase comes from the environment variable {@value #PASSPHRASE_ENV} when
 * it is set (never from the command line, where other users could see it); otherwise the store has
 * none.
 */
public final class Accounts {
  /** The environment variable holding the local store's passphrase. */
  public static final String PASSPHRASE_ENV = "SOTTO_PASSPHRASE";

  /** The XDG variable naming the user's data folder. */
  private static final String XDG_DATA_HOME = "XDG_DATA_HOME";

  /** The folder under the XDG data folder that holds Sotto's accounts. */
  private static final String APP_FOLDER = "sotto";

  private final Path configDir;
  private final char[] passphraseOrNull;

  /** The server URL given for this invocation ({@code --server-url}), or null: the stored one. */
  private final String serverUrlOrNull;

  /** The account held open by the daemon, which {@link #open} hands out instead; or null. */
  private final SottoClient sharedOrNull;

  /** The name of the shared account, or null. */
  private final String sharedName;

  private Accounts(Path configDir, char[] passphraseOrNull) {
    this(configDir, passphraseOrNull, null, null, null);
  }

  private Accounts(
      Path configDir,
      char[] passphraseOrNull,
      String serverUrlOrNull,
      SottoClient sharedOrNull,
      String sharedName) {
    this.configDir = configDir;
    this.passphraseOrNull = passphraseOrNull;
    this.serverUrlOrNull = serverUrlOrNull;
    this.sharedOrNull = sharedOrNull;
    this.sharedName = sharedName;
  }

  /**
   * These accounts, except that {@link #open} talks to {@code serverUrlOrNull} instead of the
   * server URL stored with the account (for this invocation only; nothing stored changes). Null
   * keeps the stored URL. The URL is checked when an account is opened.
   */
  public Accounts withServerUrl(String serverUrlOrNull) {
    return new Accounts(configDir, passphraseOrNull, serverUrlOrNull, sharedOrNull, sharedName);
  }

  /**
   * {@code text} as a server URL, or a user error naming {@code option}: an absolute URL with a
   * scheme and a host.
   */
  public static URI parseServerUrl(String option, String text) throws CommandException {
    try {
      URI uri = new URI(text);
      if (uri.getScheme() == null || uri.getHost() == null) {
        throw new CommandException.UserError(option + " must be a URL like https://host:port");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new CommandException.UserError(option + " is not a URL: " + e.getMessage(), e);
    }
  }

  /**
   * These accounts, except that {@link #open} hands out {@code client} (the account {@code name},
   * already open, as the daemon holds it) in a view whose {@code close()} does nothing, and refuses
   * every other account: the store of an open account is locked.
   */
  public Accounts sharing(SottoClient client, String name) {
    return new Accounts(
        configDir, passphraseOrNull, serverUrlOrNull, SharedClient.of(client), name);
  }

  /**
   * The accounts in {@code configDirOrNull}, or in the XDG data folder ({@code
   * $XDG_DATA_HOME/sotto}, else {@code ~/.local/share/sotto}) when it is null.
   */
  public static Accounts in(Path configDirOrNull, Map<String, String> env) {
    Path dir = configDirOrNull != null ? configDirOrNull : defaultConfigDir(env);
    String passphrase = env.get(PASSPHRASE_ENV);
    return new Accounts(dir, passphrase == null ? null : passphrase.toCharArray());
  }

  static Path defaultConfigDir(Map<String, String> env) {
    String xdg = env.get(XDG_DATA_HOME);
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, APP_FOLDER);
    }
    return Path.of(System.getProperty("user.home"), ".local", "share", APP_FOLDER);
  }

  /** The config folder. */
  public Path configDir() {
    return configDir;
  }

  /** The passphrase from the environment, or null. */
  public char[] passphraseOrNull() {
    return passphraseOrNull == null ? null : passphraseOrNull.clone();
  }

  /** The folder for a new account {@code handle}; fails if it already exists. */
  public Path newAccountDir(String handle) throws CommandException {
    if (!isFolderName(handle)) {
      throw new CommandException.UserError("not a valid handle: " + handle);
    }
    Path dir = configDir.resolve(handle);
    if (Files.exists(dir)) {
      throw new CommandException.UserError("local account " + handle + " already exists");
    }
    return dir;
  }

  /**
   * Opens the account named by {@code accountOrNull}, or the only local account when it is null.
   */
  public SottoClient open(String accountOrNull) throws CommandException {
    if (sharedOrNull != null) {
      if (accountOrNull != null && !accountOrNull.equals(sharedName)) {
        throw new CommandException.UserError(
            "this daemon serves the local account " + sharedName + " only");
      }
      return sharedOrNull;
    }
    String account = accountOrNull != null ? accountOrNull : onlyAccount();
    Path dir = configDir.resolve(account);
    if (!isFolderName(account) || !Files.isDirectory(dir)) {
      throw new CommandException.UserError("unknown local account: " + account);
    }
    try {
      if (serverUrlOrNull == null) {
        return SottoClient.open(dir, account, passphraseOrNull());
      }
      URI server = parseServerUrl("--server-url", serverUrlOrNull);
      try {
        return SottoClient.open(dir, account, passphraseOrNull(), server);
      } catch (IllegalArgumentException e) {
        throw new CommandException.UserError("--server-url: " + e.getMessage(), e);
      }
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }

  /**
   * The name of the account {@link #open} would open for {@code accountOrNull}: itself, or the only
   * local account when it is null.
   */
  public String name(String accountOrNull) throws CommandException {
    if (sharedOrNull != null) {
      return sharedName;
    }
    return accountOrNull != null ? accountOrNull : onlyAccount();
  }

  /** Whether {@code name} names a folder directly inside the config folder (no path tricks). */
  private static boolean isFolderName(String name) {
    return !name.isBlank()
        && !name.startsWith(".")
        && !name.contains("/")
        && !name.contains("\\")
        && !name.contains(":");
  }

  private String onlyAccount() throws CommandException {
    List<String> names = list();
    if (names.size() != 1) {
      throw new CommandException.UserError(
          names.isEmpty()
              ? "no local account in " + configDir + "; run 'sotto register' first"
              : "several local accounts; choose one with -a ACCOUNT");
    }
    return names.get(0);
  }

  /** The local accounts' names, sorted. */
  public List<String> list() throws CommandException {
    if (!Files.isDirectory(configDir)) {
      return List.of();
    }
    try (Stream<Path> entries = Files.list(configDir)) {
      return entries
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new CommandException.ServerOrIoError(
          "cannot read the config folder " + configDir + ": " + e.getMessage(), e);
    }
  }
}
