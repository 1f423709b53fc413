package org.sotto.server.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/**
 * Strict JSON for request and response bodies: unknown fields, trailing tokens, duplicate keys,
 * floats for integers and nulls for primitives are all errors, and every parse failure becomes a
 * 400 {@link ApiException} whose message names the field but never echoes the value. Thread-safe.
 */
public final class Json {
  /** Nesting deeper than any DTO needs is refused before it can exhaust the stack. */
  static final int MAX_NESTING_DEPTH = 32;

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
          .build();

  static {
    MAPPER
        .getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
  }

  private Json() {}

  /** The shared mapper (for writing, and for tests). */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Parses {@code body} as {@code type}, or throws a 400 {@link ApiException}. */
  public static <T> T read(byte[] body, Class<T> type) {
    if (body.length == 0) {
      throw ApiException.badRequest("invalid_json", "a JSON body is required");
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw ApiException.badRequest("invalid_json", "a JSON object is required");
      }
      return value;
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause();
      String why = cause instanceof IllegalArgumentException ? cause.getMessage() : "invalid value";
      throw ApiException.badRequest("invalid_field", why);
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.badRequest(
          "unknown_field", "unknown field '" + safe(e.getPropertyName()) + "'");
    } catch (InvalidFormatException e) {
      throw ApiException.badRequest("invalid_field", path(e) + ": wrong format");
    } catch (MismatchedInputException e) {
      throw ApiException.badRequest("invalid_field", path(e) + ": wrong type or missing");
    } catch (JsonMappingException e) {
      Throwable cause = e.getCause();
      if (cause instanceof IllegalArgumentException iae && iae.getMessage() != null) {
        throw ApiException.badRequest("invalid_field", iae.getMessage());
      }
      throw ApiException.badRequest("invalid_field", path(e) + ": invalid");
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("invalid_json", "malformed JSON");
    } catch (IOException e) {
      throw ApiException.badRequest("invalid_json", "unreadable body");
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "invalid_field", e.getMessage() == null ? "invalid" : e.getMessage());
    }
  }

  /** Serialises {@code value} to UTF-8 JSON. */
  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(safe(ref.getFieldName()));
      } else if (ref.getIndex() >= 0) {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "body" : sb.toString();
  }

  /** Field names come from the client: keep them short and printable in error messages. */
  private static String safe(String name) {
    if (name == null) {
      return "?";
    }
    String cleaned = name.replaceAll("[^A-Za-z0-9_.\\-]", "?");
    return cleaned.length() > 40 ? cleaned.substring(0, 40) + "…" : cleaned;
  }
}
