package org.sotto.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Duration;
import java.util.List;
import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.ReceiveError;
import org.sotto.client.ReceivedAttachment;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sotto receive [--timeout SECONDS]}: prints the messages waiting on the server, one per
 * line with an indented line per saved attachment path (one JSON object per line with {@code -o
 * json}, attachments inside), and errors on standard error. Receipts are applied silently.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "receive",
    description = "Print incoming messages until the queue is empty.")
final class ReceiveCommand extends ClientVerb {
  /** How long to wait for the server's stored queue by default (as signal-cli does). */
  static final long DEFAULT_TIMEOUT_SECONDS = 5;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Stop after this many seconds (default: ${DEFAULT-VALUE}).",
      defaultValue = "" + DEFAULT_TIMEOUT_SECONDS)
  long timeoutSeconds;

  /**
   * One received message as JSON. {@code from} is the sender's handle when known, else the account
   * id (the SDK does not yet expose its contacts, so for now it is always the account id).
   */
  @JsonPropertyOrder({"id", "from", "fromUuid", "device", "timestamp", "text", "attachments"})
  record JsonMessage(
      String id,
      String from,
      String fromUuid,
      int device,
      long timestamp,
      String text,
      List<JsonAttachment> attachments) {
    static JsonMessage from(IncomingMessage m) {
      String uuid = m.sender().toString();
      return new JsonMessage(
          m.guid().toString(),
          uuid,
          uuid,
          m.senderDevice(),
          m.sentAt().toEpochMilli(),
          m.text(),
          m.attachments().stream().map(JsonAttachment::from).toList());
    }
  }

  /**
   * One attachment as JSON: {@code path} is where it was saved, or null when it could not be; then
   * {@code failure} says why ({@code INVALID}, {@code DOWNLOAD_FAILED}, ...).
   */
  @JsonPropertyOrder({"fileName", "size", "path", "failure"})
  record JsonAttachment(
      String fileName,
      long size,
      String path,
      @JsonInclude(JsonInclude.Include.NON_NULL) String failure) {
    static JsonAttachment from(ReceivedAttachment a) {
      return new JsonAttachment(
          a.fileName(),
          a.size(),
          a.saved() ? a.path().toString() : null,
          a.saved() ? null : a.failure().name());
    }
  }

  /** The plain form of a message: one line, then one indented line per attachment. */
  static String plain(IncomingMessage m) {
    StringBuilder b =
        new StringBuilder(m.sentAt() + " " + m.sender() + "." + m.senderDevice() + ": " + m.text());
    for (ReceivedAttachment a : m.attachments()) {
      b.append(System.lineSeparator());
      if (a.saved()) {
        b.append("  attachment: ").append(a.path());
      } else {
        b.append("  attachment not saved (").append(a.failure()).append("): ").append(a.fileName());
      }
    }
    return b.toString();
  }

  @Override
  void execute() throws CommandException, InterruptedException {
    if (timeoutSeconds <= 0) {
      throw new CommandException.UserError("--timeout must be a positive number of seconds");
    }
    MessageListener errors =
        new MessageListener() {
          @Override
          public void onMessage(IncomingMessage message) {}

          @Override
          public void onError(ReceiveError error) {
            spec.commandLine()
                .getErr()
                .println(
                    "sotto: could not read a message from " + error.source() + ": " + error.kind());
          }
        };
    try (SottoClient client = accounts().open(accountOrNull())) {
      List<IncomingMessage> messages =
          client.receiveUntilQueueEmpty(Duration.ofSeconds(timeoutSeconds), errors);
      for (IncomingMessage m : messages) {
        print(plain(m), JsonMessage.from(m));
      }
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }
}
