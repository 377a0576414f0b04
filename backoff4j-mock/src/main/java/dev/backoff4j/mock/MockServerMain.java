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
 * override the file. Prints {@code listening on http://127.0.0.1:PORT/v1}; exits with status 2
 * and a message naming the bad flag on invalid arguments.
 */
public final class MockServerMain {
  static final String USAGE = "usage: MockServerMain [--port N] [--script LIST] [--fault-rate SPEC] [--rpm N] "
      + "[--tpm N] [--window DUR] [--latency DUR] [--scenario FILE] [--api-key KEY] [--io-threads N]";

  private MockServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
      System.out.println(USAGE);
      return;
    }
    MockServer.Builder builder;
    try {
      builder = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    MockServer server = builder.start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "backoff4j-mock-shutdown"));
    System.out.println("listening on " + server.baseUrl());
    stopped.await();
  }

  /**
   * Turns the flags into a server builder (not yet started).
   *
   * @throws IllegalArgumentException naming the bad flag or value
   */
  static MockServer.Builder parse(String[] args) {
    MockServer.Builder server = MockServer.builder();
    Scenario.Builder scenario = Scenario.builder();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag + " needs a value");
      }
      String value = args[++i];
      switch (flag) {
        case "--port": server.port(integer(flag, value)); break;
        case "--io-threads": server.ioThreads(integer(flag, value)); break;
        case "--script": scenario.script(value); break;
        case "--fault-rate": scenario.faultRates(value); break;
        case "--rpm": scenario.rpm(wholeNumber(flag, value)); break;
        case "--tpm": scenario.tpm(wholeNumber(flag, value)); break;
        case "--window": scenario.window(value); break;
        case "--latency": scenario.latency(value); break;
        case "--scenario": scenario = Scenario.fromJson(Path.of(value)).toBuilder(); break;
        case "--api-key": scenario.apiKey(value); break;
        default: throw new IllegalArgumentException("unknown flag " + flag);
      }
    }
    return server.scenario(scenario.build());
  }

  private static int integer(String flag, String value) {
    long number = wholeNumber(flag, value);
    if (number != (int) number) {
      throw new IllegalArgumentException(flag + ": '" + value + "' is too large");
    }
    return (int) number;
  }

  private static long wholeNumber(String flag, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + ": '" + value + "' is not a whole number", e);
    }
  }
}
