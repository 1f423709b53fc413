package org.sotto.cli;

import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.LinkedDevice;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;

/**
 * {@code sotto listDevices}: one line per device of this account: id, name ({@code -} when unknown)
 * and a marker on this device; with {@code -o json} one object per line.
 */
@Command(
    mixinStandardHelpOptions = true,
    name = "listDevices",
    description = "List the devices of this account (id, name, and which one this is).")
final class ListDevicesCommand extends ClientVerb {
  /** The JSON form of one device. */
  record Device(int id, String name, boolean thisDevice) {}

  @Override
  void execute() throws CommandException, InterruptedException {
    try (SottoClient client = accounts().open(accountOrNull())) {
      for (LinkedDevice d : client.devices()) {
        print(
            d.id()
                + "\t"
                + (d.name() == null ? "-" : d.name())
                + (d.thisDevice() ? "\t(this device)" : ""),
            new Device(d.id(), d.name(), d.thisDevice()));
      }
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }
}
