package org.sotto.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Consumer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.sotto.api.AccountId;
import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.ReceiveError;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code sotto chat RECIPIENT}: a conversation. On a terminal, a line editor (JLine): each line
 * typed is sent, and messages of this conversation are printed above the prompt as they arrive;
 * {@code /quit} or Ctrl-D ends it. Otherwise (standard input is a pipe or a file) each input line
 * is sent, incoming messages are printed, and at the end of input it waits {@link #DRAIN} for
 * replies, then exits: scriptable.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "chat",
    description = "Talk with RECIPIENT: each line is sent, incoming messages are shown.")
final class ChatCommand extends ClientVerb {
  /**
   * How long a non-interactive chat keeps receiving after its input ended, so that replies to the
   * last lines (and messages already on their way) are still printed.
   */
  static final Duration DRAIN = Duration.ofSeconds(3);

  /** The line that ends a chat. */
  static final String QUIT = "/quit";

  @Parameters(paramLabel = "RECIPIENT", description = "A handle or an account UUID.")
  String recipient;

  @Override
  void execute() throws CommandException, InterruptedException {
    try (SottoClient client = accounts().open(accountOrNull())) {
      AccountId peer = client.resolve(recipient);
      if (interactive()) {
        interactive(client, peer);
      } else {
        piped(client, peer);
      }
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }

  private void piped(SottoClient client, AccountId peer)
      throws SottoException, InterruptedException, CommandException {
    PrintWriter out = out();
    PrintWriter err = spec.commandLine().getErr();
    client.startReceiving(
        listener(client, peer, line -> printLine(out, line), line -> printLine(err, line)));
    try {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null) {
        if (line.strip().equals(QUIT)) {
          break;
        }
        if (!line.isBlank()) {
          client.send(recipient, line);
        }
      }
      Thread.sleep(DRAIN.toMillis());
    } catch (IOException e) {
      throw new CommandException.ServerOrIoError(
          "cannot read standard input: " + e.getMessage(), e);
    } finally {
      client.stopReceiving();
    }
  }

  private void interactive(SottoClient client, AccountId peer)
      throws CommandException, InterruptedException {
    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
      LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
      client.startReceiving(listener(client, peer, reader::printAbove, reader::printAbove));
      try {
        reader.printAbove("Chat with " + recipient + "; " + QUIT + " or Ctrl-D to leave.");
        while (true) {
          String line;
          try {
            line = reader.readLine(recipient + "> ");
          } catch (UserInterruptException | EndOfFileException e) {
            return;
          }
          if (line.strip().equals(QUIT)) {
            return;
          }
          if (line.isBlank()) {
            continue;
          }
          try {
            client.send(recipient, line);
          } catch (SottoException e) {
            reader.printAbove("sotto: " + Failures.map(e).getMessage());
          }
        }
      } finally {
        client.stopReceiving();
      }
    } catch (IOException e) {
      throw new CommandException.ServerOrIoError("cannot open the terminal: " + e.getMessage(), e);
    }
  }

  /**
   * Shows the messages of the conversation with {@code peer} (plain or JSON) through {@code show},
   * and receive errors through {@code showError}.
   */
  private MessageListener listener(
      SottoClient client, AccountId peer, Consumer<String> show, Consumer<String> showError) {
    MessageJson.Names names = new MessageJson.Names(client);
    return new MessageListener() {
      @Override
      public void onMessage(IncomingMessage m) {
        if (!m.conversation().equals(peer)) {
          return; // Another conversation: left for receive or another chat.
        }
        MessageJson j = MessageJson.of(m, names);
        show.accept(json() ? j.line() : j.plain());
      }

      @Override
      public void onError(ReceiveError error) {
        showError.accept(
            "sotto: could not read a message from " + error.source() + ": " + error.kind());
      }
    };
  }

  private static void printLine(PrintWriter out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  /** Whether standard input and output are a terminal. */
  static boolean interactive() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      // Since Java 22 a console exists even when redirected; isTerminal() tells the difference.
      Method isTerminal = java.io.Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // Java 21: a console is there only for a terminal.
    }
  }
}
