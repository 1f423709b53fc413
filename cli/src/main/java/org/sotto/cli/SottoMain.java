package org.sotto.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sotto} command line. Exit codes: 0 ok, 1 user error, 2 unexpected. */
@Command(
    name = "sotto",
    mixinStandardHelpOptions = true,
    versionProvider = SottoMain.Version.class,
    description = "Sotto: end-to-end-encrypted messaging for the JVM.",
    subcommands = {DemoCommand.class, ServerCommand.class, CommandLine.HelpCommand.class})
public final class SottoMain implements Runnable {
  /** Exit code for a user error (bad arguments, unknown verb). */
  static final int EXIT_USER_ERROR = 1;

  /** Exit code for an unexpected failure. */
  static final int EXIT_UNEXPECTED = 2;

  /**
   * Exit code for a server or I/O failure (data folder unreadable, port taken, database damaged).
   */
  static final int EXIT_IO = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the command line and exits with its code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code (for tests). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line: user errors exit 1, unexpected failures 2. */
  static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new SottoMain());
    cmd.setParameterExceptionHandler(
        (ex, args) -> {
          CommandLine c = ex.getCommandLine();
          c.getErr().println("sotto: " + ex.getMessage());
          c.getErr().println("Run 'sotto --help' for usage.");
          return EXIT_USER_ERROR;
        });
    cmd.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
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
