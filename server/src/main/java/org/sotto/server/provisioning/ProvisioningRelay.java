package org.sotto.server.provisioning;

import java.util.function.BiPredicate;

/**
 * Carries a provisioning message to another server node when the new device's socket waits there
 * (cluster mode). The message is the already encrypted provisioning body: it is relayed, never
 * stored or logged. Implementations are thread-safe.
 */
public interface ProvisioningRelay {
  /** The single-node relay: nothing waits anywhere else. */
  ProvisioningRelay NONE =
      new ProvisioningRelay() {
        @Override
        public void attach(BiPredicate<String, byte[]> local) {}

        @Override
        public void waiting(String address) {}

        @Override
        public void gone(String address) {}

        @Override
        public boolean relay(String address, byte[] body) {
          return false;
        }
      };

  /** Sets where messages for sockets of this node go (address, body → delivered). */
  void attach(BiPredicate<String, byte[]> local);

  /** A socket of this node now waits on {@code address}. */
  void waiting(String address);

  /** The socket on {@code address} was served or closed. */
  void gone(String address);

  /** Sends {@code body} to the node where {@code address} waits; false if none does. */
  boolean relay(String address, byte[] body);
}
