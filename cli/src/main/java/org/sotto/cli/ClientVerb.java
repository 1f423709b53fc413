package org.sotto.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
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

  @CommandLine.ParentCommand SottoMain main;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public final Integer call() throws CommandException, InterruptedException {
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
