package org.sotto.protocol.kem;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.mlkem.MLKEMEngine;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.InvalidMessageException;

/**
 * ML-KEM-768 (FIPS 203) with its encapsulation split in two, as the ML-KEM Braid needs: the sender
 * can compute the first part of the ciphertext and the shared secret from the key's 64-byte
 * <em>header</em> alone, before the 1,152-byte <em>encapsulation key</em> has arrived.
 *
 * <p>The split follows from FIPS 203's K-PKE.Encrypt. The public key is {@code ek = t̂ ‖ ρ}. The
 * header is {@code ρ ‖ H(ek)}; the encapsulation key sent later is {@code t̂}. Encapsulation draws
 * {@code m}, derives {@code (K, r) = G(m ‖ H(ek))} and encrypts: the first ciphertext part {@code
 * ct1 = Compress(u)} (960 bytes) depends only on the matrix {@code Â} (from {@code ρ}) and {@code
 * r}; the second {@code ct2 = Compress(v)} (128 bytes) needs {@code t̂}. {@code ct1 ‖ ct2} is an
 * ordinary ML-KEM-768 ciphertext and {@code K} an ordinary ML-KEM-768 shared secret, so
 * decapsulation is BouncyCastle's standard one.
 *
 * <p>No lattice arithmetic is ours: K-PKE.Encrypt is BouncyCastle's. BouncyCastle 1.87 has no
 * public entry point that takes the coins {@code r}, so this class calls its package-private K-PKE
 * through reflection, once resolved at class load; {@code IncrementalMlKem768Test} checks every
 * result byte for byte against BouncyCastle's public ML-KEM-768, so a BouncyCastle upgrade that
 * changes those internals fails the build rather than the wire. {@code ct1} comes from encrypting
 * under {@code 0 ‖ ρ}: {@code u} does not depend on {@code t̂}.
 *
 * <p>The byte order of the header ({@code ρ} first) is FIPS 203's order of the public key's seed
 * and hash inputs, and libsignal 0.103.0's on the wire: {@code PqRatchetVectorsTest} recomputes its
 * ct1 and ct2 from its recorded coins.
 *
 * <p>Stateless and thread-safe.
 */
public final class IncrementalMlKem768 {

  /** Header: {@code ρ} (32 bytes) ‖ {@code H(ek)} (32 bytes). */
  public static final int HEADER_LENGTH = 64;

  /** Encapsulation key sent after the header: {@code t̂}, three 384-byte polynomials. */
  public static final int ENCAPSULATION_KEY_LENGTH = 1152;

  /** First ciphertext part: {@code u}, three polynomials compressed to 10 bits a coefficient. */
  public static final int CT1_LENGTH = 960;

  /** Second ciphertext part: {@code v}, one polynomial compressed to 4 bits a coefficient. */
  public static final int CT2_LENGTH = 128;

  /** ML-KEM's shared secret length. */
  public static final int SHARED_SECRET_LENGTH = 32;

  /** Decapsulation key kept as FIPS 203's 64-byte seed {@code d ‖ z}; expanded when used. */
  public static final int DECAPSULATION_SEED_LENGTH = 64;

  /** The encapsulation randomness {@code m} kept between the two halves. */
  public static final int ENCAPSULATION_SEED_LENGTH = 32;

  /** Length of {@code ρ}, and of {@code H(ek)}. */
  private static final int HALF_HEADER = 32;

  /** H is SHA3-256, G is SHA3-512 (FIPS 203, 4.1). */
  private static final int H_BITS = 256;

  private static final int G_BITS = 512;

  private static final MLKEMParameters PARAMETERS = MLKEMParameters.ml_kem_768;

  private static final MLKEMEngine ENGINE = MLKEMEngine.getInstance(PARAMETERS);

  private static final Object K_PKE;

  private static final Method K_PKE_ENCRYPT;

