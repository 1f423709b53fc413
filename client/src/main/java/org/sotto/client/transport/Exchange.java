package org.sotto.client.transport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One server, one connection pool and optional device credentials: builds requests, sends them and
 * turns non-2xx answers into {@link HttpStatusException}s. Immutable and thread-safe.
 */
final class Exchange {
  final URI base;
  final HttpClient http;
  private final DeviceCredentials credentials;

  Exchange(URI base, HttpClient http, DeviceCredentials credentials) {
    this.base = base;
    this.http = http;
    this.credentials = credentials;
  }

  /** Whether requests carry credentials. */
  DeviceCredentials credentials() {
    return credentials;
  }

  /** A 2xx JSON body, read as a DTO on demand. */
  record Body(String operation, byte[] bytes) {
    <T> T as(Class<T> type) throws ProtocolViolationException {
      return Http.read(operation, bytes, type);
    }
  }

  Body json(String operation, String method, String path, Object body, boolean auth)
      throws TransportException, InterruptedException {
    HttpRequest.Builder b = request(method, path, ServerApi.REQUEST_TIMEOUT, auth);
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofByteArray(Http.write(body)));
    }
    HttpResponse<byte[]> r = send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() / 100 != 2) {
      throw Http.status(operation, r, r.body());
    }
    return new Body(operation, r.body());
  }

  HttpRequest.Builder request(String method, String path, Duration timeout, boolean auth) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(Http.resolve(base, path))
            .timeout(timeout)
            .header("Accept", "application/json");
    if (auth) {
      if (credentials == null) {
        throw new IllegalStateException(
            method + " needs device credentials: use ServerApi.as(credentials)");
      }
      b.header("Authorization", credentials.authorization());
    }
    return b;
  }

  <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler)
      throws ServerUnreachableException, InterruptedException {
    return Http.send(http, base, request, handler);
  }
}
