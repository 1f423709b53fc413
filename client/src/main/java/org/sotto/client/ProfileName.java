package org.sotto.client;

import java.util.Objects;
import java.util.Optional;

/**
 * The profile name of an account as this device can read it: the name, or why there is none. {@link
 * #toString()} leaves the name out. Immutable.
 *
 * @param name the decrypted name; present exactly when {@link #status()} is {@link Status#OK}
 * @param status what was found
 */
public record ProfileName(Optional<String> name, Status status) {
  /** What became of a profile name lookup. */
  public enum Status {
    /** The name was decrypted. */
    OK,
    /** The account set no name (or an empty one). */
    NOT_SET,
    /**
     * This device does not know the account's profile key: no message from it has arrived yet (a
     * stranger's name cannot be read).
     */
    NO_PROFILE_KEY,
    /**
     * The stored profile does not decrypt under the key we know: the account changed its key since
     * its last message, or the blob was damaged or forged.
     */
    UNREADABLE
  }

  /** Checks that a name is present exactly for {@link Status#OK}. */
  public ProfileName {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    if (name.isPresent() != (status == Status.OK)) {
      throw new IllegalArgumentException("name: present exactly when the status is OK");
    }
  }

  /** A decrypted name. */
  public static ProfileName of(String name) {
    return new ProfileName(Optional.of(name), Status.OK);
  }

  /** No name, for {@code status}. */
  public static ProfileName none(Status status) {
    return new ProfileName(Optional.empty(), status);
  }

  @Override
  public String toString() {
    return "ProfileName[" + status + "]";
  }
}