  static {
    try {
      Field field = MLKEMEngine.class.getDeclaredField("indCpa");
      field.setAccessible(true);
      K_PKE = field.get(ENGINE);
      K_PKE_ENCRYPT =
          K_PKE
              .getClass()
              .getDeclaredMethod(
                  "encrypt",
                  byte[].class,
                  int.class,
                  byte[].class,
                  int.class,
                  byte[].class,
                  int.class);
      K_PKE_ENCRYPT.setAccessible(true);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new ExceptionInInitializerError(
          "this BouncyCastle has no K-PKE.Encrypt where IncrementalMlKem768 expects it ("
              + e.getClass().getSimpleName()
              + "); the protocol module is built against bcprov 1.87");
    }
  }

  private IncrementalMlKem768() {}

  /** Generates a key pair; {@code rng} supplies FIPS 203's seeds {@code d} and {@code z}. */
  public static KeyPair generateKeyPair(SecureRandom rng) {
    Objects.requireNonNull(rng, "rng");
    MLKEMKeyPairGenerator generator = new MLKEMKeyPairGenerator();
    generator.init(new MLKEMKeyGenerationParameters(rng, PARAMETERS));
    AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    MLKEMPublicKeyParameters publicKey = (MLKEMPublicKeyParameters) pair.getPublic();
    MLKEMPrivateKeyParameters privateKey = (MLKEMPrivateKeyParameters) pair.getPrivate();
    byte[] seed = privateKey.getSeed();
    try {
      return new KeyPair(
          header(publicKey.getRho(), publicKey.getEncoded()), publicKey.getT(), seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
      privateKey.destroy();
    }
  }

  /**
   * First half of encapsulation, from the header alone: draws {@code m} from {@code rng} and
   * returns {@code ct1}, the shared secret and {@code m} (to keep, secret, until {@link
   * #encapsulate2}).
   *
   * @throws InvalidKeyException if the header is not {@value #HEADER_LENGTH} bytes
   */
  public static FirstHalf encapsulate1(byte[] header, SecureRandom rng) throws InvalidKeyException {
    Objects.requireNonNull(rng, "rng");
    byte[] m = new byte[ENCAPSULATION_SEED_LENGTH];
    rng.nextBytes(m);
    try {
      return encapsulate1(header, m);
    } finally {
      Arrays.fill(m, (byte) 0);
    }
  }

  /** {@link #encapsulate1(byte[], SecureRandom)} with a given {@code m}: deterministic. */
  static FirstHalf encapsulate1(byte[] header, byte[] m) throws InvalidKeyException {
    checkLength(header, HEADER_LENGTH, "header");
    byte[] kr = g(m, header);
    byte[] zeroKey = new byte[ENCAPSULATION_KEY_LENGTH + HALF_HEADER];
    System.arraycopy(header, 0, zeroKey, ENCAPSULATION_KEY_LENGTH, HALF_HEADER);
    byte[] ciphertext = encrypt(zeroKey, m, kr);
    try {
      return new FirstHalf(
          Arrays.copyOf(ciphertext, CT1_LENGTH), Arrays.copyOf(kr, SHARED_SECRET_LENGTH), m);
    } finally {
      Arrays.fill(kr, (byte) 0);
    }
  }

  /**
   * Second half of encapsulation, once the encapsulation key has arrived: returns {@code ct2}.
   *
   * @param header the header {@link #encapsulate1} used
   * @param encapsulationKey {@code t̂}, {@value #ENCAPSULATION_KEY_LENGTH} bytes
   * @param encapsulationSeed {@code m} from {@link FirstHalf#encapsulationSeed()}
   * @throws InvalidKeyException if the key does not hash to the header's {@code H(ek)}, or fails
   *     FIPS 203's modulus check, or a length is wrong
   */
  public static byte[] encapsulate2(
      byte[] header, byte[] encapsulationKey, byte[] encapsulationSeed) throws InvalidKeyException {
    checkLength(header, HEADER_LENGTH, "header");
    checkLength(encapsulationKey, ENCAPSULATION_KEY_LENGTH, "encapsulation key");
    checkLength(encapsulationSeed, ENCAPSULATION_SEED_LENGTH, "encapsulation seed");
    byte[] ek = new byte[ENCAPSULATION_KEY_LENGTH + HALF_HEADER];
    System.arraycopy(encapsulationKey, 0, ek, 0, ENCAPSULATION_KEY_LENGTH);
    System.arraycopy(header, 0, ek, ENCAPSULATION_KEY_LENGTH, HALF_HEADER);
    if (!MessageDigest.isEqual(h(ek), Arrays.copyOfRange(header, HALF_HEADER, HEADER_LENGTH))) {
      throw new InvalidKeyException("the ML-KEM-768 encapsulation key does not match its header");
    }
    if (!ENGINE.checkModulus(encapsulationKey)) {
      throw new InvalidKeyException("the ML-KEM-768 encapsulation key is not reduced modulo q");
    }
    byte[] kr = g(encapsulationSeed, header);
    try {
      byte[] ciphertext = encrypt(ek, encapsulationSeed, kr);
      return Arrays.copyOfRange(ciphertext, CT1_LENGTH, CT1_LENGTH + CT2_LENGTH);
    } finally {
      Arrays.fill(kr, (byte) 0);
    }
  }

  /**
   * Decapsulates {@code ct1 ‖ ct2} with the key whose seed is {@code decapsulationSeed}. Like
   * ML-KEM, an altered ciphertext yields an unrelated pseudo-random secret (implicit rejection),
   * not an error.
   *
   * @throws InvalidMessageException if a ciphertext part has the wrong length
   * @throws InvalidKeyException if the seed has the wrong length
   */
  public static byte[] decapsulate(byte[] decapsulationSeed, byte[] ct1, byte[] ct2)
      throws InvalidKeyException, InvalidMessageException {
    checkLength(decapsulationSeed, DECAPSULATION_SEED_LENGTH, "decapsulation seed");
    if (ct1 == null || ct1.length != CT1_LENGTH) {
      throw new InvalidMessageException("ct1 must be " + CT1_LENGTH + " bytes");
    }
    if (ct2 == null || ct2.length != CT2_LENGTH) {
      throw new InvalidMessageException("ct2 must be " + CT2_LENGTH + " bytes");
    }
    MLKEMPrivateKeyParameters key = new MLKEMPrivateKeyParameters(PARAMETERS, decapsulationSeed);
    try {
      byte[] ciphertext = new byte[CT1_LENGTH + CT2_LENGTH];
      System.arraycopy(ct1, 0, ciphertext, 0, CT1_LENGTH);
      System.arraycopy(ct2, 0, ciphertext, CT1_LENGTH, CT2_LENGTH);
      return new MLKEMExtractor(key).extractSecret(ciphertext);
    } finally {
      key.destroy();
    }
  }

  /** {@code ρ ‖ H(ek)}. */
  private static byte[] header(byte[] rho, byte[] encodedPublicKey) {
    byte[] header = new byte[HEADER_LENGTH];
    System.arraycopy(rho, 0, header, 0, HALF_HEADER);
    System.arraycopy(h(encodedPublicKey), 0, header, HALF_HEADER, HALF_HEADER);
    return header;
  }

  /** {@code G(m ‖ H(ek)) = K ‖ r}, with {@code H(ek)} taken from the header. */
  private static byte[] g(byte[] m, byte[] header) {
    SHA3Digest sha3 = new SHA3Digest(G_BITS);
    sha3.update(m, 0, ENCAPSULATION_SEED_LENGTH);
    sha3.update(header, HALF_HEADER, HALF_HEADER);
    byte[] out = new byte[sha3.getDigestSize()];
    sha3.doFinal(out, 0);
    return out;
  }

  private static byte[] h(byte[] input) {
    SHA3Digest sha3 = new SHA3Digest(H_BITS);
    sha3.update(input, 0, input.length);
    byte[] out = new byte[sha3.getDigestSize()];
    sha3.doFinal(out, 0);
    return out;
  }

  /** BouncyCastle's K-PKE.Encrypt(ek, m, r), {@code r} being {@code kr[32..64]}. */
  private static byte[] encrypt(byte[] ek, byte[] m, byte[] kr) {
    try {
      return (byte[]) K_PKE_ENCRYPT.invoke(K_PKE, ek, 0, m, 0, kr, SHARED_SECRET_LENGTH);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("BouncyCastle's K-PKE is not accessible", e);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(
          "BouncyCastle's K-PKE failed: " + e.getCause().getClass().getSimpleName());
    }
  }

  /** A copy of {@code value}, which must be {@code length} bytes (record components). */
  private static byte[] copyOf(byte[] value, int length, String what) {
    Objects.requireNonNull(value, what);
    if (value.length != length) {
      throw new IllegalArgumentException(what + " must be " + length + " bytes");
    }
    return value.clone();
  }

  private static void checkLength(byte[] value, int length, String what)
      throws InvalidKeyException {
    if (value == null || value.length != length) {
      throw new InvalidKeyException("the ML-KEM-768 " + what + " must be " + length + " bytes");
    }
  }

  /**
   * A key pair: the public {@code header} and {@code encapsulationKey}, sent in that order, and the
   * secret {@code decapsulationSeed}. Holds and hands out copies; {@link #toString()} omits the
   * seed.
   *
   * @param header {@value #HEADER_LENGTH} bytes
   * @param encapsulationKey {@value #ENCAPSULATION_KEY_LENGTH} bytes
   * @param decapsulationSeed {@value #DECAPSULATION_SEED_LENGTH} bytes, secret
   */
  public record KeyPair(byte[] header, byte[] encapsulationKey, byte[] decapsulationSeed) {

    /**
     * Copies the parts.
     *
     * @throws IllegalArgumentException if a part has the wrong length
     */
    public KeyPair {
      header = copyOf(header, HEADER_LENGTH, "header");
      encapsulationKey = copyOf(encapsulationKey, ENCAPSULATION_KEY_LENGTH, "encapsulationKey");
      decapsulationSeed = copyOf(decapsulationSeed, DECAPSULATION_SEED_LENGTH, "decapsulationSeed");
    }

    @Override
    public byte[] header() {
      return header.clone();
    }

    @Override
    public byte[] encapsulationKey() {
      return encapsulationKey.clone();
    }

    @Override
    public byte[] decapsulationSeed() {
      return decapsulationSeed.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof KeyPair other
          && MessageDigest.isEqual(header, other.header)
              & MessageDigest.isEqual(encapsulationKey, other.encapsulationKey)
              & MessageDigest.isEqual(decapsulationSeed, other.decapsulationSeed);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(header);
    }

    @Override
    public String toString() {
      return "IncrementalMlKem768.KeyPair[header, encapsulationKey, decapsulationSeed=<secret>]";
    }
  }

  /**
   * What {@link #encapsulate1} returns: {@code ct1} to send, the shared secret, and the secret
   * {@code m} to keep for {@link #encapsulate2}. Holds and hands out copies; {@link #toString()}
   * omits the secrets.
   *
   * @param ct1 {@value #CT1_LENGTH} bytes
   * @param sharedSecret {@value #SHARED_SECRET_LENGTH} bytes, secret
   * @param encapsulationSeed {@value #ENCAPSULATION_SEED_LENGTH} bytes, secret
   */
  public record FirstHalf(byte[] ct1, byte[] sharedSecret, byte[] encapsulationSeed) {

    /**
     * Copies the parts.
     *
     * @throws IllegalArgumentException if a part has the wrong length
     */
    public FirstHalf {
      ct1 = copyOf(ct1, CT1_LENGTH, "ct1");
      sharedSecret = copyOf(sharedSecret, SHARED_SECRET_LENGTH, "sharedSecret");
      encapsulationSeed = copyOf(encapsulationSeed, ENCAPSULATION_SEED_LENGTH, "encapsulationSeed");
    }

    @Override
    public byte[] ct1() {
      return ct1.clone();
    }

    @Override
    public byte[] sharedSecret() {
      return sharedSecret.clone();
    }

    @Override
    public byte[] encapsulationSeed() {
      return encapsulationSeed.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof FirstHalf other
          && MessageDigest.isEqual(ct1, other.ct1)
              & MessageDigest.isEqual(sharedSecret, other.sharedSecret)
              & MessageDigest.isEqual(encapsulationSeed, other.encapsulationSeed);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(ct1);
    }

    @Override
    public String toString() {
      return "IncrementalMlKem768.FirstHalf[ct1, sharedSecret=<secret>, encapsulationSeed=<secret>]";
    }
  }
}
