package org.sotto.server.messages;

import org.sotto.api.AccountId;
import org.sotto.api.Address;

/**
 * Tells the connection holding a device's delivery WebSocket that something happened to that
 * device: new mail was committed, a newer connection replaced it, or the device is gone. The
 * in-process {@link LocalMessageBus} serves one node; a cluster implementation (Redis pub/sub)
 * publishes the same events to every node. Events carry addresses only, never contents.
 * Implementations are thread-safe; listeners must not block.
 */
public interface MessageBus {
  /** Why a live connection is being closed by the server. */
  enum CloseReason {
    /** A newer connection for the same device took over. */
    REPLACED(4001, "replaced by a newer connection"),
    /** The device was removed or its account deleted. */
    DEVICE_GONE(4002, "device removed");

    private final int code;
    private final String reason;

    CloseReason(int code, String reason) {
      this.code = code;
      this.reason = reason;
    }

    /** The WebSocket close code (4000-4999: application codes). */
    public int code() {
      return code;
    }

    /** The close reason sent to the client. */
    public String reason() {
      return reason;
    }
  }

  /** Receives the events of one connected device. Called on the publisher's thread: no blocking. */
  interface Listener {
    /** Envelopes were committed to the device's queue. */
    void mail();

    /** The connection must end for {@code reason}. */
    void close(CloseReason reason);
  }

  /** A listener's registration; closing it removes that listener only, never a newer one. */
  interface Registration extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Makes {@code listener} the device's one live connection; an older listener for the device (on
   * any node) is told {@link CloseReason#REPLACED}.
   */
  Registration register(Address device, Listener listener);

  /** New envelopes for {@code device} are durably committed. */
  void mail(Address device);

  /** {@code device} was removed: its connection is closed. */
  void removed(Address device);

  /** {@code account} was deleted: the connections of all its devices are closed. */
  void accountDeleted(AccountId account);
}
