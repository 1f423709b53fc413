package org.sotto.client.storage;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.CountDownLatch;

/**
 * The process {@link LocalStoreCrashIntegrationTest} kills: stores messages whose units it reports
 * as durable once their commit completed, then messages whose commit is held back, then waits to be
 * killed. Prints one line per message: {@code committed GUID} or {@code pending GUID}.
 */
final class GroupCommitCrashChild {
  private GroupCommitCrashChild() {}

  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    int committed = Integer.parseInt(args[1]);
    int pending = Integer.parseInt(args[2]);
    LocalStore store = LocalStore.create(folder, "alice", null, new SecureRandom());
    for (int i = 0; i < committed; i++) {
      StoredMessage m = LocalStoreGroupCommitTest.message("committed " + i);
      store.<Void, RuntimeException>atomically(
          () -> {
            store.history().add(m);
            return null;
          });
      System.out.println("committed " + m.guid());
    }
    store.commitGateForTest = new CountDownLatch(1);
    for (int i = 0; i < pending; i++) {
      StoredMessage m = LocalStoreGroupCommitTest.message("pending " + i);
      LocalStore.Staged<Void> s =
          store.<Void, RuntimeException>atomicallyDeferred(
              () -> {
                store.history().add(m);
                return null;
              });
      if (s.durable().isDone()) {
        throw new AssertionError("committed although the committer is held back");
      }
      System.out.println("pending " + m.guid());
    }
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE); // Killed here, with the pending units not committed.
  }
}
