package org.sotto.client.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Test helpers over whole folders: snapshots for before/after comparisons and byte searches. */
final class Files2 {
  private Files2() {}

  /** Every regular file in {@code folder}, by name, with its bytes. */
  static Map<String, byte[]> snapshot(Path folder) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> files = Files.list(folder)) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        out.put(p.getFileName().toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  /** Whether {@code needle} occurs in any file of {@code folder}. */
  static boolean anyFileContains(Path folder, byte[] needle) throws IOException {
    for (byte[] content : snapshot(folder).values()) {
      if (indexOf(content, needle) >= 0) {
        return true;
      }
    }
    return false;
  }

  static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
