package org.sotto.client.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The file that holds a store's 32-byte data key, either as is (no passphrase) or wrapped with
 * AES-256-GCM under a key derived from the passphrase with Argon2id.
 *
 * <p>Layout: {@code magic "SOTTOKEY" ‖ version (1) ‖ mode (1) ‖ body ‖ SHA-256 of everything
 * before}. Mode 0 body: the key (32). Mode 1 body: {@code memory KiB (4) ‖ iterations (4) ‖
 * parallelism (4) ‖ salt (16) ‖ nonce (12) ‖ wrapped key + tag (48)}, the header up to the nonce
 * being the GCM associated data. The checksum tells damage ({@link CorruptStoreException}) apart
 * from a wrong passphrase ({@link WrongPassphraseException}), which otherwise both fail the tag.
 * Stateless; thread-safe.
 */
final class KeyFile {
  private static final byte[] MAGIC = "SOTTOKEY".getBytes(StandardCharsets.US_ASCII);
  private static final byte VERSION = 1;
  private static final byte MODE_PLAIN = 0;
  private static final byte MODE_PASSPHRASE = 1;
  private static final int CHECKSUM_LENGTH = 32;
  private static final int HEADER_LENGTH = MAGIC.length + 2;

  /**
   * Argon2id memory: 64 MiB (in KiB), the second recommended option of RFC 9106 §4 ("if much less
   * memory is available"), which a phone or a small VM can still afford at every start.
   */
  static final int ARGON2_MEMORY_KIB = 64 * 1024;

  /** Argon2id passes: 3, RFC 9106's recommendation for the 64 MiB option. */
  static final int ARGON2_ITERATIONS = 3;

  /**
   * Argon2id lanes: 1, so the cost is the same on a one-core device and an attacker gains nothing
   * from our cores; RFC 9106 allows any value, 4 being its default for servers.
   */
  static final int ARGON2_PARALLELISM = 1;

  /** Random salt: 16 bytes, RFC 9106's recommended length. */
  static final int SALT_LENGTH = 16;

  /**
   * Largest Argon2 memory accepted from a file (1 GiB): a damaged or hostile key file must not make
   * us allocate without bound.
   */
  static final int MAX_MEMORY_KIB = 1024 * 1024;

  /** Largest pass count accepted from a file, for the same reason. */
  static final int MAX_ITERATIONS = 64;

  /** Largest lane count accepted from a file, for the same reason. */
  static final int MAX_PARALLELISM = 16;

  private static final int PASSPHRASE_BODY =
      12 + SALT_LENGTH + FieldCipher.NONCE_LENGTH + FieldCipher.KEY_LENGTH + 16;

  private KeyFile() {}

  /** Whether a key file needs a passphrase, without deriving anything. */
  static boolean needsPassphrase(Path file) throws StorageException {
    byte[] b = readChecked(file);
    return b[MAGIC.length + 1] == MODE_PASSPHRASE;
  }

  /** The serialized key file for {@code dataKey}, wrapped under {@code passphrase} if not null. */
  static byte[] encode(SecretBytes dataKey, char[] passphrase, SecureRandom rng) {
    ByteBuffer out;
    if (passphrase == null) {
      out = ByteBuffer.allocate(HEADER_LENGTH + FieldCipher.KEY_LENGTH + CHECKSUM_LENGTH);
      out.put(MAGIC).put(VERSION).put(MODE_PLAIN);
      byte[] raw = dataKey.bytes();
      out.put(raw);
      Arrays.fill(raw, (byte) 0);
    } else {
      out = ByteBuffer.allocate(HEADER_LENGTH + PASSPHRASE_BODY + CHECKSUM_LENGTH);
      byte[] salt = new byte[SALT_LENGTH];
      rng.nextBytes(salt);
      byte[] nonce = new byte[FieldCipher.NONCE_LENGTH];
      rng.nextBytes(nonce);
      out.put(MAGIC).put(VERSION).put(MODE_PASSPHRASE);
      out.putInt(ARGON2_MEMORY_KIB).putInt(ARGON2_ITERATIONS).putInt(ARGON2_PARALLELISM);
      out.put(salt).put(nonce);
      byte[] aad = Arrays.copyOf(out.array(), out.position());
      byte[] kek =
          argon2(passphrase, salt, ARGON2_MEMORY_KIB, ARGON2_ITERATIONS, ARGON2_PARALLELISM);
      byte[] raw = dataKey.bytes();
      try {
        out.put(gcm(Cipher.ENCRYPT_MODE, kek, nonce, aad, raw));
      } catch (AEADBadTagException e) {
        throw new AssertionError("encryption has no tag to check", e);
      } finally {
        Arrays.fill(kek, (byte) 0);
        Arrays.fill(raw, (byte) 0);
      }
    }
    out.put(sha256(out.array(), out.position()));
    return out.array();
  }

