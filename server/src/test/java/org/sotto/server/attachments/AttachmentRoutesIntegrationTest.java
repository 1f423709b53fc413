package org.sotto.server.attachments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.sotto.api.dto.AttachmentCreateRequest;
import org.sotto.api.dto.AttachmentCreated;
import org.sotto.server.testing.TestClient;
import org.sotto.server.testing.TestDevice;
import org.sotto.server.testing.TestServer;

class AttachmentRoutesIntegrationTest {
  static final long LIMIT = 8 * 1024 * 1024;
  static TestServer server;
  static TestClient client;
  static TestDevice alice;
  static TestDevice bob;

  @BeforeAll
  static void start() throws Exception {
    server = TestServer.start(c -> c.toBuilder().maxAttachmentBytes(LIMIT).build());
    client = server.client();
    alice = client.register(null);
    bob = client.register(null);
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
  }

  private static String create(long length) {
    var r = client.call("POST", "/v1/attachments", new AttachmentCreateRequest(length), alice);
    assertEquals(200, r.status(), r.text());
    AttachmentCreated created = r.as(AttachmentCreated.class);
    assertEquals(length, created.length());
    return created.id();
  }

  private static TestClient.Result patch(String id, long offset, byte[] body) {
    return client.raw(
        "PATCH",
        "/v1/attachments/" + id,
        body,
        Map.of(
            "Authorization",
            alice.basicAuth(),
            "Upload-Offset",
            Long.toString(offset),
            "Content-Type",
            "application/offset+octet-stream"));
  }

  private static TestClient.Result get(String id, String range, TestDevice as) {
    Map<String, String> h = new HashMap<>(Map.of("Authorization", as.basicAuth()));
    if (range != null) {
      h.put("Range", range);
    }
    return client.raw("GET", "/v1/attachments/" + id, null, h);
  }

