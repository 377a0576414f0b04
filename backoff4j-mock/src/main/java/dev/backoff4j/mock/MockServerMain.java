package dev.backoff4j.mock;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the mock standalone until interrupted (Ctrl-C), for load tests and manual poking:
 *
 * <pre>
 * java -cp ... dev.backoff4j.mock.MockServerMain [--port N] [--script LIST] [--fault-rate SPEC]
 *     [--rpm N] [--tpm N] [--window DUR] [--latency DUR] [--scenario FILE] [--api-key KEY]
 *     [--io-threads N]
 * </pre>
 *
 * Flags mean what they mean for {@code backoff4j mock}; flags given after {@code --scenario}
 * override the file. Prints {@code listening on http://127.0.0.1:PORT/v1}.
 */
public final class MockServerMain {
  private MockServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    MockServer.Builder server = MockServer.builder();
    Scenario.Builder scenario = Scenario.builder();
    try {
      for (int i = 0; i < args.length; i++) {
        String flag = args[i];
        if (flag.equals("--help") || flag.equals("-h")) {
          System.out.println("usage: MockServerMain [--port N] [--script LIST] [--fault-rate SPEC] [--rpm N] "
              + "[--tpm N] [--window DUR] [--latency DUR] [--scenario FILE] [--api-key KEY] [--io-threads N]");
          return;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(flag + " needs a value");
        }
        String value = args[++i];
        switch (flag) {
          case "--port": server.port(integer(flag, value)); break;
          case "--io-threads": server.ioThreads(integer(flag, value)); break;
          case "--script": scenario.script(value); break;
          case "--fault-rate": scenario.faultRates(value); break;
          case "--rpm": scenario.rpm(integer(flag, value)); break;
          case "--tpm": scenario.tpm(integer(flag, value)); break;
          case "--window": scenario.window(value); break;
          case "--latency": scenario.latency(value); break;
          case "--scenario": scenario = Scenario.fromJson(Path.of(value)).toBuilder(); break;
          case "--api-key": scenario.apiKey(value); break;
          default: throw new IllegalArgumentException("unknown flag " + flag + " (try --help)");
        }
      }
      server.scenario(scenario.build());
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    try (MockServer running = server.start()) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        running.close();
        stopped.countDown();
      }, "backoff4j-mock-shutdown"));
      System.out.println("listening on " + running.baseUrl());
      stopped.await();
    }
  }

  private static int integer(String flag, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": '" + value + "' is not a whole number");
    }
  }
}
