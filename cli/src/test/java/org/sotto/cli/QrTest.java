package org.sotto.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nayuki.qrcodegen.QrCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Qr}: the half-block rendering shows exactly qrcodegen's module matrix plus the quiet zone.
 */
class QrTest {
  private static final String LINK =
      "sotto://link?uuid=AbCdEfGhIjKlMnOpQrStUv&pub_key=4f2lGkR0x3QvH2u0b6N2pE3mZ8y1c5K7w9q0s1t2u3Y";

  /** Whether the rendered character shows the upper (or lower) module as dark. */
  private static boolean dark(char c, boolean upper) {
    return switch (c) {
      case Qr.FULL -> false;
      case Qr.EMPTY -> true;
      case Qr.UPPER -> !upper;
      case Qr.LOWER -> upper;
      default -> throw new AssertionError("unexpected character U+" + Integer.toHexString(c));
    };
  }

  @Test
  void render_matchesQrcodegensModulesWithAFourModuleQuietZone() {
    QrCode qr = Qr.encode(LINK);
    List<String> lines = Qr.render(LINK).lines().toList();
    int size = qr.size + 2 * Qr.QUIET_ZONE;

    assertEquals((size + 1) / 2, lines.size());
    for (int row = 0; row < lines.size(); row++) {
      String line = lines.get(row);
      assertEquals(size, line.length(), "line " + row);
      for (int x = 0; x < size; x++) {
        for (int half = 0; half < 2; half++) {
          int y = 2 * row + half;
          boolean inCode =
              x >= Qr.QUIET_ZONE
                  && x < Qr.QUIET_ZONE + qr.size
                  && y >= Qr.QUIET_ZONE
                  && y < Qr.QUIET_ZONE + qr.size;
          boolean expected = inCode && qr.getModule(x - Qr.QUIET_ZONE, y - Qr.QUIET_ZONE);
          assertEquals(expected, dark(line.charAt(x), half == 0), "module " + x + "," + y);
        }
      }
    }
  }

  @Test
  void render_quietZoneRowsAndColumnsAreAllLight() {
    List<String> lines = Qr.render(LINK).lines().toList();
    String light = String.valueOf(Qr.FULL).repeat(lines.get(0).length());

    // Four light module rows above: two full lines; below: the last lines are light too.
    assertEquals(light, lines.get(0));
    assertEquals(light, lines.get(1));
    assertEquals(light, lines.get(lines.size() - 1));
    for (String line : lines) {
      assertEquals(String.valueOf(Qr.FULL).repeat(Qr.QUIET_ZONE), line.substring(0, Qr.QUIET_ZONE));
      assertEquals(
          String.valueOf(Qr.FULL).repeat(Qr.QUIET_ZONE),
          line.substring(line.length() - Qr.QUIET_ZONE));
    }
  }

  @Test
  void render_finderPatternTopLeftIsDarkRingLightRingDarkCore() {
    List<String> lines = Qr.render("123456789012345678901234567890").lines().toList();
    int q = Qr.QUIET_ZONE;
    // Row q of modules (upper half of line q/2, q even): 7 dark modules of the finder's top edge.
    for (int x = q; x < q + 7; x++) {
      assertTrue(dark(lines.get(q / 2).charAt(x), true), "finder top edge at " + x);
    }
    // Row q+1: dark, 5 light, dark.
    String second = lines.get(q / 2);
    assertTrue(dark(second.charAt(q), false));
    for (int x = q + 1; x < q + 6; x++) {
      assertTrue(!dark(second.charAt(x), false), "finder light ring at " + x);
    }
    assertTrue(dark(second.charAt(q + 6), false));
  }

  @Test
  void encode_textTooLong_isRefusedWithIllegalArgument() {
    assertThrows(IllegalArgumentException.class, () -> Qr.encode("x".repeat(10_000)));
  }
}
