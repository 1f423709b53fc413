package org.sotto.cli.account;

/**
 * A failure of a client verb that the command line reports in one line and maps to its exit code
 * ({@link #exitCode()}). Messages never contain secrets or message text. Immutable.
 */
public abstract sealed class CommandException extends Exception
    permits CommandException.UserError,
        CommandException.ServerOrIoError,
        CommandException.Untrusted {
  private static final long serialVersionUID = 1L;

  /** Exit code for a user error (unknown recipient, bad arguments, unknown local account). */
  public static final int EXIT_USER_ERROR = 1;

  /** Exit code for a server or I/O failure (server down, local store unreadable). */
  public static final int EXIT_IO = 3;

  /** Exit code for a recipient whose identity changed and is not yet trusted. */
  public static final int EXIT_UNTRUSTED = 4;

  private CommandException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The process exit code for this failure. */
  public abstract int exitCode();

  /** The user asked for something that cannot be done: exit 1. */
  public static final class UserError extends CommandException {
    private static final long serialVersionUID = 1L;

    /** A user error with a one-line message. */
    public UserError(String message) {
      super(message, null);
    }

    /** A user error with a one-line message and its cause. */
    public UserError(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int exitCode() {
      return EXIT_USER_ERROR;
    }
  }

  /** The server or the local disk failed: exit 3. */
  public static final class ServerOrIoError extends CommandException {
    private static final long serialVersionUID = 1L;

    /** A server or I/O failure with a one-line message and its cause. */
    public ServerOrIoError(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int exitCode() {
      return EXIT_IO;
    }
  }

  /** The recipient's identity changed and must be trusted first: exit 4. */
  public static final class Untrusted extends CommandException {
    private static final long serialVersionUID = 1L;

    /** An untrusted identity with a one-line message and its cause. */
    public Untrusted(String message, Throwable cause) {
      super(message, cause);
    }

    @Override
    public int exitCode() {
      return EXIT_UNTRUSTED;
    }
  }
}
