package org.sotto.server.store.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.sotto.server.store.StoreException;

class GrouperTest {
  private record Item(int n, CompletableFuture<Integer> result) implements Grouper.Op {
    Item(int n) {
      this(n, new CompletableFuture<>());
    }
  }

  @Test
  void submit_whileThreadBusy_groupsWaitingItemsUpToMaxGroup() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
    try (Grouper<Item> g =
        new Grouper<>(
            "test-grouper",
            1,
            4,
            100,
            group -> {
              sizes.add(group.size());
              try {
                release.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              group.forEach(i -> i.result().complete(i.n() * 10));
            })) {
      List<Item> items = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        Item item = new Item(i);
        items.add(item);
        g.submit(item);
      }
      release.countDown();
      for (Item item : items) {
        assertEquals(item.n() * 10, item.result().get(10, TimeUnit.SECONDS));
      }
      assertEquals(9, sizes.stream().mapToInt(Integer::intValue).sum());
      assertTrue(sizes.stream().allMatch(s -> s <= 4), sizes.toString());
      assertTrue(sizes.size() < 9, "items waiting behind a busy thread were grouped: " + sizes);
    }
  }

  @Test
  void work_throws_failsItsGroupWithStoreException_andKeepsServing() throws Exception {
    try (Grouper<Item> g =
        new Grouper<>(
            "test-grouper",
            1,
            8,
            100,
            group -> {
              if (group.get(0).n() < 0) {
                throw new IllegalStateException("boom");
              }
              group.forEach(i -> i.result().complete(i.n()));
            })) {
      Item bad = new Item(-1);
      g.submit(bad);
      CompletionException e = assertThrows(CompletionException.class, bad.result()::join);
      assertInstanceOf(StoreException.class, e.getCause());
      Item good = new Item(7);
      g.submit(good);
      assertEquals(7, good.result().get(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void close_finishesWaitingItems_thenLaterSubmitsFail() throws Exception {
    Grouper<Item> g =
        new Grouper<>(
            "test-grouper", 2, 8, 100, group -> group.forEach(i -> i.result().complete(i.n())));
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Item item = new Item(i);
      items.add(item);
      g.submit(item);
    }
    g.close();
    for (Item item : items) {
      assertEquals(item.n(), item.result().getNow(-1));
    }
    Item late = new Item(1);
    g.submit(late);
    CompletionException e = assertThrows(CompletionException.class, late.result()::join);
    assertInstanceOf(StoreException.class, e.getCause());
  }
}
