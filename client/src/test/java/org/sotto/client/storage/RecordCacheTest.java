package org.sotto.client.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class RecordCacheTest {
  @Test
  void get_returnsCopies_callersCannotAlterTheCache() {
    RecordCache cache = new RecordCache();
    byte[] value = {1, 2, 3};
    cache.put("k", value);
    value[0] = 9;
    byte[] got = cache.get("k");
    assertArrayEquals(new byte[] {1, 2, 3}, got);
    got[1] = 9;
    assertArrayEquals(new byte[] {1, 2, 3}, cache.get("k"));
  }

  @Test
  void put_beyondTheLimit_evictsTheLeastRecentlyUsed() {
    RecordCache cache = new RecordCache();
    for (int i = 0; i < RecordCache.MAX_ENTRIES; i++) {
      cache.put("k" + i, new byte[] {(byte) i});
    }
    cache.get("k0"); // now the most recently used
    cache.put("new", new byte[] {1});
    assertEquals(RecordCache.MAX_ENTRIES, cache.size());
    assertArrayEquals(new byte[] {0}, cache.get("k0"));
    assertNull(cache.get("k1"), "the least recently used entry left");
  }

  @Test
  void removeAndClear_forget() {
    RecordCache cache = new RecordCache();
    cache.put("a", new byte[] {1});
    cache.put("b", new byte[] {2});
    cache.remove("a");
    assertNull(cache.get("a"));
    cache.clear();
    assertNull(cache.get("b"));
    assertEquals(0, cache.size());
  }

  @Test
  void key_separatesParts_soDifferentRowsNeverShareAKey() {
    assertNotEquals(RecordCache.key("sessions", "ab", 1), RecordCache.key("sessions", "a", "b1"));
    assertNotEquals(RecordCache.key("sessions", "a", 1), RecordCache.key("identities", "a", 1));
  }
}
