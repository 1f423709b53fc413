package org.sotto.client.transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.OutgoingMessage;
import org.sotto.api.dto.RegisterResponse;
import org.sotto.api.dto.SendMessagesRequest;
import org.sotto.server.testing.TestDevice;

/** Registered devices speaking through {@link ServerApi}, for the integration tests. */
final class Fixtures {
  private Fixtures() {}

  /** A registered device: its keys (from the server's test kit), credentials and API. */
  record Device(TestDevice keys, DeviceCredentials credentials, ServerApi api) {
    AccountId account() {
      return credentials.address().account();
    }

    Address address() {
      return credentials.address();
    }
  }

  /** Registers a fresh account through {@code api} (solving any proof-of-work). */
  static Device register(ServerApi api, String handle) throws Exception {
    TestDevice d = TestDevice.generate();
    RegisterResponse r =
        api.register(handle, d.identity.identityKey().serialize(), d.secret, d.deviceKeys(), null);
    DeviceCredentials c =
        new DeviceCredentials(new Address(r.accountId(), new DeviceId(r.deviceId())), d.secret);
    return new Device(d, c, api.as(c));
  }

  /** Links a second device to {@code primary}'s account with a fresh provisioning code. */
  static Device link(Device primary) throws Exception {
    TestDevice d = TestDevice.generate(primary.keys().identity);
    String code = primary.api().provisioningCode().code();
    ServerApi anonymous = ServerApi.create(primary.api().server(), primary.api().httpClient());
    RegisterResponse r =
        anonymous.linkDevice(
            new LinkDeviceRequest(primary.account(), code, d.secret, d.deviceKeys()));
    DeviceCredentials c =
        new DeviceCredentials(new Address(r.accountId(), new DeviceId(r.deviceId())), d.secret);
    return new Device(d, c, anonymous.as(c));
  }

  /** A send of {@code text} (as stand-in ciphertext, type 1) to each of {@code devices}. */
  static SendMessagesRequest textTo(String text, Device... devices) {
    return new SendMessagesRequest(
        java.util.Arrays.stream(devices)
            .map(
                d ->
                    new OutgoingMessage(
                        1,
                        d.address().device().value(),
                        d.keys().registrationId,
                        text.getBytes(StandardCharsets.UTF_8)))
            .toList(),
        System.currentTimeMillis());
  }

  /** One message to one device id with a given registration id. */
  static OutgoingMessage message(int type, int deviceId, int registrationId, String text) {
    return new OutgoingMessage(
        type, deviceId, registrationId, text.getBytes(StandardCharsets.UTF_8));
  }

  /** A request of {@code messages}. */
  static SendMessagesRequest request(OutgoingMessage... messages) {
    return new SendMessagesRequest(List.of(messages), System.currentTimeMillis());
  }
}
