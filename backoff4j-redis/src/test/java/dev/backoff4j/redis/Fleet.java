package dev.backoff4j.redis;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.PacerListener;
import dev.backoff4j.openai.pacing.SharedStoreBack;
import dev.backoff4j.openai.pacing.SharedStoreDown;
import dev.backoff4j.time.TimeSource;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Several members of a fleet in one JVM, as separate processes would be: each its own client, its own
 * pacer and (when shared) its own {@link RedisFleetPacing} with its own connection, all with the same
 * API key against one server. Closed together.
 */
final class Fleet implements AutoCloseable {

  static final String KEY = "sk-fleet-test-SECRET-0123456789";
  static final ChatRequest HELLO = ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hello fleet"));

  final List<Member> members = new ArrayList<>();
  final AtomicInteger completed = new AtomicInteger();

  /** One member: its client, pacer, store (null when alone) and what its pacer told its listener. */
  record Member(OpenAiClient client, Pacer pacer, RedisFleetPacing store, List<Object> events) {}

  /**
   * @param redisUrl the shared Redis, or {@code null} for members that pace alone
   * @param namespace the key prefix the members share
   */
  Fleet(int size, String baseUrl, String redisUrl, String namespace, UnaryOperator<RedisFleetPacing.Builder> settings) {
    for (int i = 0; i < size; i++) {
      List<Object> events = new CopyOnWriteArrayList<>();
      RedisFleetPacing store = redisUrl == null ? null
          : settings.apply(RedisFleetPacing.builder().redisUrl(redisUrl).keyPrefix(namespace)
              .connectTimeout(Duration.ofSeconds(5))).build();
      if (store != null) {
        awaitConnected(store);
      }
      Pacer pacer = Pacer.builder().sharedStore(store).addListener(new PacerListener() {
        @Override
        public void onSharedStoreDown(SharedStoreDown event) {
          events.add(event);
        }

        @Override
        public void onSharedStoreBack(SharedStoreBack event) {
          events.add(event);
        }
      }).build();
      OpenAiClient client = OpenAiClient.builder()
          .environment(name -> null)
          .baseUrl(baseUrl)
          .apiKey(KEY)
          .retryPolicy(OpenAiRetryPolicy.builder(TimeSource.system()).budget(null).retryLogLevel(Level.OFF)
              .maxElapsed(Duration.ofSeconds(40)).build())
          .pacer(pacer)
          .build();
      members.add(new Member(client, pacer, store, events));
    }
  }

  /** The first connection of a JVM is slow while Lettuce loads; wait for it, bounded. */
  static void awaitConnected(RedisFleetPacing store) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    try {
      while (!store.connected().get(10, TimeUnit.SECONDS)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no connection to Redis: " + store);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("no connection to Redis: " + store, e);
    }
  }

  /**
   * Every member sends {@code requestsEach} chat requests from {@code workersEach} threads, all at
   * once; bounded by {@code limit}.
   *
   * @return the failures, as messages (empty when every request succeeded)
   */
  List<String> run(int requestsEach, int workersEach, Duration limit) throws InterruptedException {
    List<String> failures = new CopyOnWriteArrayList<>();
    ExecutorService workers = Executors.newFixedThreadPool(members.size() * workersEach);
    try {
      List<Future<?>> tasks = new ArrayList<>();
      for (Member member : members) {
        AtomicInteger left = new AtomicInteger(requestsEach);
        for (int w = 0; w < workersEach; w++) {
          tasks.add(workers.submit(() -> {
            while (left.getAndDecrement() > 0) {
              try {
                member.client().chat().create(HELLO);
              } catch (RuntimeException e) {
                failures.add(e.getClass().getSimpleName() + ": " + e.getMessage());
              }
              completed.incrementAndGet();
            }
          }));
        }
      }
      workers.shutdown();
      if (!workers.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        failures.add("not done within " + limit);
      }
    } finally {
      workers.shutdownNow();
    }
    return failures;
  }

  @Override
  public void close() {
    for (Member member : members) {
      if (member.store() != null) {
        member.store().close();
      }
    }
  }
}
