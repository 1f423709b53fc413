package org.sotto.cli;

import org.sotto.cli.account.CommandException;
import org.sotto.cli.account.Failures;
import org.sotto.client.SottoClient;
import org.sotto.client.SottoException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sotto removeDevice -d ID}: removes another device from this account. */
@Command(
    mixinStandardHelpOptions = true,
    name = "removeDevice",
    description = "Remove device ID from this account (not this device, not device 1).")
final class RemoveDeviceCommand extends ClientVerb {
  @Option(
      names = {"-d", "--device-id"},
      required = true,
      paramLabel = "ID",
      description = "The device id, as listDevices prints it.")
  int deviceId;

  /** The JSON form of the result. */
  record Removed(int deviceId) {}

  @Override
  void execute() throws CommandException, InterruptedException {
    try (SottoClient client = accounts().open(accountOrNull())) {
      client.removeDevice(deviceId);
      print("removed device " + deviceId, new Removed(deviceId));
    } catch (SottoException e) {
      throw Failures.map(e);
    }
  }
}