  private static byte[] random(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void upload_twoChunks_thenAnyDeviceDownloadsSameBytes() {
    byte[] data = random(3 * 1024 * 1024 + 17);
    String id = create(data.length);
    assertTrue(AttachmentIds.valid(id));
    int half = data.length / 2;
    var first = patch(id, 0, Arrays.copyOfRange(data, 0, half));
    assertEquals(204, first.status(), first.text());
    assertEquals(Integer.toString(half), first.header("Upload-Offset"));
    var second = patch(id, half, Arrays.copyOfRange(data, half, data.length));
    assertEquals(204, second.status());
    assertEquals(Integer.toString(data.length), second.header("Upload-Offset"));
    var down = get(id, null, bob);
    assertEquals(200, down.status());
    assertEquals(Integer.toString(data.length), down.header("Content-Length"));
    assertArrayEquals(data, down.body());
  }

  @Test
  void create_beyondLimit_returns413() {
    var r = client.call("POST", "/v1/attachments", new AttachmentCreateRequest(LIMIT + 1), alice);
    assertEquals(413, r.status());
    assertEquals("too_large", r.json().get("code").asText());
  }

  @Test
  void create_withoutCredentials_returns401() {
    assertEquals(
        401, client.call("POST", "/v1/attachments", new AttachmentCreateRequest(5), null).status());
  }

  @Test
  void create_zeroLength_returns400() {
    var r = client.call("POST", "/v1/attachments", Map.of("length", 0), alice);
    assertEquals(400, r.status());
  }

  @Test
  void patch_wrongOffset_returns409WithReceivedOffset() {
    String id = create(10);
    assertEquals(204, patch(id, 0, new byte[4]).status());
    var r = patch(id, 2, new byte[4]);
    assertEquals(409, r.status());
    assertEquals("offset_mismatch", r.json().get("code").asText());
    assertEquals("4", r.header("Upload-Offset"));
  }

  @Test
  void patch_beyondDeclaredLength_returns413AndKeepsNothing() {
    String id = create(10);
    assertEquals(204, patch(id, 0, new byte[4]).status());
    var r = patch(id, 4, new byte[7]);
    assertEquals(413, r.status());
    var head = client.raw("HEAD", "/v1/attachments/" + id, null, auth());
    assertEquals("4", head.header("Upload-Offset"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "abc", "1.0", "+3", "99999999999999999999"})
  void patch_badOffsetHeader_returns400(String offset) {
    String id = create(10);
    var r =
        client.raw(
            "PATCH",
            "/v1/attachments/" + id,
            new byte[1],
            Map.of("Authorization", alice.basicAuth(), "Upload-Offset", offset));
    assertEquals(400, r.status());
  }

  @Test
  void patch_noOffsetHeader_returns400() {
    String id = create(10);
    var r = client.raw("PATCH", "/v1/attachments/" + id, new byte[1], auth());
    assertEquals(400, r.status());
    assertEquals("missing_header", r.json().get("code").asText());
  }

  @Test
  void head_partialUpload_reportsOffsetAndLength() {
    String id = create(100);
    patch(id, 0, new byte[40]);
    var r = client.raw("HEAD", "/v1/attachments/" + id, null, auth());
    assertEquals(200, r.status());
    assertEquals("40", r.header("Upload-Offset"));
    assertEquals("100", r.header("Upload-Length"));
  }

  @Test
  void head_afterCrashLeftPartialChunk_cutsBackToCommittedSize() throws Exception {
    String id = create(100);
    patch(id, 0, new byte[40]);
    Path file = server.dataDir().resolve("attachments").resolve(id);
    Files.write(file, new byte[13], java.nio.file.StandardOpenOption.APPEND);
    var r = client.raw("HEAD", "/v1/attachments/" + id, null, auth());
    assertEquals("40", r.header("Upload-Offset"));
    assertEquals(40, Files.size(file));
    assertEquals(204, patch(id, 40, new byte[60]).status());
    assertEquals(200, get(id, null, bob).status());
  }

  @Test
  void get_incomplete_returns409() {
    String id = create(10);
    patch(id, 0, new byte[3]);
    var r = get(id, null, bob);
    assertEquals(409, r.status());
    assertEquals("3", r.header("Upload-Offset"));
  }

  @Test
  void get_ranges_return206WithContentRange() {
    byte[] data = random(1000);
    String id = create(data.length);
    patch(id, 0, data);
    var closed = get(id, "bytes=10-19", bob);
    assertEquals(206, closed.status());
    assertEquals("bytes 10-19/1000", closed.header("Content-Range"));
    assertArrayEquals(Arrays.copyOfRange(data, 10, 20), closed.body());
    var open = get(id, "bytes=990-", bob);
    assertEquals(206, open.status());
    assertArrayEquals(Arrays.copyOfRange(data, 990, 1000), open.body());
    var suffix = get(id, "bytes=-5", bob);
    assertEquals("bytes 995-999/1000", suffix.header("Content-Range"));
    assertArrayEquals(Arrays.copyOfRange(data, 995, 1000), suffix.body());
  }

  @Test
  void get_unsatisfiableRange_returns416() {
    String id = create(10);
    patch(id, 0, new byte[10]);
    var r = get(id, "bytes=10-", bob);
    assertEquals(416, r.status());
    assertEquals("bytes */10", r.header("Content-Range"));
    assertEquals("range_not_satisfiable", r.json().get("code").asText());
  }

  @Test
  void get_withoutCredentials_returns401() {
    String id = create(1);
    patch(id, 0, new byte[1]);
    assertEquals(401, client.raw("GET", "/v1/attachments/" + id, null, Map.of()).status());
  }

  @Test
  void get_unknownId_returns404() {
    String id = AttachmentIds.random(new java.security.SecureRandom());
    assertEquals(404, get(id, null, bob).status());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        "%2E%2E",
        "..%2Fsotto.db",
        "%2E%2E%2F%2E%2E%2Fsotto.db",
        "abc",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA..",
        "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA%00",
        "sotto.db"
      })
  void anyMethod_pathTricksInId_4xxAndNothingChanges(String id) throws Exception {
    long dbSize = Files.size(server.dataDir().resolve("sotto.db"));
    for (String method : new String[] {"GET", "HEAD", "PATCH"}) {
      Map<String, String> h = new HashMap<>(auth());
      h.put("Upload-Offset", "0");
      TestClient.Result r;
      try {
        r =
            client.raw(
                method, "/v1/attachments/" + id, method.equals("PATCH") ? new byte[3] : null, h);
      } catch (java.io.UncheckedIOException e) {
        // Jetty refuses a NUL in the path while parsing the request line, answers 400 and closes;
        // with a request body still unread the close can reset the connection before the client
        // reads that 400. Nothing reached a handler either way (checked below).
        assertTrue(id.contains("%00"), method + " " + id + ": " + e);
        continue;
      }
      assertTrue(r.status() >= 400 && r.status() < 500, method + " " + id + " -> " + r.status());
    }
    assertEquals(dbSize, Files.size(server.dataDir().resolve("sotto.db")));
    assertNotEquals(0, dbSize);
  }

  private static Map<String, String> auth() {
    return Map.of("Authorization", alice.basicAuth());
  }
}
