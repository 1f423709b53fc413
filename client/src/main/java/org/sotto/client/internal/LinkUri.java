package org.sotto.client.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.sotto.client.LinkException;
import org.sotto.protocol.InvalidKeyException;
import org.sotto.protocol.ecc.ECPublicKey;

/**
 * The URI a new device shows to an existing one: {@code sotto://link?uuid=<provisioning
 * address>&pub_key=<base64url of the raw X25519 public key>}, both values URL-encoded. Parsing is
 * strict: anything else is a {@link LinkException} of kind {@link
 * LinkException.Kind#INVALID_LINK_URI}. Immutable.
 */
record LinkUri(String address, ECPublicKey publicKey) {
  /** The URI scheme. */
  static final String SCHEME = "sotto";

  /** The URI's authority, naming what the URI is for. */
  static final String AUTHORITY = "link";

  /** Query parameter naming the provisioning address. */
  static final String ADDRESS_PARAM = "uuid";

  /** Query parameter holding the new device's public key. */
  static final String KEY_PARAM = "pub_key";

  /**
   * Longest URI accepted: the two values take under 120 characters; anything much longer is not a
   * link URI, and refusing it early keeps the parsing cheap.
   */
  static final int MAX_URI_CHARS = 512;

  /** Provisioning addresses are base64url, as the server makes them (and as the API checks). */
  private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** Builds the URI for {@code address} and {@code publicKey}. */
  URI toUri() {
    String key = Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey.rawBytes());
    return URI.create(
        SCHEME
            + "://"
            + AUTHORITY
            + "?"
            + ADDRESS_PARAM
            + "="
            + URLEncoder.encode(address, StandardCharsets.UTF_8)
            + "&"
            + KEY_PARAM
            + "="
            + URLEncoder.encode(key, StandardCharsets.UTF_8));
  }

  /** Parses a link URI given as text. */
  static LinkUri parse(String text) throws LinkException {
    if (text == null || text.length() > MAX_URI_CHARS) {
      throw invalid(null);
    }
    try {
      return parse(new URI(text.strip()));
    } catch (java.net.URISyntaxException e) {
      throw invalid(e);
    }
  }

  /** Parses a link URI. */
  static LinkUri parse(URI uri) throws LinkException {
    if (uri == null
        || uri.toString().length() > MAX_URI_CHARS
        || !SCHEME.equals(uri.getScheme())
        || !AUTHORITY.equals(uri.getRawAuthority())
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())
        || uri.getRawFragment() != null
        || uri.getRawQuery() == null) {
      throw invalid(null);
    }
    Map<String, String> params = new HashMap<>();
    for (String pair : uri.getRawQuery().split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw invalid(null);
      }
      String name = pair.substring(0, eq);
      String value;
      try {
        value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw invalid(e);
      }
      if (!(name.equals(ADDRESS_PARAM) || name.equals(KEY_PARAM))
          || params.put(name, value) != null) {
        throw invalid(null); // Unknown or repeated parameter.
      }
    }
    String address = params.get(ADDRESS_PARAM);
    String key = params.get(KEY_PARAM);
    if (address == null || key == null || !ADDRESS.matcher(address).matches()) {
      throw invalid(null);
    }
    try {
      byte[] raw = Base64.getUrlDecoder().decode(key);
      if (raw.length != ECPublicKey.KEY_LENGTH) {
        throw invalid(null);
      }
      return new LinkUri(address, ECPublicKey.fromRaw(raw));
    } catch (IllegalArgumentException | InvalidKeyException e) {
      throw invalid(e);
    }
  }

  private static LinkException invalid(Throwable cause) {
    return new LinkException(LinkException.Kind.INVALID_LINK_URI, cause);
  }
}
