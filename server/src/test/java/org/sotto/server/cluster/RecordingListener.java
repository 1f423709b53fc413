package org.sotto.server.cluster;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.sotto.api.AccountId;
import org.sotto.api.Address;
import org.sotto.server.messages.MessageBus;

/** A bus listener and forgetter that records what it was told. Thread-safe. */
final class RecordingListener implements MessageBus.Listener, RedisMessageBus.Forgetter {
  final AtomicInteger mail = new AtomicInteger();
  final List<MessageBus.CloseReason> closes = new CopyOnWriteArrayList<>();
  final List<Object> forgotten = new CopyOnWriteArrayList<>();

  @Override
  public void mail() {
    mail.incrementAndGet();
  }

  @Override
  public void close(MessageBus.CloseReason reason) {
    closes.add(reason);
  }

  @Override
  public void forget(Address device) {
    forgotten.add(device);
  }

  @Override
  public void forget(AccountId account) {
    forgotten.add(account);
  }
}
