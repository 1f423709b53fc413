package org.sotto.server.store;

import org.sotto.api.Address;
import org.sotto.api.proto.Envelope;

/**
 * An envelope in a device's queue: its destination, its position in that queue and the envelope.
 * Immutable.
 */
public record QueuedEnvelope(Address destination, long seq, Envelope envelope) {}
