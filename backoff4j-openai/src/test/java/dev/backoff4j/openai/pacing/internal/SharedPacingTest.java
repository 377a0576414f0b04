package dev.backoff4j.openai.pacing.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.headers.RateLimits;
import dev.backoff4j.openai.headers.ServerHint;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.PacerListener;
import dev.backoff4j.openai.pacing.SharedStoreBack;
import dev.backoff4j.openai.pacing.SharedStoreDown;
import dev.backoff4j.openai.pacing.TokenEstimate;
import dev.backoff4j.openai.spi.SharedPacingStore;
import dev.backoff4j.testkit.VirtualTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The pacer with a shared store, on virtual time: which wait it uses, how it paces alone while the
 * store is down, what it tells the store. The store here is a recording stand-in; the real one (Redis)
 * is tested against a real redis-server in backoff4j-redis.
 */
class SharedPacingTest {

  private static final SharedPacingStore.Scope ACCOUNT =
      SharedPacingStore.Scope.of("https://api.example.com/v1", "key:sk-secret-123", "");

  private final VirtualTime time = new VirtualTime();
  private final RecordingStore store = new RecordingStore();
  private final List<Object> events = new CopyOnWriteArrayList<>();

  private DefaultPacer pacer(double requestsPerMinute) {
    return (DefaultPacer) Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO)
        .requestsPerMinute(requestsPerMinute).sharedStore(store)
        .addListener(new PacerListener() {
          @Override
          public void onSharedStoreDown(SharedStoreDown event) {
            events.add(event);
          }

          @Override
          public void onSharedStoreBack(SharedStoreBack event) {
            events.add(event);
          }
        }).build();
  }

  private static TokenEstimate chat(long prompt, long max) {
    return new TokenEstimate("gpt-4o-mini", prompt, max, 1);
  }

  private static RateLimits limits(Map<String, String> headers) {
    Map<String, List<String>> lists = new java.util.HashMap<>();
    headers.forEach((name, value) -> lists.put(name, List.of(value)));
    return RateLimits.from(Headers.of(lists));
  }

  @Test
  void theFleetsWaitReplacesTheLocalBucketsWait() {
    DefaultPacer pacer = pacer(60);
    store.answer(() -> reserved(Duration.ofMillis(2_500)));
    Reservation reservation = pacer.reserve(chat(10, 10), ACCOUNT).join();
    // The local bucket is full (60 requests); the fleet's queue says 2.5 s.
    assertThat(reservation.waitTime()).isEqualTo(Duration.ofMillis(2_500));
    assertThat(reservation.sharedWithFleet()).isTrue();
    assertThat(store.reserved).singleElement().satisfies(call -> {
      assertThat(call.scope().limitGroup()).isEqualTo("gpt-4o-mini");
      assertThat(call.limits().requests()).isEqualTo(60);
      // The fleet refills at 98 % of the learned rate (see Lane.FLEET_RATE_SHARE).
      assertThat(call.limits().requestPeriod()).isEqualTo(Duration.ofNanos(Math.round(60e9 / 0.98)));
      assertThat(call.limits().limitsTokens()).isFalse();
    });
  }

  @Test
  void theLanesOwnBucketsStillHoldARequestTheFleetWouldLetGo() {
    // The lane's buckets follow the server's headers (which count the whole fleet): when this
    // process alone would overrun them, the fleet's "go" is not enough.
    DefaultPacer pacer = pacer(1);
    store.answer(() -> reserved(Duration.ZERO));
    assertThat(pacer.reserve(chat(10, 10), ACCOUNT).join().waitTime()).isZero();
    assertThat(pacer.reserve(chat(10, 10), ACCOUNT).join().waitTime()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void aPauseAfterA429StillHoldsTheFleetsReservations() {
    DefaultPacer pacer = pacer(60);
    store.answer(() -> reserved(Duration.ZERO));
    Reservation first = pacer.reserve(chat(10, 10), ACCOUNT).join();
    pacer.onRateLimited(first, RateLimits.none(), Optional.of(new ServerHint(Duration.ofSeconds(3), "retry-after")));
    assertThat(pacer.reserve(chat(10, 10), ACCOUNT).join().waitTime()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void aScopeWithoutKnownLimitsNeverAsksTheStore() {
    DefaultPacer pacer = (DefaultPacer) Pacer.builder().timeSource(time).sharedStore(store).build();
    assertThat(pacer.reserve(chat(10, 10), ACCOUNT).join().sharedWithFleet()).isFalse();
    assertThat(store.reserved).isEmpty();
  }

  @Test
  void whileTheStoreIsDownTheProcessPacesOnItsShareStartingEmpty() {
    DefaultPacer pacer = pacer(60); // 1 a second for the fleet; 3 instances: 1 every 3 s each
    store.instances = 3;
    store.answer(() -> new SharedPacingStore.Unavailable("TIMEOUT after 250 ms"));
    Reservation first = pacer.reserve(chat(10, 10), ACCOUNT).join();
    assertThat(first.sharedWithFleet()).isFalse();
    assertThat(first.waitTime()).isEqualTo(Duration.ofSeconds(3));
    assertThat(pacer.reserve(chat(10, 10), ACCOUNT).join().waitTime()).isEqualTo(Duration.ofSeconds(6));
    time.advance(Duration.ofSeconds(6));
    assertThat(pacer.reserve(chat(10, 10), ACCOUNT).join().waitTime()).isEqualTo(Duration.ofSeconds(3));
    assertThat(events).containsExactly(new SharedStoreDown("TIMEOUT after 250 ms", 3));
  }

  @Test
  void pacingAloneStartsBehindWhatTheFleetHadQueuedForThisProcess() {
    DefaultPacer pacer = pacer(60);
    store.instances = 3;
    store.answer(() -> reserved(Duration.ofSeconds(5)));
    pacer.reserve(chat(10, 10), ACCOUNT).join(); // due in 5 s
    store.answer(() -> new SharedPacingStore.Unavailable("CONNECTION_LOST"));
    // Alone: one every 3 s, starting after the one the fleet queued for 5 s from now.
    assertThat(pacer.reserve(chat(10, 10), ACCOUNT).join().waitTime()).isEqualTo(Duration.ofSeconds(8));
  }

  @Test
  void rejoiningTheFleetStartsBehindWhatWasQueuedAlone() {
    DefaultPacer pacer = pacer(60);
    store.instances = 3;
    store.answer(() -> new SharedPacingStore.Unavailable("CONNECTION_LOST"));
    pacer.reserve(chat(10, 10), ACCOUNT).join(); // alone: due in 3 s
    pacer.reserve(chat(10, 10), ACCOUNT).join(); // 6 s
    time.advance(Duration.ofSeconds(1));
    store.answer(() -> reserved(Duration.ZERO));
    // The fleet's bucket came back empty-handed for nobody: this process still sends its own queue first.
    assertThat(pacer.reserve(chat(10, 10), ACCOUNT).join().waitTime()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void whileDownOnlyOneReservationPerProbeIntervalWaitsForTheStore() {
    DefaultPacer pacer = pacer(6_000);
    store.answer(() -> new SharedPacingStore.Unavailable("NOT_CONNECTED"));
    for (int i = 0; i < 20; i++) {
      pacer.reserve(chat(10, 10), ACCOUNT).join();
    }
    assertThat(store.reserved).hasSize(1);
    time.advance(Duration.ofNanos(DefaultPacer.PROBE_INTERVAL_NANOS));
    for (int i = 0; i < 20; i++) {
      pacer.reserve(chat(10, 10), ACCOUNT).join();
    }
    assertThat(store.reserved).hasSize(2);
  }

  @Test
  void theStoreAnsweringAgainEndsPacingAloneAndIsReportedOnce() {
    DefaultPacer pacer = pacer(60);
    store.answer(() -> new SharedPacingStore.Unavailable("CONNECTION_LOST"));
    pacer.reserve(chat(10, 10), ACCOUNT).join();
    time.advance(Duration.ofSeconds(4));
    store.answer(() -> reserved(Duration.ZERO));
    Reservation back = pacer.reserve(chat(10, 10), ACCOUNT).join();
    assertThat(back.sharedWithFleet()).isTrue();
    assertThat(back.waitTime()).isZero();
    pacer.reserve(chat(10, 10), ACCOUNT).join();
    assertThat(events).containsExactly(new SharedStoreDown("CONNECTION_LOST", 1),
        new SharedStoreBack(Duration.ofSeconds(4)));
    assertThat(pacer.sharedStoreDown()).isFalse();
  }

  @Test
  void aStoreFutureThatFailsIsTreatedAsDownNeverAsAFailedRequest() {
    DefaultPacer pacer = pacer(60);
    store.answer(() -> {
      throw new IllegalStateException("broken store");
    });
    Reservation reservation = pacer.reserve(chat(10, 10), ACCOUNT).join();
    assertThat(reservation.sharedWithFleet()).isFalse();
    assertThat(events).singleElement().isInstanceOf(SharedStoreDown.class);
  }

  @Test
  void usageCorrectsTheFleetsTokensByTheDifference() {
    DefaultPacer pacer = (DefaultPacer) Pacer.builder().timeSource(time).requestsPerMinute(60)
        .tokensPerMinute(60_000).sharedStore(store).build();
    store.answer(() -> new SharedPacingStore.Reserved(0, 300, "receipt"));
    Reservation reservation = pacer.reserve(chat(100, 200), ACCOUNT).join();
    assertThat(store.reserved).singleElement().satisfies(call -> assertThat(call.tokens()).isEqualTo(300));
    pacer.onResponse(reservation, RateLimits.none(), new DefaultPacer.Usage(100, 20, 120));
    assertThat(store.corrections).containsExactly(-180L);
  }

  @Test
  void exactUsageSendsNoCorrection() {
    DefaultPacer pacer = (DefaultPacer) Pacer.builder().timeSource(time).requestsPerMinute(60)
        .tokensPerMinute(60_000).sharedStore(store).build();
    store.answer(() -> new SharedPacingStore.Reserved(0, 300, "receipt"));
    Reservation reservation = pacer.reserve(chat(100, 200), ACCOUNT).join();
    pacer.onResponse(reservation, RateLimits.none(), new DefaultPacer.Usage(100, 200, 300));
    assertThat(store.corrections).isEmpty();
  }

  @Test
  void a429DrainsTheBucketThatRanDryForTheWholeFleet() {
    DefaultPacer pacer = pacer(60);
    store.answer(() -> reserved(Duration.ZERO));
    Reservation reservation = pacer.reserve(chat(10, 10), ACCOUNT).join();
    pacer.onRateLimited(reservation, limits(Map.of("x-ratelimit-remaining-requests", "5",
            "x-ratelimit-remaining-tokens", "0")), Optional.of(new ServerHint(Duration.ofMillis(700), "retry-after-ms")));
    assertThat(store.drains).containsExactly("tokens for 700ms");
    // A second 429 inside the same pause is the same pause: the fleet is drained once.
    pacer.onRateLimited(reservation, RateLimits.none(), Optional.of(new ServerHint(Duration.ofMillis(100), "retry-after-ms")));
    assertThat(store.drains).hasSize(1);
  }

  @Test
  void a429WithoutHeadersDrainsBothBuckets() {
    DefaultPacer pacer = pacer(60);
    store.answer(() -> reserved(Duration.ZERO));
    Reservation reservation = pacer.reserve(chat(10, 10), ACCOUNT).join();
    pacer.onRateLimited(reservation, RateLimits.none(), Optional.empty());
    assertThat(store.drains).containsExactly("requests tokens for 1000ms");
  }

  @Test
  void limitsLearnedFromHeadersArePublishedAndReservationsCarryThem() {
    DefaultPacer pacer = pacer(60);
    store.answer(() -> reserved(Duration.ZERO));
    Reservation reservation = pacer.reserve(chat(10, 10), ACCOUNT).join();
    // 60 used of 600, full again in 5999 ms: at least 59 were used, so the server refills at least
    // 59 / 5.9995 s (half a millisecond of rounding), 590 a minute; the fleet gets 98 % of that.
    pacer.onResponse(reservation, limits(Map.of("x-ratelimit-limit-requests", "600",
        "x-ratelimit-remaining-requests", "540", "x-ratelimit-reset-requests", "5999ms")), null);
    assertThat(store.published).singleElement().satisfies(limits -> {
      assertThat(limits.requests()).isEqualTo(600);
      assertThat(limits.requestPeriod()).isEqualTo(Duration.ofNanos(Math.round(600 / (59 / 5.9995e9 * 0.98))));
    });
    pacer.reserve(chat(10, 10), ACCOUNT).join();
    assertThat(store.reserved.get(1).limits().requests()).isEqualTo(600);
  }

  @Test
  void aRateFromATinyDeficitIsNotShared() {
    DefaultPacer pacer = pacer(60);
    store.answer(() -> reserved(Duration.ZERO));
    Reservation reservation = pacer.reserve(chat(10, 10), ACCOUNT).join();
    // One used, full in 70 ms: 857 a minute by the lane's estimate, which nothing proves (the one
    // may be 0.1): the fleet is told the capacity per minute instead.
    pacer.onResponse(reservation, limits(Map.of("x-ratelimit-limit-requests", "600",
        "x-ratelimit-remaining-requests", "599", "x-ratelimit-reset-requests", "70ms")), null);
    assertThat(store.published).singleElement()
        .satisfies(limits -> assertThat(limits.requestPeriod()).isEqualTo(Duration.ofNanos(Math.round(60e9 / 0.98))));
  }

  @Test
  void theRateSharedIsTheHighestTheHeadersProve() {
    DefaultPacer pacer = pacer(60);
    store.answer(() -> reserved(Duration.ZERO));
    // A server refilling 10 a second, capacity 600; each answer proves (used - 1) / (reset + 0.5 ms).
    String[][] answers = {{"598", "150ms"}, {"590", "1001ms"}, {"595", "420ms"}};
    for (String[] answer : answers) {
      pacer.onResponse(pacer.reserve(chat(10, 10), ACCOUNT).join(), limits(Map.of("x-ratelimit-limit-requests", "600",
          "x-ratelimit-remaining-requests", answer[0], "x-ratelimit-reset-requests", answer[1])), null);
    }
    // 1 / 150.5 ms = 6.6/s, then 9 / 1001.5 ms = 8.99/s, then 4 / 420.5 ms = 9.51/s: the best bound wins.
    assertThat(store.published.get(2).requestPeriod())
        .isEqualTo(Duration.ofNanos(Math.round(600 / (4 / 420.5e6 * 0.98))));
  }

  @Test
  void aCancelledReservationIsGivenBackToTheFleet() {
    DefaultPacer pacer = pacer(60);
    store.answer(() -> reserved(Duration.ofSeconds(1)));
    Reservation reservation = pacer.reserve(chat(10, 10), ACCOUNT).join();
    pacer.cancel(reservation);
    assertThat(store.cancelled).containsExactly(reservation.shared);
  }

  @Test
  void withoutAnAccountThePacerPacesLocally() {
    DefaultPacer pacer = pacer(60);
    assertThat(pacer.reserve(chat(10, 10), null).join().sharedWithFleet()).isFalse();
    assertThat(store.reserved).isEmpty();
  }

  @Test
  void theScopeKeepsOnlyADigestOfTheKey() {
    assertThat(ACCOUNT.accountDigest()).doesNotContain("sk-secret").hasSize(64);
    assertThat(ACCOUNT.toString()).doesNotContain("sk-secret").doesNotContain(ACCOUNT.accountDigest());
    assertThat(SharedPacingStore.Scope.of("u", "key:sk-secret-123", "m"))
        .isEqualTo(new SharedPacingStore.Scope("u", ACCOUNT.accountDigest(), "m"));
    assertThat(SharedPacingStore.Scope.of("u", "key:sk-other", "m").accountDigest()).isNotEqualTo(ACCOUNT.accountDigest());
  }

  private static SharedPacingStore.Reserved reserved(Duration wait) {
    return new SharedPacingStore.Reserved(wait.toNanos(), 0, new Object());
  }

  /** Answers reservations as told and records every call. */
  static final class RecordingStore implements SharedPacingStore {
    record Call(Scope scope, Limits limits, long tokens) {}

    final List<Call> reserved = new CopyOnWriteArrayList<>();
    final List<Long> corrections = new CopyOnWriteArrayList<>();
    final List<Reserved> cancelled = new CopyOnWriteArrayList<>();
    final List<String> drains = new CopyOnWriteArrayList<>();
    final List<Limits> published = new CopyOnWriteArrayList<>();
    volatile int instances = 1;
    private volatile Supplier<Outcome> answer = () -> new Unavailable("not told");

    void answer(Supplier<Outcome> answer) {
      this.answer = answer;
    }

    @Override
    public CompletableFuture<Outcome> reserve(Scope scope, Limits limits, long tokens) {
      reserved.add(new Call(scope, limits, tokens));
      try {
        return CompletableFuture.completedFuture(answer.get());
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    @Override
    public void correctTokens(Scope scope, Limits limits, long delta) {
      corrections.add(delta);
    }

    @Override
    public void cancel(Scope scope, Limits limits, Reserved reservation) {
      cancelled.add(reservation);
    }

    @Override
    public void drain(Scope scope, Limits limits, boolean requests, boolean tokens, Duration pause) {
      drains.add(((requests ? "requests " : "") + (tokens ? "tokens " : "")) + "for " + pause.toMillis() + "ms");
    }

    @Override
    public void publishLimits(Scope scope, Limits learned) {
      published.add(learned);
    }

    @Override
    public int liveInstances(Scope scope) {
      return instances;
    }

    @Override
    public void close() {}
  }
}
