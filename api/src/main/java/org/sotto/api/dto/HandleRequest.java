package org.sotto.api.dto;

import org.sotto.api.ApiChecks;

/** Sets the caller's public handle. Immutable; validated on construction. */
public record HandleRequest(String handle) {
  /** Validates every field; {@link IllegalArgumentException} names the field that is wrong. */
  public HandleRequest {
    ApiChecks.required(handle, "handle");
    handle = ApiChecks.handle(handle, "handle");
  }
}
