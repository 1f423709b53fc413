package org.sotto.protocol.sealed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.protobuf.ByteString;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.sotto.protocol.InvalidCertificateException;
import org.sotto.protocol.ecc.ECKeyPair;
import org.sotto.protocol.internal.proto.SealedProtos;

class ServerCertificateTest {
  private final SecureRandom rng = new SecureRandom();
  private final ECKeyPair root = ECKeyPair.generate(rng);
  private final ECKeyPair server = ECKeyPair.generate(rng);

  @Test
  void create_thenFromBytes_roundTripsAndValidates() throws Exception {
    ServerCertificate cert =
        ServerCertificate.create(0xFFFF_FFFE, server.publicKey(), root.privateKey(), rng);
    ServerCertificate parsed = ServerCertificate.fromBytes(cert.serialize());
    assertEquals(cert, parsed);
    assertArrayEquals(cert.serialize(), parsed.serialize());
    assertEquals(0xFFFF_FFFE, parsed.keyId());
    assertEquals(server.publicKey(), parsed.key());
    parsed.validate(root.publicKey());
  }

  @Test
  void validate_otherRoot_throwsInvalidCertificate() {
    ServerCertificate cert =
        ServerCertificate.create(1, server.publicKey(), root.privateKey(), rng);
    assertThrows(
        InvalidCertificateException.class,
        () -> cert.validate(ECKeyPair.generate(rng).publicKey()));
  }

  @Test
  void validate_revokedKeyId_throwsInvalidCertificateEvenWhenWellSigned() {
    ServerCertificate cert =
        ServerCertificate.create(0xDEADC357, server.publicKey(), root.privateKey(), rng);
    assertThrows(InvalidCertificateException.class, () -> cert.validate(root.publicKey()));
  }

  @Test
  void fromBytes_keyIdZero_isAccepted() throws Exception {
    ServerCertificate cert =
        ServerCertificate.create(0, server.publicKey(), root.privateKey(), rng);
    ServerCertificate.fromBytes(cert.serialize()).validate(root.publicKey());
  }

  @Test
  void fromBytes_incompleteOrMalformed_throwsInvalidCertificate() {
    byte[] key = server.publicKey().serialize();
    byte[][] bad = {
      new byte[0],
      {0x0a, 0x00, 0x12, 0x00},
      outer(
          SealedProtos.ServerCertificate.Certificate.newBuilder().setKey(ByteString.copyFrom(key))),
      outer(SealedProtos.ServerCertificate.Certificate.newBuilder().setId(1)),
      outer(
          SealedProtos.ServerCertificate.Certificate.newBuilder()
              .setId(1)
              .setKey(ByteString.copyFrom(key, 0, 32))),
      SealedProtos.ServerCertificate.newBuilder()
          .setCertificate(ByteString.copyFromUtf8("x"))
          .build()
          .toByteArray(),
      {(byte) 0xFF},
    };
    for (byte[] b : bad) {
      assertThrows(InvalidCertificateException.class, () -> ServerCertificate.fromBytes(b));
    }
  }

  private static byte[] outer(SealedProtos.ServerCertificate.Certificate.Builder inner) {
    return SealedProtos.ServerCertificate.newBuilder()
        .setCertificate(inner.build().toByteString())
        .setSignature(ByteString.copyFrom(new byte[64]))
        .build()
        .toByteArray();
  }
}
