package org.sotto.protocol.sealed;

import java.util.HexFormat;
import java.util.Map;
import org.sotto.protocol.InvalidCertificateException;

/**
 * The server certificates that a sender certificate may name by key id (field {@code signer_id})
 * instead of embedding them, as libsignal ≥ 0.80.1 allows to save space. The list is libsignal
 * 0.90's: Signal's staging (id 2) and production (id 3) server certificates, and a test certificate
 * (id {@code 0x7357C357}) whose trust root is the public key of the all-zero private key and whose
 * server key is that of the all-{@code 0xFF} private key, which no real service uses. These are
 * public certificates; naming one still requires the caller's trust root to have signed it.
 * Immutable and thread-safe.
 */
final class KnownServerCertificates {
  /** Key id of the test certificate (see the class comment). */
  static final int TEST_KEY_ID = 0x7357C357;

  private static final Map<Integer, ServerCertificate> BY_ID =
      Map.of(
          2,
          parse(
              "0a25080212210539450d63ebd0752c0fd4038b9d07a916f5e174b756d409b5ca79f4c97400631e1240"
                  + "64c5a38b1e927497d3d4786b101a623ab34a7da3954fae126b04dba9d7a3604ed88cdc8550950f"
                  + "0d4a9134ceb7e19b94139151d2c3d6e1c81e9d1128aafca806"),
          3,
          parse(
              "0a250803122105bc9d1d290be964810dfa7e94856480a3f7060d004c9762c24c575a1522353a5a1240"
                  + "c11ec3c401eb0107ab38f8600e8720a63169e0e2eb8a3fae24f63099f85ea319c3c1c46d345470"
                  + "6ae2a679d1fee690a488adda98a2290b66c906bb60295ed781"),
          TEST_KEY_ID,
          parse(
              "0a2908d786df9a07122105847c0d2c375234f365e660955187a3735a0f7613d1609d3a6a4d8c53aeaa"
                  + "5a221240e0b9ebacdfc3aa2827f7924b697784d1c25e44ca05dd433e1a38dc6382eb2730d419ca"
                  + "9a250b1be9d5a9463e61efd6781777a91b83c97b844d014206e2829785"));

  private KnownServerCertificates() {}

  /** The known certificate with this key id, or null. */
  static ServerCertificate byId(int keyId) {
    return BY_ID.get(keyId);
  }

  private static ServerCertificate parse(String hex) {
    try {
      return ServerCertificate.fromBytes(HexFormat.of().parseHex(hex));
    } catch (InvalidCertificateException e) {
      throw new AssertionError("built-in server certificate does not parse", e);
    }
  }
}
