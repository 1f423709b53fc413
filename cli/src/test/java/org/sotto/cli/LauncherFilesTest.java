package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's unsigned copies of signed jars: signature files and per-entry digests go, every
 * class and resource and the manifest's main attributes (Multi-Release) stay.
 */
class LauncherFilesTest {
  @TempDir Path temp;

  private Path jar(String name, boolean signed) throws Exception {
    Manifest m = new Manifest();
    m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    m.getMainAttributes().put(Attributes.Name.MULTI_RELEASE, "true");
    Attributes perEntry = new Attributes();
    perEntry.putValue("SHA-256-Digest", "AAAA");
    m.getEntries().put("a/B.class", perEntry);
    Path p = temp.resolve(name);
    try (OutputStream out = Files.newOutputStream(p);
        JarOutputStream jar = new JarOutputStream(out, m)) {
      put(jar, "a/B.class", "class bytes");
      put(jar, "META-INF/versions/11/a/B.class", "newer class bytes");
      put(jar, "META-INF/services/x.Y", "impl");
      if (signed) {
        put(jar, "META-INF/SIGNER.SF", "signature file");
        put(jar, "META-INF/SIGNER.RSA", "signature block");
      }
    }
    return p;
  }

  private static void put(JarOutputStream jar, String name, String content) throws Exception {
    jar.putNextEntry(new JarEntry(name));
    jar.write(content.getBytes(StandardCharsets.UTF_8));
    jar.closeEntry();
  }

  @Test
  void isSigned_jarWithSignatureFiles_trueOtherwiseFalse() throws Exception {
    assertTrue(LauncherFiles.isSigned(jar("signed.jar", true)));
    assertFalse(LauncherFiles.isSigned(jar("plain.jar", false)));
  }

  @Test
  void writeUnsigned_signedJar_dropsSignatureAndDigestsKeepsEntriesAndMainAttributes()
      throws Exception {
    Path copy = temp.resolve("copy.jar");
    LauncherFiles.writeUnsigned(jar("signed.jar", true), copy);

    assertFalse(LauncherFiles.isSigned(copy));
    try (JarFile j = new JarFile(copy.toFile())) {
      List<String> names = new ArrayList<>();
      for (JarEntry e : Collections.list(j.entries())) {
        names.add(e.getName());
      }
      assertEquals(
          List.of(
              "META-INF/MANIFEST.MF",
              "a/B.class",
              "META-INF/versions/11/a/B.class",
              "META-INF/services/x.Y"),
          names);
      assertArrayEquals(
          "class bytes".getBytes(StandardCharsets.UTF_8),
          j.getInputStream(j.getEntry("a/B.class")).readAllBytes());
      Manifest m = j.getManifest();
      assertEquals("true", m.getMainAttributes().getValue(Attributes.Name.MULTI_RELEASE));
      assertNull(m.getAttributes("a/B.class"));
      assertTrue(j.isMultiRelease());
    }
  }
}
