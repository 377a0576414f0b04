package dev.backoff4j.bench.scenarios;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One client in a JVM of its own, for the scenarios that need separate processes (S5's fleet of
 * processes, S6's burst): builds the contender's client, warms the JVM up, says {@code ready}, waits
 * for {@code go} on stdin, runs its share of the work and prints {@code result <json>}
 * ({@link ChildReport}). Started by {@link ClientProcess}; stdout carries only that protocol
 * (everything else printed goes to stderr).
 *
 * <pre>
 * ClientProcessMain --contender NAME --base-url URL --load closed|burst --requests N
 *     [--concurrency C] [--cut-off-ms MS] [--warm-up-calls N] [--warm-up-ms MS] [--redis redis://HOST:PORT]
 * </pre>
 *
 * <p>{@code --redis} gives the client a pacer whose limit is shared through that Redis
 * ({@link SharedPacing}, the seam for the fleet store); only {@code backoff4j-paced} takes it.
 * Exits 0 after the result, 2 on bad arguments, 3 if stdin closed before {@code go}.
 */
public final class ClientProcessMain {

  private static final Set<String> FLAGS =
      Set.of("--contender", "--base-url", "--load", "--requests", "--concurrency", "--cut-off-ms", "--warm-up-calls",
          "--warm-up-ms", "--redis");
  private static final int WARM_UP_WORKERS = 16;

  private ClientProcessMain() {}

  public static void main(String[] args) throws Exception {
    PrintStream protocol = System.out;
    System.setOut(System.err);
    Map<String, String> flags;
    try {
      flags = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ClientProcessMain: " + e.getMessage());
      System.exit(2);
      return;
    }
    System.exit(run(flags, protocol));
  }

  static Map<String, String> parse(String[] args) {
    Map<String, String> flags = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!FLAGS.contains(args[i])) {
        throw new IllegalArgumentException("unknown argument " + args[i] + "; known: " + FLAGS);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(args[i] + " needs a value");
      }
      flags.put(args[i], args[++i]);
    }
    for (String required : List.of("--contender", "--base-url", "--load", "--requests")) {
      if (!flags.containsKey(required)) {
        throw new IllegalArgumentException(required + " is required");
      }
    }
    String load = flags.get("--load");
    if (!load.equals("closed") && !load.equals("burst")) {
      throw new IllegalArgumentException("--load must be closed or burst, was " + load);
    }
    positive(flags, "--requests", null);
    positive(flags, "--concurrency", "64");
    positive(flags, "--cut-off-ms", "60000");
    notNegative(flags, "--warm-up-calls");
    notNegative(flags, "--warm-up-ms");
    if (flags.containsKey("--redis") && !flags.get("--contender").equals(Contenders.BACKOFF4J_PACED)) {
      throw new IllegalArgumentException("--redis is for --contender " + Contenders.BACKOFF4J_PACED + " only");
    }
    return flags;
  }

  private static int run(Map<String, String> flags, PrintStream protocol) throws Exception {
    String baseUrl = flags.get("--base-url");
    int requests = positive(flags, "--requests", null);
    int concurrency = positive(flags, "--concurrency", "64");
    Duration cutOff = Duration.ofMillis(positive(flags, "--cut-off-ms", "60000"));
    WarmUp warmUp = new WarmUp(notNegative(flags, "--warm-up-calls"),
        Duration.ofMillis(notNegative(flags, "--warm-up-ms")));
    Contender plain = Contenders.byName(flags.get("--contender"));
    String redis = flags.get("--redis");
    Contender contender = redis == null ? plain
        : Contenders.backoff4jPacedSharedThrough(plain.name() + "+redis", redis);
    boolean burst = flags.get("--load").equals("burst");

    if (warmUp.calls() > 0 || !warmUp.atLeast().isZero()) {
      // A throwaway client (the plain contender: a shared pacer would learn the warm-up's limits).
      try (ChatCaller warm = plain.open(baseUrl)) {
        warmUp.run(warm, WARM_UP_WORKERS);
        if (burst) {
          LoadRun.burst(warm, Math.max(1, warmUp.calls()), Duration.ofSeconds(30));
        }
      }
    }
    try (ChatCaller caller = contender.open(baseUrl)) {
      protocol.println("ready");
      protocol.flush();
      String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      if (!"go".equals(line)) {
        System.err.println("ClientProcessMain: expected 'go' on stdin, got " + line);
        return 3;
      }
      long go = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      int before = threads.getThreadCount();
      threads.resetPeakThreadCount();
      LoadRun.Result result = burst ? LoadRun.burst(caller, requests, cutOff)
          : LoadRun.closedLoop(caller, requests, concurrency, cutOff);
      int peak = threads.getPeakThreadCount();
      protocol.println("result " + ChildReport.of(go, before, peak, result).toJson());
      protocol.flush();
    }
    return 0;
  }

  private static int notNegative(Map<String, String> flags, String flag) {
    String text = flags.getOrDefault(flag, "0");
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, was " + text);
    }
    if (value < 0) {
      throw new IllegalArgumentException(flag + " must not be negative, was " + value);
    }
    return value;
  }

  private static int positive(Map<String, String> flags, String flag, String fallback) {
    String text = flags.getOrDefault(flag, fallback);
    int value;
    try {
      value = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " must be a whole number, was " + text);
    }
    if (value < 1) {
      throw new IllegalArgumentException(flag + " must be at least 1, was " + value);
    }
    return value;
  }
}
