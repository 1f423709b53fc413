package org.sotto.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.sotto.cli.account.Accounts;
import org.sotto.cli.account.CommandException;
import picocli.CommandLine;

/**
 * The base of the client verbs ({@code register}, {@code send}, …): gives access to the global
 * options and writes results in the chosen output form. A failure is thrown as a {@link
 * CommandException}; {@link SottoMain} turns it into one line and its exit code. Not thread-safe
 * (one instance per run).
 */
abstract class ClientVerb implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The SDK's logger, held so that its level stays set. A verb reports a failure in one line on
   * standard error ({@link SottoMain}); the SDK's progress notes (such as "disconnected, retrying"
   * while the server is down) would bury that line, so only its warnings and errors are shown.
   */
  private static final Logger SDK_LOG = Logger.getLogger("org.sotto.client");

  @CommandLine.ParentCommand SottoMain main;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public final Integer call() throws CommandException, InterruptedException {
    SDK_LOG.setLevel(Level.WARNING);
    execute();
    out().flush();
    return 0;
  }

  /** Does the verb's work. */
  abstract void execute() throws CommandException, InterruptedException;

  /** The local accounts in the config folder chosen by {@code --config}. */
  final Accounts accounts() {
    return main.accounts();
  }

  /** The local account chosen by {@code -a}, or null. */
  final String accountOrNull() {
    return main.account;
  }

  /** Whether {@code -o json} was given. */
  final boolean json() {
    return main.output == SottoMain.OutputFormat.json;
  }

  final PrintWriter out() {
    return spec.commandLine().getOut();
  }

  /** Prints {@code plain} as a line, or {@code jsonValue} as one JSON line with {@code -o json}. */
  final void print(String plain, Object jsonValue) {
    if (json()) {
      try {
        out().println(JSON.writeValueAsString(jsonValue));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write JSON output", e);
      }
    } else {
      out().println(plain);
    }
  }
}
