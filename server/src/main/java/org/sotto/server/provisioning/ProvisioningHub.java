package org.sotto.server.provisioning;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The provisioning sockets waiting for their message, by random address. In memory only: a
 * provisioning message is relayed to a live socket or refused, never stored. In cluster mode a
 * {@link ProvisioningRelay} carries a message to the node where the socket waits. Thread-safe.
 */
public final class ProvisioningHub {
  /**
   * Most sockets waiting at once: the socket is unauthenticated, so the table is bounded; 10,000 is
   * far above the number of people linking a device at the same moment on one server.
   */
  public static final int MAX_WAITING = 10_000;

  /** Random bytes per address: 128 bits, so addresses cannot be guessed. */
  static final int ADDRESS_BYTES = 16;

  /** Longest address accepted in a path (base64url of 16 bytes is 22 characters). */
  static final int MAX_ADDRESS_CHARS = 64;

  private final ConcurrentHashMap<String, ProvisioningSocket> waiting = new ConcurrentHashMap<>();
  private final SecureRandom random;
  private final ProvisioningRelay relay;

  /** A single-node hub drawing addresses from {@code random}. */
  public ProvisioningHub(SecureRandom random) {
    this(random, ProvisioningRelay.NONE);
  }

  /** A hub whose sockets are also reachable from other nodes through {@code relay}. */
  public ProvisioningHub(SecureRandom random, ProvisioningRelay relay) {
    this.random = random;
    this.relay = relay;
    relay.attach(this::deliverLocal);
  }

  /**
   * Delivers {@code body} to the socket waiting on {@code address}, on this node or (through the
   * relay) on another; false if no socket waits there or it could not take the message.
   */
  boolean deliver(String address, byte[] body) {
    if (address.length() > MAX_ADDRESS_CHARS) {
      return false;
    }
    ProvisioningSocket socket = waiting.remove(address);
    if (socket != null) {
      relay.gone(address);
      return socket.deliver(body);
    }
    return relay.relay(address, body);
  }

  /** Delivers {@code body} to a socket of this node only (messages relayed from other nodes). */
  public boolean deliverLocal(String address, byte[] body) {
    if (address.length() > MAX_ADDRESS_CHARS) {
      return false;
    }
    ProvisioningSocket socket = waiting.remove(address);
    return socket != null && socket.deliver(body);
  }

  /**
   * Registers {@code socket} under a fresh address; empty when {@link #MAX_WAITING} are waiting.
   */
  Optional<String> add(ProvisioningSocket socket) {
    if (waiting.size() >= MAX_WAITING) {
      return Optional.empty();
    }
    while (true) {
      byte[] bytes = new byte[ADDRESS_BYTES];
      random.nextBytes(bytes);
      String address = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
      if (waiting.putIfAbsent(address, socket) == null) {
        relay.waiting(address);
        return Optional.of(address);
      }
    }
  }

  /** Forgets {@code address} if {@code socket} still holds it. */
  void remove(String address, ProvisioningSocket socket) {
    if (waiting.remove(address, socket)) {
      relay.gone(address);
    }
  }

  /** Sockets waiting now. */
  public int size() {
    return waiting.size();
  }
}
