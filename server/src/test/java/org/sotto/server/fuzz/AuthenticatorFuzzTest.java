package org.sotto.server.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.jetty.http.HttpFields;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.api.DeviceId;
import org.sotto.server.auth.Authenticator;
import org.sotto.server.auth.Caller;
import org.sotto.server.http.ApiException;
import org.sotto.server.http.Route;

/**
 * Credential parsing on any header value (bytes as ISO-8859-1, as HTTP carries them): {@link
 * Authenticator#device} answers without throwing and names a device only for that device's exact
 * secret; {@link Authenticator#authenticate(HttpFields, Route.Access)} yields the device, a 16-byte
 * access key, or a bare 401.
 */
class AuthenticatorFuzzTest {
  @FuzzTest
  void device_anyAuthorizationHeader_onlyTheRightSecretAuthenticates(byte[] input) {
    String header = new String(input, StandardCharsets.ISO_8859_1);
    Optional<Address> device = AuthFixture.authenticator().device(header);
    if (device.isPresent()) {
      assertEquals(AuthFixture.ADDRESS, device.get());
      String decoded =
          new String(
              Base64.getDecoder().decode(header.substring("Basic ".length()).strip()),
              StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      String user = decoded.substring(0, colon);
      int dot = user.lastIndexOf('.');
      assertEquals(AuthFixture.ADDRESS.account(), AccountId.parse(user.substring(0, dot)));
      assertEquals(AuthFixture.ADDRESS.device(), DeviceId.parse(user.substring(dot + 1)));
      assertEquals(AuthFixture.SECRET, decoded.substring(colon + 1));
    }
  }

  @FuzzTest
  void authenticate_anyHeaderValue_yieldsDeviceKeyOr401(byte[] input) {
    String value = new String(input, StandardCharsets.ISO_8859_1);
    for (String name : new String[] {"Authorization", Authenticator.UNIDENTIFIED_ACCESS_KEY}) {
      HttpFields headers = HttpFields.build().add(name, value);
      for (Route.Access access : Route.Access.values()) {
        Caller caller;
        try {
          caller = AuthFixture.authenticator().authenticate(headers, access);
        } catch (ApiException e) {
          assertEquals(401, e.status());
          assertEquals("unauthorized", e.code());
          assertTrue(access != Route.Access.PUBLIC);
          continue;
        }
        switch (caller) {
          case Caller.Anonymous a -> assertEquals(Route.Access.PUBLIC, access);
          case Caller.Device d -> assertEquals(AuthFixture.ADDRESS, d.address());
          case Caller.Unidentified u -> {
            assertEquals(Route.Access.DEVICE_OR_UNIDENTIFIED, access);
            assertEquals(16, u.accessKey().length);
          }
        }
      }
    }
  }
}
