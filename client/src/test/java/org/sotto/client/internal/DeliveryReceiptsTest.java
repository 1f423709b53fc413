package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.sotto.api.AccountId;

class DeliveryReceiptsTest {
  record Sent(AccountId to, List<Long> timestamps) {}

  private static AccountId account() {
    return AccountId.parse(UUID.randomUUID().toString());
  }

  @Test
  void flush_receiptsFromOneSender_goOutAsOneBatchPerSender() throws Exception {
    List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    AccountId alice = account();
    AccountId carol = account();
    try (DeliveryReceipts r = new DeliveryReceipts((to, ts) -> sent.add(new Sent(to, ts)))) {
      r.add(alice, 1);
      r.add(carol, 5);
      r.add(alice, 2);
      r.add(alice, 3);
      r.flush();
      r.flush(); // Nothing left: no second batch.
    }
    assertEquals(List.of(new Sent(alice, List.of(1L, 2L, 3L)), new Sent(carol, List.of(5L))), sent);
  }

  @Test
  void add_withoutFlush_sendsAfterTheDelay() throws Exception {
    CountDownLatch done = new CountDownLatch(1);
    List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    AccountId alice = account();
    try (DeliveryReceipts r =
        new DeliveryReceipts(
            (to, ts) -> {
              sent.add(new Sent(to, ts));
              done.countDown();
            })) {
      long t0 = System.nanoTime();
      r.add(alice, 7);
      r.add(alice, 8);
      assertTrue(done.await(10, TimeUnit.SECONDS), "the timer sends the batch");
      assertTrue(
          System.nanoTime() - t0 >= DeliveryReceipts.DELAY.toNanos() / 2,
          "not before the batch had time to gather");
    }
    assertEquals(List.of(new Sent(alice, List.of(7L, 8L))), sent);
  }

  @Test
  void flush_moreThanOneContentHolds_splitsAtTheContentLimit() throws Exception {
    List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
    AccountId alice = account();
    int n = Content.MAX_RECEIPT_TIMESTAMPS + 5;
    try (DeliveryReceipts r = new DeliveryReceipts((to, ts) -> sent.add(new Sent(to, ts)))) {
      for (long t = 1; t <= n; t++) {
        r.add(alice, t);
      }
      r.flush();
    }
    List<Long> all = new ArrayList<>();
    for (Sent s : sent) {
      assertTrue(s.timestamps().size() <= Content.MAX_RECEIPT_TIMESTAMPS, "within the limit");
      all.addAll(s.timestamps());
    }
    assertEquals(
        LongStream.rangeClosed(1, n).boxed().toList(), all, "every receipt, once, in order");
  }
}
