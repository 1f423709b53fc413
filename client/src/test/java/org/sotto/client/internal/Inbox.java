package org.sotto.client.internal;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.ReceiveError;

/** A listener that queues what arrives, for tests to wait on. */
final class Inbox implements MessageListener {
  static final long WAIT_SECONDS = 30;

  final BlockingQueue<IncomingMessage> messages = new LinkedBlockingQueue<>();
  final BlockingQueue<ReceiveError> errors = new LinkedBlockingQueue<>();

  @Override
  public void onMessage(IncomingMessage message) {
    messages.add(message);
  }

  @Override
  public void onError(ReceiveError error) {
    errors.add(error);
  }

  /** The next {@code n} messages' texts, failing if they do not arrive in time. */
  List<String> texts(int n) throws InterruptedException {
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      IncomingMessage m = messages.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(m, "message " + i + " of " + n + " did not arrive");
      out.add(m.text());
    }
    return out;
  }

  ReceiveError nextError() throws InterruptedException {
    ReceiveError e = errors.poll(WAIT_SECONDS, TimeUnit.SECONDS);
    assertNotNull(e, "no error event arrived");
    return e;
  }
}
