package org.sotto.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Searches every file under a folder for byte strings (plaintexts, keys): the check behind "the
 * server stores ciphertext only". Reads files whole, so meant for demo and test data folders.
 * Stateless.
 */
public final class DataFolderScan {
  /** What was scanned and what was found. */
  public record Result(int files, long bytes, List<String> hits) {}

  private DataFolderScan() {}

  /**
   * Scans every regular file under {@code dir} for each needle; a hit names the file and the needle
   * index.
   */
  public static Result scan(Path dir, List<byte[]> needles) throws IOException {
    List<String> hits = new ArrayList<>();
    int files = 0;
    long bytes = 0;
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        byte[] content = Files.readAllBytes(p);
        files++;
        bytes += content.length;
        for (int i = 0; i < needles.size(); i++) {
          if (indexOf(content, needles.get(i)) >= 0) {
            hits.add(dir.relativize(p) + ": needle " + i);
          }
        }
      }
    }
    return new Result(files, bytes, hits);
  }

  /** The first index of {@code needle} in {@code haystack}, or -1. */
  public static int indexOf(byte[] haystack, byte[] needle) {
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
