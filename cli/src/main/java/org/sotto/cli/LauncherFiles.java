package org.sotto.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.sqlite.util.LibraryLoaderUtil;

/**
 * Prepares, once after a build, the files that make a short {@code ./sotto} command start fast; the
 * launcher runs it and falls back to the plain classpath when it fails. Not used at run time.
 *
 * <ul>
 *   <li>Signed jars (BouncyCastle's) get an unsigned copy: the JVM verifies a signed jar's
 *       signature (about 0.7 s of CPU on a small machine) before it loads the first class from it,
 *       and class-data sharing never archives classes of signed jars. Sotto uses BouncyCastle's
 *       lightweight API only, never as a JCE provider, so nothing needs the signature. The copy
 *       keeps every class and resource, and of the manifest only its main section.
 *   <li>SQLite's native library is copied out of the sqlite-jdbc jar, so that the driver loads it
 *       from there ({@code org.sqlite.lib.path}, {@code org.sqlite.lib.name}) instead of extracting
 *       it into the temp folder on every start.
 * </ul>
 *
 * <p>Usage: {@code LauncherFiles CLASSPATH_FILE OUT_DIR}. Writes {@code OUT_DIR/classpath.txt} (the
 * classpath with the unsigned copies) and, if the library was found, {@code OUT_DIR/native/<name>}
 * and {@code OUT_DIR/sqlite-lib-name.txt}.
 */
public final class LauncherFiles {
  private LauncherFiles() {}

  /** Entry point for the launcher (see the class comment). */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: LauncherFiles CLASSPATH_FILE OUT_DIR");
      System.exit(2);
    }
    Path out = Path.of(args[1]);
    Files.createDirectories(out.resolve("jars"));
    String classpath = Files.readString(Path.of(args[0]), StandardCharsets.UTF_8).strip();
    List<String> entries = new ArrayList<>();
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      if (entry.isEmpty()) {
        continue;
      }
      Path jar = Path.of(entry);
      if (entry.endsWith(".jar") && isSigned(jar)) {
        Path copy = out.resolve("jars").resolve(jar.getFileName());
        writeUnsigned(jar, copy);
        entries.add(copy.toAbsolutePath().toString());
      } else {
        entries.add(entry);
      }
    }
    extractSqlite(out);
    Path cp = out.resolve("classpath.txt");
    Path tmp = out.resolve("classpath.txt.tmp");
    Files.writeString(
        tmp, String.join(java.io.File.pathSeparator, entries), StandardCharsets.UTF_8);
    Files.move(tmp, cp, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Whether {@code jar} carries a signature (a signature file under META-INF). */
  static boolean isSigned(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      Enumeration<? extends ZipEntry> e = zip.entries();
      while (e.hasMoreElements()) {
        if (isSignatureFile(e.nextElement().getName())) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean isSignatureFile(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    if (!upper.startsWith("META-INF/") || upper.indexOf('/', "META-INF/".length()) >= 0) {
      return false;
    }
    return upper.endsWith(".SF")
        || upper.endsWith(".RSA")
        || upper.endsWith(".DSA")
        || upper.endsWith(".EC")
        || upper.startsWith("META-INF/SIG-");
  }

  /** Copies {@code jar} without its signature files and the manifest's per-entry digests. */
  static void writeUnsigned(Path jar, Path copy) throws IOException {
    Path tmp = copy.resolveSibling(copy.getFileName() + ".tmp");
    try (JarFile in = new JarFile(jar.toFile(), false)) {
      Manifest manifest = new Manifest();
      Manifest original = in.getManifest();
      if (original != null) {
        manifest.getMainAttributes().putAll(original.getMainAttributes());
      }
      manifest.getMainAttributes().putIfAbsent(Attributes.Name.MANIFEST_VERSION, "1.0");
      try (OutputStream file = Files.newOutputStream(tmp);
          JarOutputStream outJar = new JarOutputStream(file, manifest)) {
        Enumeration<JarEntry> e = in.entries();
        byte[] buffer = new byte[64 * 1024];
        while (e.hasMoreElements()) {
          JarEntry entry = e.nextElement();
          String name = entry.getName();
          if (isSignatureFile(name) || name.equalsIgnoreCase(JarFile.MANIFEST_NAME)) {
            continue;
          }
          JarEntry target = new JarEntry(name);
          target.setTime(entry.getTime());
          outJar.putNextEntry(target);
          try (InputStream data = in.getInputStream(entry)) {
            int n;
            while ((n = data.read(buffer)) > 0) {
              outJar.write(buffer, 0, n);
            }
          }
          outJar.closeEntry();
        }
      }
    }
    Files.move(tmp, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Copies the native library sqlite-jdbc would extract for this platform into {@code out}. */
  private static void extractSqlite(Path out) throws IOException {
    String name = LibraryLoaderUtil.getNativeLibName();
    String resource = LibraryLoaderUtil.getNativeLibResourcePath() + "/" + name;
    Path nameFile = out.resolve("sqlite-lib-name.txt");
    Files.deleteIfExists(nameFile);
    try (InputStream in = LibraryLoaderUtil.class.getResourceAsStream(resource)) {
      if (in == null) {
        return; // No library for this platform in the jar: the driver's own lookup decides.
      }
      Path dir = Files.createDirectories(out.resolve("native"));
      Path tmp = dir.resolve(name + ".tmp");
      Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
      Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
    Files.writeString(nameFile, name, StandardCharsets.UTF_8);
  }
}
