package org.sotto.bench.client;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.sotto.api.AccountId;
import org.sotto.bench.server.RawRelay;
import org.sotto.bench.server.ServerProcess;
import org.sotto.client.IncomingMessage;
import org.sotto.client.MessageListener;
import org.sotto.client.Receipt;
import org.sotto.client.ReceiveError;
import org.sotto.client.SottoClient;

/**
 * {@code bench/run client}: the client side of Sotto against one real server process on loopback
 * (started as {@code bench/run server} starts it). Prints one line per figure on stdout; progress
 * goes to stderr. bench/README.md defines each figure.
 *
 * <ul>
 *   <li>{@code figure=cli_first_message ms=… runs=… min=… max=…}: a cold {@code sotto send} process
 *       (a new JVM, as the {@code ./sotto} launcher starts it) sending the first message to a new
 *       contact: open the store, resolve the handle, fetch the bundle, PQXDH, encrypt, send, store,
 *       until it exits 0 after the server's 200.
 *   <li>{@code figure=sdk_end_to_end sotto=N/s baseline=M/s ratio=R}: two SDK clients in this JVM,
 *       Alice sending, Bob receiving with {@code startReceiving}; messages Bob has decrypted,
 *       stored and acked per second. Baseline: the same server's raw relay for one pair, without
 *       the SDK.
 * </ul>
 *
 * <pre>
 * java -cp … org.sotto.bench.client.ClientBench --server-classpath CP [--runs 5] [--seconds 10]
 *     [--warmup 10] [--figures a,b]
 * </pre>
 */
public final class ClientBench {
  /** The text of every benchmark message: 100 characters, like the protocol bench's payloads. */
  static final String TEXT = "x".repeat(100);

  /**
   * Messages Alice has sent and Bob has not yet received, at most: bounds the server queue so the
   * figure is sustained delivery, not acceptance into a backlog (as {@code relay_durable} does).
   */
  static final int WINDOW = 16;

  /**
   * Threads of Alice's app that send at the same time (as an app's send queue does): the SDK
   * encrypts one message at a time but keeps several in flight to the server, which commits them
   * together.
   */
  static final int SENDERS = 8;

  /** How long the sender waits for window room before checking whether to stop. */
  static final long WINDOW_POLL_MILLIS = 100;

  /** How long everything sent gets to arrive after the sender stops. */
  static final long DRAIN_SECONDS = 60;

  /** Longest a single cold CLI run may take before the bench fails. */
  static final long CLI_TIMEOUT_SECONDS = 120;

  /**
   * How often the CPU time of a running CLI process is read: its last few milliseconds of CPU are
   * missed, so the printed CPU time is a lower bound.
   */
  static final long CPU_POLL_MILLIS = 5;

  /** How long the check of the first-message runs waits for the last recipient's queue. */
  static final Duration RECEIVE_CHECK_TIMEOUT = Duration.ofSeconds(30);

  private ClientBench() {}

