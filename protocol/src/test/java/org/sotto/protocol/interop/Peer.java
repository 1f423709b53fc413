package org.sotto.protocol.interop;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.sotto.protocol.DuplicateMessageException;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;
import org.sotto.protocol.NoSessionException;
import org.sotto.protocol.ProtocolException;
import org.sotto.protocol.UntrustedIdentityException;

/**
 * The Sotto interop peer: reads one JSON request per line on stdin and writes exactly one JSON
 * reply per line on stdout, in order (protocol: {@code shared/spec/interop-peer.md}). Diagnostics
 * go to stderr only. Bad input never stops the peer: any failure becomes an error reply. Not
 * thread-safe; one request at a time.
 *
 * <p>Run it with {@code interop/sotto-peer} or {@code java -cp <protocol test classpath>
 * org.sotto.protocol.interop.Peer}.
 */
public final class Peer {
  /** The version this peer reports; the protocol module's version. */
  static final String VERSION = "0.1.0-SNAPSHOT";

  /** Ops of the peer protocol that Sotto does not implement yet: they reply {@code unsupported}. */
  private static final List<String> NOT_YET = List.of();

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @FunctionalInterface
  private interface Op {
    ObjectNode apply(Request req) throws PeerError, ProtocolException;
  }

  private final Map<String, Op> ops = new HashMap<>();
  private final PrintStream diagnostics;

  /**
   * A peer drawing randomness from {@code rng} and time from {@code clock}, logging to {@code
   * diagnostics}.
   */
  Peer(SecureRandom rng, Clock clock, PrintStream diagnostics) {
    this.diagnostics = diagnostics;
    SessionOps sessions = new SessionOps(rng, clock);
    CryptoOps crypto = new CryptoOps(rng);
    ops.put(
        "version",
        req -> MAPPER.createObjectNode().put("implementation", "sotto").put("version", VERSION));
    ops.put("create_identity", sessions::createIdentity);
    ops.put("generate_bundle", sessions::generateBundle);
    ops.put("process_bundle", sessions::processBundle);
    ops.put("encrypt", sessions::encrypt);
    ops.put("decrypt", sessions::decrypt);
    ops.put("session_info", sessions::sessionInfo);
    ops.put("trust", sessions::trust);
    GroupOps groups = new GroupOps(rng, sessions::identity);
    ops.put("skdm_create", groups::skdmCreate);
    ops.put("skdm_rotate", groups::skdmRotate);
    ops.put("skdm_process", groups::skdmProcess);
    ops.put("group_encrypt", groups::groupEncrypt);
    ops.put("group_decrypt", groups::groupDecrypt);
    ops.put("fingerprint", new FingerprintOps(sessions::identity)::fingerprint);
    SealedOps sealed = new SealedOps(rng, clock, sessions::identity);
    ops.put("sealed_make_cert", sealed::makeCert);
    ops.put("sealed_encrypt", sealed::encrypt);
    ops.put("sealed_decrypt", sealed::decrypt);
    ops.put("keypair", crypto::keypair);
    ops.put("xeddsa_sign", crypto::xeddsaSign);
    ops.put("xeddsa_verify", crypto::xeddsaVerify);
    ops.put("agree", crypto::agree);
    ops.put("hkdf", crypto::hkdf);
    ops.put("kem_keypair", crypto::kemKeypair);
    ops.put("kem_encapsulate", crypto::kemEncapsulate);
    ops.put("kem_decapsulate", crypto::kemDecapsulate);
    ops.put("quit", req -> MAPPER.createObjectNode());
  }

  public static void main(String[] args) throws IOException {
    // Keep stdout for replies only: anything else printing to System.out lands on stderr.
    PrintStream stderr = System.err;
    Writer out =
        new BufferedWriter(
            new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8));
    System.setOut(stderr);
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    new Peer(new SecureRandom(), Clock.systemUTC(), stderr).run(in, out);
  }

  /** Serves requests from {@code in} until {@code quit} or end of input. */
  void run(BufferedReader in, Writer out) throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode request = parse(line);
      ObjectNode reply = handle(request);
      out.write(MAPPER.writeValueAsString(reply));
      out.write('\n');
      out.flush();
      if (request != null && "quit".equals(request.path("op").asText(null))) {
        return;
      }
    }
  }

  /** The reply to one request line ({@code null} request: the line was not a JSON object). */
  ObjectNode handle(JsonNode request) {
    if (request == null) {
      return error(
          NullNode.instance, PeerError.INVALID_ARGUMENT, "bad request line: JSON object expected");
    }
    JsonNode id = request.has("id") ? request.get("id") : NullNode.instance;
    String op = request.path("op").asText("");
    try {
      Op handler = ops.get(op);
      if (handler == null) {
        throw PeerError.unsupported(
            NOT_YET.contains(op)
                ? op + ": not implemented by the Sotto peer yet"
                : "unknown op " + MAPPER.valueToTree(op));
      }
      ObjectNode reply = MAPPER.createObjectNode();
      reply.set("id", id);
      reply.put("ok", true);
      reply.setAll(handler.apply(Request.of(request)));
      return reply;
    } catch (PeerError e) {
      return error(id, e.kind(), e.getMessage());
    } catch (ProtocolException e) {
      return error(id, kindOf(e), e.getMessage());
    } catch (RuntimeException | AssertionError e) {
      // Bad input must never stop the peer; an unchecked failure is reported and logged with its
      // trace.
      diagnostics.println("[sotto-peer] " + op + ": unchecked failure on bad input?");
      e.printStackTrace(diagnostics);
      return error(id, PeerError.INVALID_ARGUMENT, e.toString());
    }
  }

  private static JsonNode parse(String line) {
    try {
      JsonNode node = MAPPER.readTree(line);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  static String kindOf(ProtocolException e) {
    if (e instanceof InvalidMessageException) {
      return "invalid_message";
    } else if (e instanceof DuplicateMessageException) {
      return "duplicate_message";
    } else if (e instanceof UntrustedIdentityException) {
      return "untrusted_identity";
    } else if (e instanceof NoSessionException) {
      return "no_session";
    } else if (e instanceof InvalidKeyException) {
      return "invalid_key";
    } else if (e instanceof InvalidCertificateException) {
      // As the libsignal peer: a received certificate that fails is a bad message.
      return "invalid_message";
    }
    return PeerError.INVALID_ARGUMENT;
  }

  private static ObjectNode error(JsonNode id, String kind, String message) {
    ObjectNode reply = MAPPER.createObjectNode();
    reply.set("id", id);
    reply.put("ok", false);
    reply.put("error", message == null ? kind : message);
    reply.put("kind", kind);
    return reply;
  }
}
