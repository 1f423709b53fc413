package org.sotto.bench;

import java.security.SecureRandom;
import java.util.Locale;

/** The figures of the protocol benchmark, with the batch sizes {@code bench.mjs} uses. */
enum Figure {
  SESSION_SETUP(16),
  TWO_WAY(64),
  ONE_WAY(64),
  GROUP_ENCRYPT(64),
  GROUP_DECRYPT(64);

  private final int batchSize;

  Figure(int batchSize) {
    this.batchSize = batchSize;
  }

  /** Ops per timed batch. */
  int batchSize() {
    return batchSize;
  }

  /** The name used on the command line and in the output, e.g. {@code session_setup}. */
  String key() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@link #key()}. */
  static Figure fromKey(String key) {
    for (Figure f : values()) {
      if (f.key().equals(key)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown figure "
            + key
            + "; known: session_setup,two_way,one_way,group_encrypt,group_decrypt");
  }

  /** A fresh workload on fresh parties; its setup is not measured. */
  Workload newWorkload(byte[] message, SecureRandom rng) throws Exception {
    return switch (this) {
      case SESSION_SETUP -> new SessionSetupWorkload(message, rng);
      case TWO_WAY -> ConversationWorkload.create(message, true, rng);
      case ONE_WAY -> ConversationWorkload.create(message, false, rng);
      case GROUP_ENCRYPT -> new GroupWorkload(message, false, rng);
      case GROUP_DECRYPT -> new GroupWorkload(message, true, rng);
    };
  }
}