  /**
   * Reads the data key from {@code file}.
   *
   * @throws WrongPassphraseException the passphrase is wrong, missing, or given for a file that has
   *     none
   * @throws CorruptStoreException the file is damaged or truncated
   */
  static SecretBytes read(Path file, char[] passphrase) throws StorageException {
    byte[] b = readChecked(file);
    try {
      if (b[MAGIC.length + 1] == MODE_PLAIN) {
        if (passphrase != null) {
          throw new WrongPassphraseException("this store has no passphrase");
        }
        return SecretBytes.copyOf(Arrays.copyOfRange(b, HEADER_LENGTH, HEADER_LENGTH + 32));
      }
      if (passphrase == null) {
        throw new WrongPassphraseException("this store needs a passphrase");
      }
      ByteBuffer in = ByteBuffer.wrap(b, HEADER_LENGTH, PASSPHRASE_BODY);
      int memory = in.getInt();
      int iterations = in.getInt();
      int parallelism = in.getInt();
      if (memory < 8 * parallelism
          || memory > MAX_MEMORY_KIB
          || iterations < 1
          || iterations > MAX_ITERATIONS
          || parallelism < 1
          || parallelism > MAX_PARALLELISM) {
        throw new CorruptStoreException("key file has invalid Argon2 parameters");
      }
      byte[] salt = new byte[SALT_LENGTH];
      in.get(salt);
      byte[] nonce = new byte[FieldCipher.NONCE_LENGTH];
      in.get(nonce);
      byte[] aad = Arrays.copyOf(b, in.position());
      byte[] wrapped = new byte[in.remaining()];
      in.get(wrapped);
      byte[] kek = argon2(passphrase, salt, memory, iterations, parallelism);
      try {
        byte[] raw = gcm(Cipher.DECRYPT_MODE, kek, nonce, aad, wrapped);
        SecretBytes key = SecretBytes.copyOf(raw);
        Arrays.fill(raw, (byte) 0);
        return key;
      } catch (AEADBadTagException e) {
        throw new WrongPassphraseException("wrong passphrase");
      } finally {
        Arrays.fill(kek, (byte) 0);
      }
    } finally {
      Arrays.fill(b, (byte) 0);
    }
  }

  /** Reads the whole file and checks magic, version, mode, length and checksum. */
  private static byte[] readChecked(Path file) throws StorageException {
    byte[] b;
    try {
      b = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new StorageException("cannot read the key file", e);
    }
    if (b.length < HEADER_LENGTH + CHECKSUM_LENGTH
        || !Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new CorruptStoreException("key file is not a Sotto key file or is truncated");
    }
    if (b[MAGIC.length] != VERSION) {
      throw new CorruptStoreException("key file has an unknown version");
    }
    byte mode = b[MAGIC.length + 1];
    int expected =
        HEADER_LENGTH
            + (mode == MODE_PLAIN ? FieldCipher.KEY_LENGTH : PASSPHRASE_BODY)
            + CHECKSUM_LENGTH;
    if ((mode != MODE_PLAIN && mode != MODE_PASSPHRASE) || b.length != expected) {
      throw new CorruptStoreException("key file is truncated or has an unknown mode");
    }
    byte[] sum = sha256(b, b.length - CHECKSUM_LENGTH);
    if (!MessageDigest.isEqual(sum, Arrays.copyOfRange(b, b.length - CHECKSUM_LENGTH, b.length))) {
      throw new CorruptStoreException("key file is damaged (checksum mismatch)");
    }
    return b;
  }

  private static byte[] argon2(
      char[] passphrase, byte[] salt, int memoryKib, int iterations, int parallelism) {
    Argon2Parameters params =
        new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
            .withVersion(Argon2Parameters.ARGON2_VERSION_13)
            .withMemoryAsKB(memoryKib)
            .withIterations(iterations)
            .withParallelism(parallelism)
            .withSalt(salt)
            .build();
    Argon2BytesGenerator generator = new Argon2BytesGenerator();
    generator.init(params);
    byte[] password = utf8(passphrase);
    byte[] out = new byte[FieldCipher.KEY_LENGTH];
    try {
      generator.generateBytes(password, out);
    } finally {
      Arrays.fill(password, (byte) 0);
    }
    return out;
  }

  /** UTF-8 bytes of the passphrase without an intermediate String (which could not be wiped). */
  private static byte[] utf8(char[] passphrase) {
    ByteBuffer buf = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
    byte[] out = new byte[buf.remaining()];
    buf.get(out);
    if (buf.hasArray()) {
      Arrays.fill(buf.array(), (byte) 0);
    }
    return out;
  }

  private static byte[] gcm(int mode, byte[] kek, byte[] nonce, byte[] aad, byte[] input)
      throws AEADBadTagException {
    try {
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(
          mode, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(FieldCipher.TAG_BITS, nonce));
      c.updateAAD(aad);
      return c.doFinal(input);
    } catch (AEADBadTagException e) {
      throw e;
    } catch (GeneralSecurityException e) {
      throw new AssertionError("AES-GCM is part of every JDK", e);
    }
  }

  private static byte[] sha256(byte[] b, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b, 0, length);
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("SHA-256 is part of every JDK", e);
    }
  }
}
