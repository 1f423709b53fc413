package org.sotto.cli;

import java.nio.file.Path;
import java.util.Map;
import org.sotto.cli.account.Accounts;
import org.sotto.cli.account.CommandException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code sotto} command line. Exit codes: 0 ok, 1 user error, 2 unexpected, 3 server or I/O
 * error, 4 untrusted identity. The client verbs read the local store's passphrase from the
 * environment variable {@code SOTTO_PASSPHRASE} when it is set.
 */
@Command(
    name = "sotto",
    mixinStandardHelpOptions = true,
    versionProvider = SottoMain.Version.class,
    description = "Sotto: end-to-end-encrypted messaging for the JVM.",
    footer = {
      "",
      "Environment: SOTTO_PASSPHRASE, if set, is the passphrase of the local account's store.",
      "Exit codes: 0 ok, 1 user error, 2 unexpected, 3 server or I/O error, 4 untrusted identity."
    },
    subcommands = {
      DemoCommand.class,
      ServerCommand.class,
      RegisterCommand.class,
      LinkCommand.class,
      AddDeviceCommand.class,
      ListDevicesCommand.class,
      RemoveDeviceCommand.class,
      SendCommand.class,
      ReceiveCommand.class,
      SafetyNumberCommand.class,
      TrustCommand.class,
      SetProfileCommand.class,
      ListContactsCommand.class,
      ListIdentitiesCommand.class,
      DaemonCommand.class,
      ChatCommand.class,
      CommandLine.HelpCommand.class,
      picocli.AutoComplete.GenerateCompletion.class
    })
public final class SottoMain implements Runnable {
  /** Exit code for a user error (bad arguments, unknown verb). */
  static final int EXIT_USER_ERROR = CommandException.EXIT_USER_ERROR;

  /** Exit code for an unexpected failure. */
  static final int EXIT_UNEXPECTED = 2;

  /**
   * Exit code for a server or I/O failure (data folder unreadable, port taken, database damaged).
   */
  static final int EXIT_IO = CommandException.EXIT_IO;

  /** The output forms of the client verbs. */
  enum OutputFormat {
    plain,
    json
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--config",
      paramLabel = "DIR",
      description =
          "The folder of the local accounts (default: $XDG_DATA_HOME/sotto, else ~/.local/share/sotto).")
  Path config;

  @Option(
      names = "-o",
      paramLabel = "plain|json",
      defaultValue = "plain",
      description = "Output form of the client verbs: ${COMPLETION-CANDIDATES}.")
  OutputFormat output;

  @Option(
      names = "-a",
      paramLabel = "ACCOUNT",
      description = "The local account (its handle); optional when there is only one.")
  String account;

  @Option(
      names = "--server-url",
      paramLabel = "URL",
      description =
          "Talk to this server for this invocation instead of the one stored with the local account"
              + " (e.g. another node of the same cluster); nothing stored changes.")
  String serverUrl;

  private final Map<String, String> env;

  /** The daemon's accounts, whose open account is shared with in-process verbs; or null. */
  private final Accounts sharedOrNull;

  SottoMain(Map<String, String> env) {
    this(env, null);
  }

  private SottoMain(Map<String, String> env, Accounts sharedOrNull) {
    this.env = env;
    this.sharedOrNull = sharedOrNull;
  }

  /** The local accounts in the chosen config folder (the daemon's, for verbs run inside it). */
  Accounts accounts() {
    return sharedOrNull != null ? sharedOrNull : Accounts.in(config, env).withServerUrl(serverUrl);
  }

  /** The environment the command line was started with. */
  Map<String, String> env() {
    return env;
  }

  /**
   * A command line for verbs run inside the daemon: {@link #accounts()} is {@code shared}, whose
   * open account the verbs use without opening (or closing) the store. Failures are not printed:
   * the caller installs its own handlers.
   */
  static CommandLine inProcessCommandLine(Map<String, String> env, Accounts shared) {
    return hideCompletionVerb(new CommandLine(new SottoMain(env, shared)));
  }

  /**
   * Keeps {@code generate-completion} (picocli's completion script generator) out of the verb list:
   * it is for installing, not for daily use (see docs/cli.md).
   */
  private static CommandLine hideCompletionVerb(CommandLine cmd) {
    cmd.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(true);
    return cmd;
  }

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, reading the process environment. */
  static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /**
   * The configured command line: user errors exit 1, unexpected failures 2, and a {@link
   * CommandException} its own code with its one-line message.
   */
  static CommandLine commandLine(Map<String, String> env) {
    CommandLine cmd = new CommandLine(new SottoMain(env));
    hideCompletionVerb(cmd);
    cmd.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("sotto: " + ex.getMessage());
          c.getErr().println("Run 'sotto --help' for usage.");
          return EXIT_USER_ERROR;
        });
    cmd.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          if (ex instanceof CommandException c) {
            commandLine.getErr().println("sotto: " + c.getMessage());
            return c.exitCode();
          }
          commandLine.getErr().println("sotto: unexpected error: " + ex);
          return EXIT_UNEXPECTED;
        });
    return cmd;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The version shown by {@code --version}. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SottoMain.class.getPackage().getImplementationVersion();
      return new String[] {"sotto " + (v == null ? "development build" : v)};
    }
  }
}
