package org.sotto.protocol.interop;

/** Which implementation starts a scenario: every interop scenario runs once each way. */
enum Direction {
  SOTTO_INITIATES("Sotto initiates → libsignal responds"),
  LIBSIGNAL_INITIATES("libsignal initiates → Sotto responds");

  private final String description;

  Direction(String description) {
    this.description = description;
  }

  @Override
  public String toString() {
    return description;
  }
}
