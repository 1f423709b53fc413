package org.sotto.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.sotto.cli.account.Accounts;
import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sotto link --server URL -n DEVICE_NAME}: links this machine as a new device of an existing
 * account. Prints the link URI alone on the first line, then its QR code, waits for an existing
 * device to run {@code addDevice}, then prints the account and the new device id. With {@code -o
 * json} the first line is still the bare URI (no QR code follows) and the result is one JSON line.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "link",
    description = {
      "Link this machine as a new device of an existing account: print the link URI (first line)"
          + " and its QR code, then wait until an existing device runs 'addDevice --uri URI'."
    })
final class LinkCommand extends ClientVerb {
  /**
   * How long to wait for an existing device by default: time to find the other device, unlock it
   * and scan or paste the URI, well inside the server's 10-minute provisioning window.
   */
  static final long DEFAULT_TIMEOUT_SECONDS = 300;

  /** Longest wait accepted: the server closes idle provisioning sockets after 10 minutes. */
  static final long MAX_TIMEOUT_SECONDS = 600;

  @Option(names = "--server", required = true, description = "The server's base URL.")
  String server;

  @Option(
      names = {"-n", "--name"},
      required = true,
      paramLabel = "DEVICE_NAME",
      description = "This device's name, shown by listDevices.")
  String deviceName;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "How long to wait for an existing device (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

  @Option(names = "--no-qr", description = "Print the link URI only, without its QR code.")
  boolean noQr;

  /** The JSON form of the result. */
  record Linked(String handle, String accountId, int deviceId) {}

  /** Carries a refusal of the store folder out of the SDK's callback. */
  private static final class FolderRefused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FolderRefused(CommandException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  @Override
  void execute() throws CommandException, InterruptedException {
    URI uri = RegisterCommand.parseServer(server);
    if (timeoutSeconds < 1 || timeoutSeconds > MAX_TIMEOUT_SECONDS) {
      throw new CommandException.UserError(
          "--timeout must be 1.." + MAX_TIMEOUT_SECONDS + " seconds");
    }
    Accounts accounts = accounts();
    AtomicReference<Path> made = new AtomicReference<>();
    PrintWriter out = out();
    try (SottoClient client =
        SottoClient.link(
            uri,
            deviceName,
            handle -> {
              try {
                Path dir = accounts.newAccountDir(handle);
                made.set(dir);
                return dir;
              } catch (CommandException e) {
                throw new FolderRefused(e);
              }
            },
            accounts.passphraseOrNull(),
            linkUri -> {
              out.println(linkUri);
              if (!noQr && !json()) {
                out.println(Qr.render(linkUri.toString()));
              }
              out.flush();
            },
            Duration.ofSeconds(timeoutSeconds))) {
      print(
          "linked account "
              + handleOf(made.get())
              + " ("
              + client.accountId()
              + ") as device "
              + client.deviceId(),
          new Linked(handleOf(made.get()), client.accountId().toString(), client.deviceId()));
    } catch (FolderRefused e) {
      throw (CommandException) e.getCause();
    } catch (SottoException e) {
      if (made.get() != null) {
        RegisterCommand.removeHalfMade(made.get());
      }
      throw Failures.map(e);
    } catch (IllegalArgumentException e) {
      // The SDK refused the device name before doing anything.
      throw new CommandException.UserError("-n DEVICE_NAME: " + e.getMessage(), e);
    }
  }

  private static String handleOf(Path dir) {
    return dir == null ? "?" : dir.getFileName().toString();
  }
}
