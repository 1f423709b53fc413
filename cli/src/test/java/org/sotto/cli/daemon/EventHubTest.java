package org.sotto.cli.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fan-out of events with bounded buffers. */
class EventHubTest {
  private static final Duration SHORT = Duration.ofMillis(50);

  @Test
  void publish_reachesEverySubscriberInSseForm() throws Exception {
    EventHub hub = new EventHub();
    EventHub.Subscription a = hub.subscribe();
    EventHub.Subscription b = hub.subscribe();

    hub.publish("message", "{\"text\":\"hi\"}");

    String expected = "event: message\ndata: {\"text\":\"hi\"}\n\n";
    assertEquals(expected, a.next(SHORT));
    assertEquals(expected, b.next(SHORT));
    assertNull(a.next(SHORT), "nothing more: time for a keepalive");
  }

  @Test
  void format_splitsLinesSoDataCannotInjectEvents() {
    assertEquals(
        "event: message\ndata: a\ndata: event: fake\n\n",
        EventHub.format("message", "a\nevent: fake"));
  }

  @Test
  void slowSubscriber_isDroppedWithoutBlockingOthers() throws Exception {
    EventHub hub = new EventHub();
    EventHub.Subscription slow = hub.subscribe();
    EventHub.Subscription fast = hub.subscribe();
    List<String> got = new ArrayList<>();

    for (int i = 0; i <= EventHub.SUBSCRIBER_BUFFER; i++) {
      hub.publish("message", Integer.toString(i));
      got.add(fast.next(SHORT));
    }

    assertTrue(slow.dropped());
    assertThrows(InterruptedException.class, () -> slow.next(SHORT));
    assertEquals(1, hub.size());
    assertEquals(EventHub.SUBSCRIBER_BUFFER + 1, got.size());
    assertEquals("event: message\ndata: 0\n\n", got.get(0));
  }

  @Test
  void subscribe_beyondTheLimit_isRefused() {
    EventHub hub = new EventHub();
    for (int i = 0; i < EventHub.MAX_SUBSCRIBERS; i++) {
      assertTrue(hub.subscribe() != null);
    }
    assertNull(hub.subscribe());
  }
}