  /** Runs the benchmark; exits with 2 on bad arguments, 1 on a failure. */
  public static void main(String[] args) {
    ClientBenchOptions options;
    try {
      options = ClientBenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    try {
      run(options);
    } catch (Exception e) {
      System.err.print("bench failed: ");
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0);
  }

  private static void run(ClientBenchOptions options) throws Exception {
    Path java = Path.of(ProcessHandle.current().info().command().orElse("java"));
    Path tmp = Files.createTempDirectory("sotto-bench-client");
    log(
        "sotto client bench: figures=%s runs=%d warmup=%ss seconds=%ss jdk=%s",
        ClientBenchOptions.FIGURES.stream().filter(options::wants).toList(),
        options.runs(),
        options.warmup(),
        options.seconds(),
        Runtime.version());
    try (ServerProcess server =
        ServerProcess.start(
            java, options.serverClasspath(), tmp.resolve("data"), tmp.resolve("server.log"))) {
      log("bench: Sotto server (pid %d) listening on %s", server.pid(), server.uri());
      try {
        if (options.wants("cli_first_message")) {
          RunStats s = firstMessage(java, options, server, tmp.resolve("cli"));
          result(s.line("cli_first_message"));
        }
        SdkRun firstContact = null;
        SdkRun contacts = null;
        if (options.wants("sdk_end_to_end")) {
          firstContact = sdkEndToEnd(options, server, tmp.resolve("sdk"), false);
        }
        if (options.wants("sdk_contacts")) {
          contacts = sdkEndToEnd(options, server, tmp.resolve("sdk-contacts"), true);
        }
        if (firstContact != null || contacts != null) {
          log("bench: baseline, the raw relay for one pair");
          double baseline = RawRelay.onePairPerSecond(server, options.warmup(), options.seconds());
          if (firstContact != null) {
            result(sdkLine("sdk_end_to_end", firstContact, baseline));
          }
          if (contacts != null) {
            result(sdkLine("sdk_contacts", contacts, baseline));
          }
        }
      } catch (Exception | Error e) {
        log("bench: the last lines of the server's log:\n%s", server.logTail());
        throw e;
      }
    } finally {
      deleteTree(tmp);
    }
  }

  /**
   * Registers Alice (in a CLI config folder) and, per run, a new contact; times a cold {@code sotto
   * send} of Alice's first message to each.
   */
  private static RunStats firstMessage(
      Path java, ClientBenchOptions options, ServerProcess server, Path dir) throws Exception {
    Path config = dir.resolve("config");
    log("bench: cli_first_message, %d cold runs of 'sotto send' to a new contact", options.runs());
    SottoClient.register(server.uri(), "alice", config.resolve("alice"), null).close();
    double[] millis = new double[options.runs()];
    double[] cpuMillis = new double[options.runs()];
    String last = null;
    for (int i = 0; i < options.runs(); i++) {
      String contact = "contact" + i;
      Path contactStore = dir.resolve(contact);
      SottoClient.register(server.uri(), contact, contactStore, null).close();
      List<String> command = new ArrayList<>();
      if (options.launcherOrNull() != null) {
        command.add(options.launcherOrNull());
      } else {
        command.addAll(
            List.of(
                java.toString(),
                "--enable-native-access=ALL-UNNAMED",
                "-cp",
                options.serverClasspath(),
                "org.sotto.cli.SottoMain"));
      }
      command.addAll(
          List.of("--config", config.toString(), "send", "-m", "hello " + contact, contact));
      Path err = dir.resolve("send-" + i + ".err");
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectError(err.toFile());
      long t0 = System.nanoTime();
      Process p = pb.start();
      // The CPU time the process used, read while it runs (the OS forgets it at the exit).
      Duration cpu = Duration.ZERO;
      long deadline = t0 + TimeUnit.SECONDS.toNanos(CLI_TIMEOUT_SECONDS);
      while (!p.waitFor(CPU_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        cpu = p.info().totalCpuDuration().orElse(cpu);
        if (System.nanoTime() > deadline) {
          p.destroyForcibly();
          throw new IllegalStateException(
              "sotto send did not finish in " + CLI_TIMEOUT_SECONDS + " s");
        }
      }
      long t1 = System.nanoTime();
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "sotto send exited "
                + p.exitValue()
                + ": "
                + Files.readString(err, StandardCharsets.UTF_8));
      }
      millis[i] = (t1 - t0) / 1e6;
      cpuMillis[i] = cpu.toNanos() / 1e6;
      log("  run %d: %.0f ms (CPU time at least %.0f ms)", i + 1, millis[i], cpuMillis[i]);
      last = contact;
    }
    // The runs count only if the messages arrived: the last contact reads its first message.
    try (SottoClient c = SottoClient.open(dir.resolve(last), last, null)) {
      List<IncomingMessage> got =
          c.receiveUntilQueueEmpty(
              RECEIVE_CHECK_TIMEOUT,
              new MessageListener() {
                @Override
                public void onMessage(IncomingMessage message) {}
              });
      if (got.size() != 1 || !got.get(0).text().equals("hello " + last)) {
        throw new IllegalStateException(
            "the contact of the last run received " + got.size() + " messages, not its one");
      }
    }
    return RunStats.of(millis).withCpu(RunStats.of(cpuMillis).median());
  }

