package org.sotto.server.certs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sotto.server.files.PrivateFiles;

class ServerKeysTest {
  @TempDir Path dir;
  final SecureRandom random = new SecureRandom();

  private Path keys(String name) {
    return dir.resolve(ServerKeys.DIRECTORY).resolve(name);
  }

  @Test
  void loadOrCreate_firstStart_writesOwnerOnlyKeysCertifiedByTrustRoot() throws Exception {
    ServerKeys k = ServerKeys.loadOrCreate(dir, random);
    k.certificate().validate(k.trustRoot());
    assertEquals(ServerKeys.SERVER_KEY_ID, k.certificate().keyId());
    for (String f :
        new String[] {
          ServerKeys.TRUST_ROOT_FILE, ServerKeys.SERVER_KEY_FILE, ServerKeys.SERVER_CERTIFICATE_FILE
        }) {
      assertTrue(Files.exists(keys(f)), f);
      if (PrivateFiles.posix(dir)) {
        assertEquals(PrivateFiles.FILE, Files.getPosixFilePermissions(keys(f)), f);
      }
    }
    if (PrivateFiles.posix(dir)) {
      assertEquals(
          PrivateFiles.DIRECTORY, Files.getPosixFilePermissions(dir.resolve(ServerKeys.DIRECTORY)));
    }
  }

  @Test
  void loadOrCreate_secondStart_reusesTheSameKeys() throws Exception {
    ServerKeys first = ServerKeys.loadOrCreate(dir, random);
    ServerKeys second = ServerKeys.loadOrCreate(dir, random);
    assertEquals(first.trustRoot(), second.trustRoot());
    assertArrayEquals(first.certificate().serialize(), second.certificate().serialize());
    assertArrayEquals(first.signingKey().serialize(), second.signingKey().serialize());
  }

  @Test
  void loadOrCreate_certificateLostInCrash_newServerKeyUnderSameRoot() throws Exception {
    ServerKeys first = ServerKeys.loadOrCreate(dir, random);
    Files.delete(keys(ServerKeys.SERVER_CERTIFICATE_FILE));
    ServerKeys second = ServerKeys.loadOrCreate(dir, random);
    assertEquals(first.trustRoot(), second.trustRoot());
    second.certificate().validate(second.trustRoot());
    assertNotEquals(first.certificate().key(), second.certificate().key());
  }

  @Test
  void loadOrCreate_trustRootMissingButServerKeyPresent_refuses() throws Exception {
    ServerKeys.loadOrCreate(dir, random);
    Files.delete(keys(ServerKeys.TRUST_ROOT_FILE));
    var e = assertThrows(IllegalStateException.class, () -> ServerKeys.loadOrCreate(dir, random));
    assertTrue(e.getMessage().contains(ServerKeys.TRUST_ROOT_FILE), e.getMessage());
  }

  @Test
  void loadOrCreate_serverKeyFromAnotherRoot_refuses() throws Exception {
    ServerKeys.loadOrCreate(dir, random);
    Path other = dir.resolve("other");
    ServerKeys.loadOrCreate(other, random);
    Files.copy(
        other.resolve(ServerKeys.DIRECTORY).resolve(ServerKeys.SERVER_KEY_FILE),
        keys(ServerKeys.SERVER_KEY_FILE),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    assertThrows(IllegalStateException.class, () -> ServerKeys.loadOrCreate(dir, random));
  }

  @Test
  void loadOrCreate_garbageKeyFile_refusesNamingFileWithoutContent() throws Exception {
    ServerKeys.loadOrCreate(dir, random);
    Files.write(keys(ServerKeys.TRUST_ROOT_FILE), new byte[] {1, 2, 3});
    var e = assertThrows(IllegalStateException.class, () -> ServerKeys.loadOrCreate(dir, random));
    assertTrue(e.getMessage().contains(ServerKeys.TRUST_ROOT_FILE));
  }

  @Test
  void toString_showsNoPrivateKeyMaterial() throws Exception {
    ServerKeys k = ServerKeys.loadOrCreate(dir, random);
    String s = k.toString();
    HexFormat hex = HexFormat.of();
    for (byte[] secret :
        new byte[][] {
          Files.readAllBytes(keys(ServerKeys.TRUST_ROOT_FILE)), k.signingKey().serialize()
        }) {
      assertFalse(s.contains(hex.formatHex(secret)), s);
      assertFalse(s.contains(java.util.Base64.getEncoder().encodeToString(secret)), s);
    }
  }
}
