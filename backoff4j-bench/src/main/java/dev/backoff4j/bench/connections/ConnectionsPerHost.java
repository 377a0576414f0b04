package dev.backoff4j.bench.connections;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiClientBuilder;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * N concurrent asynchronous chat calls from one lean client to one host, counting what they cost: TCP
 * connections to the host's port while they run and after (client side, from {@code ss -tn}), and
 * the JVM's threads. Run the server in another process, so its threads and sockets are not counted:
 *
 * <pre>
 * java -jar backoff4j-cli/target/backoff4j.jar mock --port 18941 --latency 200ms &amp;
 * java -cp backoff4j-bench/target/benchmarks.jar dev.backoff4j.bench.connections.ConnectionsPerHost \
 *     http://127.0.0.1:18941/v1 10000 [maxConnectionsPerHost]
 * </pre>
 *
 * Linux only ({@code ss}).
 */
public final class ConnectionsPerHost {

  private ConnectionsPerHost() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: ConnectionsPerHost BASE_URL CALLS [MAX_CONNECTIONS_PER_HOST]");
      System.exit(2);
    }
    String baseUrl = args[0];
    int calls = Integer.parseInt(args[1]);
    int port = URI.create(baseUrl).getPort();
    OpenAiClientBuilder builder = OpenAiClient.builder().baseUrl(baseUrl).apiKey("sk-bench");
    if (args.length > 2) {
      builder.maxConnectionsPerHost(Integer.parseInt(args[2]));
    }
    OpenAiClient client = builder.build();
    ChatRequest request = ChatRequest.of("gpt-4o-mini", ChatMessage.user("hi"));
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    long start = System.nanoTime();
    List<CompletableFuture<?>> futures = new ArrayList<>(calls);
    for (int i = 0; i < calls; i++) {
      futures.add(client.chat().createAsync(request));
    }
    CompletableFuture<Void> all = CompletableFuture.allOf(futures.toArray(new CompletableFuture[0]));
    int peakConnections = 0;
    while (!all.isDone()) {
      peakConnections = Math.max(peakConnections, established(port));
      Thread.sleep(200);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long failed = futures.stream().filter(CompletableFuture::isCompletedExceptionally).count();
    Thread.sleep(500);
    System.out.printf("calls=%d failed=%d seconds=%.1f peakConnections=%d peakThreads=%d "
            + "connectionsAfter=%d threadsAfter=%d%n", calls, failed, seconds, peakConnections,
        threads.getPeakThreadCount(), established(port), threads.getThreadCount());
    System.exit(0);
  }

  /** Established TCP connections from this machine to {@code port}. */
  private static int established(int port) throws Exception {
    Process ss = new ProcessBuilder("ss", "-Htn", "state", "established", "( dport = :" + port + " )").start();
    String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
    ss.waitFor();
    return (int) out.lines().filter(line -> !line.isBlank()).count();
  }
}