  /**
   * What {@code sdk_end_to_end} measured: messages Bob received per second, and the CPU time per
   * message of this JVM (both SDK clients) and of the server process over the same window.
   */
  record SdkRun(double perSecond, double clientCpuMicros, double serverCpuMicros) {}

  private static String sdkLine(String figure, SdkRun run, double baseline) {
    return RunStats.rateLine(figure, run.perSecond(), baseline)
        + String.format(
            Locale.ROOT,
            " client_cpu_us=%.0f server_cpu_us=%.0f",
            run.clientCpuMicros(),
            run.serverCpuMicros());
  }

  /** CPU time (user + system, all threads) a process has used so far, in microseconds. */
  private static double cpuMicros(ProcessHandle process) {
    return process
            .info()
            .totalCpuDuration()
            .orElseThrow(() -> new IllegalStateException("the OS does not report CPU time"))
            .toNanos()
        / 1e3;
  }

  /**
   * Alice sends to Bob as fast as a window of {@link #WINDOW} unreceived messages allows; returns
   * what Bob received (decrypted, stored, acked) per second over the measured window, and the CPU
   * time both processes spent per message meanwhile.
   */
  private static SdkRun sdkEndToEnd(
      ClientBenchOptions options, ServerProcess server, Path dir, boolean contacts)
      throws Exception {
    log(
        "bench: %s, two SDK clients through the server%s",
        contacts ? "sdk_contacts" : "sdk_end_to_end",
        contacts ? ", both receiving (Alice's sends are sealed once Bob's receipts arrive)" : "");
    try (SottoClient alice =
            SottoClient.register(
                server.uri(),
                (contacts ? "contacts_alice" : "sdk_alice"),
                dir.resolve("alice"),
                null);
        SottoClient bob =
            SottoClient.register(
                server.uri(), (contacts ? "contacts_bob" : "sdk_bob"), dir.resolve("bob"), null)) {
      AtomicLong received = new AtomicLong();
      AtomicLong sent = new AtomicLong();
      Semaphore window = new Semaphore(WINDOW);
      AtomicReference<Throwable> failure = new AtomicReference<>();
      bob.startReceiving(
          new MessageListener() {
            @Override
            public void onMessage(IncomingMessage message) {
              if (!message.text().equals(TEXT)) {
                failure.compareAndSet(null, new IllegalStateException("a message arrived damaged"));
              }
              received.incrementAndGet();
              window.release();
            }

            @Override
            public void onError(ReceiveError error) {
              failure.compareAndSet(
                  null, new IllegalStateException("Bob could not read a message: " + error.kind()));
            }
          });
      // sdk_contacts: Alice's app receives too. Bob's delivery receipts bring his profile key, so
      // her later messages are sealed (and, her session being acknowledged, SignalMessages), as
      // between any two contacts. sdk_end_to_end: she only sends, every message a first-contact
      // PreKeySignalMessage, sent normally.
      AtomicLong receipts = new AtomicLong();
      if (contacts) {
        alice.startReceiving(
            new MessageListener() {
              @Override
              public void onMessage(IncomingMessage message) {
                failure.compareAndSet(
                    null, new IllegalStateException("Alice received a message nobody sent"));
              }

              @Override
              public void onReceipt(Receipt receipt) {
                receipts.incrementAndGet();
              }

              @Override
              public void onError(ReceiveError error) {
                failure.compareAndSet(
                    null,
                    new IllegalStateException("Alice could not read a receipt: " + error.kind()));
              }
            });
      }
      AccountId to = bob.accountId();
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> senders = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        senders.add(
            Thread.ofPlatform()
                .name("alice-sender-" + i)
                .start(
                    () -> {
                      try {
                        while (!stop.get()) {
                          if (window.tryAcquire(WINDOW_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                            alice.send(to, TEXT);
                            sent.incrementAndGet();
                          }
                        }
                      } catch (Exception e) {
                        failure.compareAndSet(null, e);
                      }
                    }));
      }
      SdkRun run;
      ProcessHandle self = ProcessHandle.current();
      ProcessHandle serverProcess =
          ProcessHandle.of(server.pid())
              .orElseThrow(() -> new IllegalStateException("the server process is gone"));
      try {
        watch(options.warmup(), "warm-up", received, failure, server);
        long r0 = received.get();
        long t0 = System.nanoTime();
        double client0 = cpuMicros(self);
        double server0 = cpuMicros(serverProcess);
        watch(options.seconds(), "measured", received, failure, server);
        long r1 = received.get();
        long t1 = System.nanoTime();
        if (r1 == r0) {
          throw new IllegalStateException("Bob received nothing in the measured time");
        }
        double messages = r1 - r0;
        run =
            new SdkRun(
                (r1 - r0) / ((t1 - t0) / 1e9),
                (cpuMicros(self) - client0) / messages,
                (cpuMicros(serverProcess) - server0) / messages);
        log(
            "  sdk: %d received in %.2f s = %.0f/s; CPU per message: SDKs %.0f us, server %.0f us",
            r1 - r0,
            (t1 - t0) / 1e9,
            run.perSecond(),
            run.clientCpuMicros(),
            run.serverCpuMicros());
      } finally {
        stop.set(true);
        for (Thread t : senders) {
          t.join();
        }
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
      while (received.get() < sent.get()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              (sent.get() - received.get()) + " messages sent were never received");
        }
        Thread.sleep(10);
      }
      bob.stopReceiving();
      if (contacts) {
        alice.stopReceiving();
        if (receipts.get() == 0) {
          throw new IllegalStateException("Alice received no delivery receipt from Bob");
        }
        log("  sdk: Alice received %d delivery receipts (batches) from Bob", receipts.get());
      }
      if (failure.get() != null) {
        throw new IllegalStateException("sdk_end_to_end failed", failure.get());
      }
      if (received.get() > sent.get()) {
        throw new IllegalStateException("Bob received more messages than Alice sent");
      }
      return run;
    }
  }

  /** Sleeps {@code seconds}, printing the rate and failing on an error, once a second. */
  private static void watch(
      double seconds,
      String phase,
      AtomicLong received,
      AtomicReference<Throwable> failure,
      ServerProcess server)
      throws Exception {
    long until = System.nanoTime() + Math.round(seconds * 1e9);
    long lastCount = received.get();
    long lastTime = System.nanoTime();
    while (System.nanoTime() < until) {
      Thread.sleep(Math.max(1, Math.min(1000, (until - System.nanoTime()) / 1_000_000)));
      if (failure.get() != null) {
        throw new IllegalStateException("sdk_end_to_end failed", failure.get());
      }
      server.checkAlive();
      long count = received.get();
      long time = System.nanoTime();
      log("  sdk %s: %.0f received/s", phase, (count - lastCount) / ((time - lastTime) / 1e9));
      lastCount = count;
      lastTime = time;
    }
  }

  private static void result(String line) {
    System.out.println(line);
    System.out.flush();
  }

  private static void log(String format, Object... args) {
    System.err.println(String.format(Locale.ROOT, format, args));
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(walk.toList());
      all.sort(Comparator.reverseOrder());
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (Exception e) {
      log("bench: could not delete %s: %s", dir, e);
    }
  }
}
