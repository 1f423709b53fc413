package org.sotto.cli.account;

import org.sotto.client.DeviceException;
import org.sotto.client.LinkException;
import org.sotto.client.SottoException;
import org.sotto.client.UnknownRecipientException;
import org.sotto.client.UntrustedIdentityException;
import org.sotto.client.storage.StorageException;
import org.sotto.client.storage.WrongPassphraseException;
import org.sotto.client.transport.HttpStatusException;
import org.sotto.client.transport.ServerUnreachableException;
import org.sotto.client.transport.TransportException;

/**
 * The one place where SDK failures become {@link CommandException}s (and so exit codes). Messages
 * are built from the SDK's messages, which carry no keys, secrets or message text. Stateless.
 */
public final class Failures {
  /** HTTP 409: the handle is taken at registration. */
  private static final int HTTP_CONFLICT = 409;

  private Failures() {}

  /** Maps an SDK failure to the command failure the user sees. */
  public static CommandException map(SottoException e) {
    return switch (e) {
      case UntrustedIdentityException u ->
          new CommandException.Untrusted(
              "the identity of "
                  + u.recipient()
                  + " has changed; compare the safety number, then run 'sotto trust'",
              e);
      case UnknownRecipientException u ->
          new CommandException.UserError("unknown recipient: " + u.recipient(), e);
      case LinkException l -> mapLink(l);
      case DeviceException d -> new CommandException.UserError(d.getMessage(), e);
      default -> mapCause(e);
    };
  }

  /** A link URI or a link attempt the user can correct is exit 1; the rest is the server's (3). */
  private static CommandException mapLink(LinkException e) {
    return switch (e.kind()) {
      case INVALID_LINK_URI, NO_DEVICE_WAITING, TIMED_OUT, TOO_MANY_DEVICES ->
          new CommandException.UserError(e.getMessage(), e);
      case CONNECTION_CLOSED, INVALID_MESSAGE, CODE_REJECTED -> mapCause(e);
    };
  }

  private static CommandException mapCause(SottoException e) {
    Throwable cause = e.getCause();
    return switch (cause) {
      case ServerUnreachableException s -> new CommandException.ServerOrIoError(s.getMessage(), e);
      case HttpStatusException h when h.status() == HTTP_CONFLICT ->
          new CommandException.UserError(h.getMessage(), e);
      case TransportException t -> new CommandException.ServerOrIoError(t.getMessage(), e);
      case WrongPassphraseException w ->
          new CommandException.UserError(
              "wrong passphrase (set it in " + Accounts.PASSPHRASE_ENV + ")", e);
      case StorageException s ->
          new CommandException.ServerOrIoError("local store: " + s.getMessage(), e);
      case null, default -> new CommandException.ServerOrIoError(e.getMessage(), e);
    };
  }
}
