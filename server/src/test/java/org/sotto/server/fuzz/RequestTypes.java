package org.sotto.server.fuzz;

import java.util.List;
import org.sotto.api.dto.AttachmentCreateRequest;
import org.sotto.api.dto.HandleRequest;
import org.sotto.api.dto.KeyUploadRequest;
import org.sotto.api.dto.LinkDeviceRequest;
import org.sotto.api.dto.ProfileRequest;
import org.sotto.api.dto.ProvisioningMessageRequest;
import org.sotto.api.dto.RegisterRequest;
import org.sotto.api.dto.SendMessagesRequest;

/**
 * The JSON request body types the server parses, fuzzed by {@link JsonRequestFuzzTest}. {@link
 * RequestTypesTest} fails when a route reads a type missing here, so routes added later get fuzzed.
 */
final class RequestTypes {
  static final List<Class<?>> ALL =
      List.of(
          RegisterRequest.class,
          HandleRequest.class,
          KeyUploadRequest.class,
          LinkDeviceRequest.class,
          ProfileRequest.class,
          SendMessagesRequest.class,
          AttachmentCreateRequest.class,
          ProvisioningMessageRequest.class);

  private RequestTypes() {}
}
