package dev.backoff4j.openai.pacing.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.backoff4j.openai.headers.RateLimits;
import dev.backoff4j.openai.headers.ServerHint;
import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.pacing.Paced;
import dev.backoff4j.openai.pacing.Pacer;
import dev.backoff4j.openai.pacing.PacerListener;
import dev.backoff4j.openai.pacing.PacerStats;
import dev.backoff4j.openai.pacing.Paused;
import dev.backoff4j.openai.pacing.TokenEstimate;
import dev.backoff4j.testkit.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The pacer's arithmetic on virtual time: seeds, header learning, pauses, usage, fairness. */
class PacerTest {

  private final VirtualTime time = new VirtualTime();

  /** The pacer the builder makes, driven directly as the pipeline's pacing step drives it. */
  private final class Settings {
    private final Pacer.Builder builder = Pacer.builder().timeSource(time).jitterAllowance(Duration.ZERO);

    Settings requestsPerMinute(double value) {
      builder.requestsPerMinute(value);
      return this;
    }

    Settings tokensPerMinute(double value) {
      builder.tokensPerMinute(value);
      return this;
    }

    Settings assumedCompletionTokens(long value) {
      builder.assumedCompletionTokens(value);
      return this;
    }

    Settings pauseWithoutHint(Duration value) {
      builder.pauseWithoutHint(value);
      return this;
    }

    Settings addListener(PacerListener listener) {
      builder.addListener(listener);
      return this;
    }

    DefaultPacer build() {
      return (DefaultPacer) builder.build();
    }
  }

  private Settings pacer() {
    return new Settings();
  }

  private static TokenEstimate chat(long prompt, long max) {
    return new TokenEstimate("gpt-4o-mini", prompt, max, 1);
  }

  private static RateLimits limits(long limitRequests, long remainingRequests, String resetRequests,
      long limitTokens, long remainingTokens, String resetTokens) {
    return RateLimits.from(Headers.of(Map.of(
        "x-ratelimit-limit-requests", List.of(String.valueOf(limitRequests)),
        "x-ratelimit-remaining-requests", List.of(String.valueOf(remainingRequests)),
        "x-ratelimit-reset-requests", List.of(resetRequests),
        "x-ratelimit-limit-tokens", List.of(String.valueOf(limitTokens)),
        "x-ratelimit-remaining-tokens", List.of(String.valueOf(remainingTokens)),
        "x-ratelimit-reset-tokens", List.of(resetTokens))));
  }

  @Test
  void unknownLimitsNeverHoldAnyoneBack() {
    DefaultPacer pacer = pacer().build();
    for (int i = 0; i < 10_000; i++) {
      assertThat(pacer.reserve(chat(100, 100)).waitTime()).isZero();
    }
    assertThat(pacer.stats().paced()).isZero();
    assertThat(pacer.stats().reservations()).isEqualTo(10_000);
  }

  @Test
  void aSeededRequestLimitLetsTheFullBucketGoThenSpacesTheRestEvenly() {
    DefaultPacer pacer = pacer().requestsPerMinute(60).build();
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 63; i++) {
      waits.add(pacer.reserve(chat(10, 10)).waitTime());
    }
    assertThat(waits.subList(0, 60)).allMatch(Duration::isZero);
    assertThat(waits.subList(60, 63)).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3));
  }

  @Test
  void aSeededTokenLimitWaitsForTheRefillOfTheTokensAsked() {
    DefaultPacer pacer = pacer().tokensPerMinute(6_000).build(); // 100 tokens a second
    assertThat(pacer.reserve(chat(5_000, 1_000)).waitTime()).isZero();
    assertThat(pacer.reserve(chat(150, 50)).waitTime()).isEqualTo(Duration.ofSeconds(2));
    time.advance(Duration.ofSeconds(2));
    assertThat(pacer.reserve(chat(100, 0)).waitTime()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void headersTeachTheLimitTheRefillRateAndWhatIsLeft() {
    DefaultPacer pacer = pacer().build();
    Reservation first = pacer.reserve(chat(10, 10));
    // 100 requests per 10 s window: after using all of it, the bucket is full again in 10 s.
    pacer.onResponse(first, limits(100, 0, "10s", 1_000_000, 999_980, "1ms"), null);
    assertThat(pacer.reserve(chat(10, 10)).waitTime()).isEqualTo(Duration.ofMillis(100));
    assertThat(pacer.reserve(chat(10, 10)).waitTime()).isEqualTo(Duration.ofMillis(200));
    PacerStats.Limit requests = pacer.stats().scopes().get(0).requests();
    assertThat(requests.known()).isTrue();
    assertThat(requests.fromHeaders()).isTrue();
    assertThat(requests.capacity()).isEqualTo(100);
    assertThat(requests.perMinute()).isCloseTo(600, within(0.001));
  }

  @Test
  void headersShowingCapacityReleaseASeedThatWasTooCautious() {
    DefaultPacer pacer = pacer().requestsPerMinute(2).build();
    Reservation first = pacer.reserve(chat(10, 10));
    pacer.reserve(chat(10, 10));
    assertThat(pacer.reserve(chat(10, 10)).waitTime()).isEqualTo(Duration.ofSeconds(30));
    // The server: 10,000 a minute, 9,999 left after the first request.
    pacer.onResponse(first, limits(10_000, 9_999, "6ms", 1_000_000, 999_980, "1ms"), null);
    for (int i = 0; i < 9_000; i++) {
      assertThat(pacer.reserve(chat(10, 10)).waitTime()).isZero();
    }
  }

  @Test
  void whatWasReservedAfterARequestIsSubtractedFromWhatItsResponseSaysIsLeft() {
    DefaultPacer pacer = pacer().build();
    Reservation first = pacer.reserve(chat(10, 10));
    for (int i = 0; i < 4; i++) {
      pacer.reserve(chat(10, 10)); // in flight; the server had not counted them yet
    }
    // 2 left after the first, 4 more on their way: the bucket is 2 short; it refills at 1 per second.
    pacer.onResponse(first, limits(60, 2, "58s", 1_000_000, 999_980, "1ms"), null);
    assertThat(pacer.reserve(chat(10, 10)).waitTime()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void anOlderResponseArrivingLateDoesNotUndoANewerCorrection() {
    DefaultPacer pacer = pacer().build();
    Reservation older = pacer.reserve(chat(10, 10));
    Reservation newer = pacer.reserve(chat(10, 10));
    pacer.onResponse(newer, limits(60, 0, "60s", 1_000_000, 999_980, "1ms"), null);
    pacer.onResponse(older, limits(60, 59, "1s", 1_000_000, 999_990, "1ms"), null);
    assertThat(pacer.reserve(chat(10, 10)).waitTime()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void anAnswerCountsEarlierRequestsStillUnansweredAsPossiblyChargedAfterIt() {
    DefaultPacer pacer = pacer().build();
    Reservation earlier = pacer.reserve(chat(10, 10));
    Reservation later = pacer.reserve(chat(10, 10));
    // The later request reached the server first: 59 of 60 left, the earlier one not charged yet.
    pacer.onResponse(later, limits(60, 59, "1s", 1_000_000, 999_980, "1ms"), null);
    for (int i = 0; i < 58; i++) {
      assertThat(pacer.reserve(chat(10, 10)).waitTime()).as("request " + i).isZero();
    }
    assertThat(pacer.reserve(chat(10, 10)).waitTime()).as("the 59th would be one too many").isPositive();
    // The earlier answer shows it was charged after (58 left): nothing to give back.
    pacer.onResponse(earlier, limits(60, 58, "2s", 1_000_000, 999_960, "1ms"), null);
    assertThat(pacer.reserve(chat(10, 10)).waitTime()).isGreaterThan(Duration.ofSeconds(1));
  }

  @Test
  void aRequestThatFailsWithoutAnAnswerNoLongerCountsAsPossiblyChargedLater() {
    DefaultPacer pacer = pacer().build();
    Reservation lost = pacer.reserve(chat(10, 10));
    Reservation answered = pacer.reserve(chat(10, 10));
    pacer.onNoAnswer(lost);
    pacer.onResponse(answered, limits(60, 58, "2s", 1_000_000, 999_980, "1ms"), null);
    for (int i = 0; i < 58; i++) {
      assertThat(pacer.reserve(chat(10, 10)).waitTime()).as("request " + i).isZero();
    }
  }

  @Test
  void aRateLimit429PausesTheWholeScopeUntilItsHintExpires() {
    List<Paused> pauses = new CopyOnWriteArrayList<>();
    DefaultPacer pacer = pacer().addListener(new PacerListener() {
      @Override
      public void onPaused(Paused event) {
        pauses.add(event);
      }
    }).build();
    Reservation waiting = pacer.reserve(chat(10, 10));
    Reservation limited = pacer.reserve(chat(10, 10));
    pacer.onRateLimited(limited, RateLimits.none(), Optional.of(new ServerHint(Duration.ofMillis(1500), "retry-after-ms")));

    assertThat(pacer.reserve(chat(10, 10)).waitTime()).isEqualTo(Duration.ofMillis(1500));
    assertThat(pacer.pauseLeft(waiting)).isEqualTo(Duration.ofMillis(1500)); // reserved before, waits too
    time.advance(Duration.ofMillis(1500));
    assertThat(pacer.pauseLeft(waiting)).isZero();
    assertThat(pauses).containsExactly(new Paused("gpt-4o-mini", Duration.ofMillis(1500), "retry-after-ms"));
    assertThat(pacer.stats().pauses()).isEqualTo(1);
  }

  @Test
  void a429WithoutHintPausesForTheConfiguredDefault() {
    DefaultPacer pacer = pacer().pauseWithoutHint(Duration.ofMillis(700)).build();
    pacer.onRateLimited(pacer.reserve(chat(1, 1)), RateLimits.none(), Optional.empty());
    assertThat(pacer.reserve(chat(1, 1)).waitTime()).isEqualTo(Duration.ofMillis(700));
  }

  @Test
  void a429WithHeadersWaitsForTheRefillTheHeadersImply() {
    DefaultPacer pacer = pacer().build();
    Reservation limited = pacer.reserve(chat(10, 10));
    pacer.onRateLimited(limited, limits(10, 0, "1s", 1_000, 1_000, "0s"), Optional.of(new ServerHint(Duration.ofMillis(100), "retry-after-ms")));
    // Paused 100 ms, and then one request per 100 ms: the next three go at 100, 200, 300 ms.
    assertThat(pacer.reserve(chat(1, 1)).waitTime()).isEqualTo(Duration.ofMillis(100));
    assertThat(pacer.reserve(chat(1, 1)).waitTime()).isEqualTo(Duration.ofMillis(200));
    assertThat(pacer.reserve(chat(1, 1)).waitTime()).isEqualTo(Duration.ofMillis(300));
  }

  @Test
  void eachModelHasItsOwnLimits() {
    DefaultPacer pacer = pacer().build();
    Reservation mini = pacer.reserve(new TokenEstimate("gpt-4o-mini", 1, 1, 1));
    pacer.onResponse(mini, limits(60, 0, "60s", 1_000, 1_000, "0s"), null);
    assertThat(pacer.reserve(new TokenEstimate("gpt-4o-mini", 1, 1, 1)).waitTime()).isEqualTo(Duration.ofSeconds(1));
    assertThat(pacer.reserve(new TokenEstimate("gpt-4o", 1, 1, 1)).waitTime()).isZero();
    assertThat(pacer.stats().scopes()).extracting(PacerStats.Scope::model).containsExactly("gpt-4o", "gpt-4o-mini");
  }

  @Test
  void usageTeachesTheCompletionSizeAssumedForRequestsWithoutAMaximum() {
    DefaultPacer pacer = pacer().assumedCompletionTokens(1_000).tokensPerMinute(60_000).build();
    Reservation first = pacer.reserve(chat(100, -1));
    assertThat(first.tokens()).isEqualTo(1_100);
    for (int i = 0; i < 30; i++) {
      pacer.onResponse(pacer.reserve(chat(100, -1)), RateLimits.none(), new DefaultPacer.Usage(100, 40, 140));
    }
    assertThat(pacer.reserve(chat(100, -1)).tokens()).isBetween(140L, 145L);
    assertThat(pacer.reserve(new TokenEstimate("gpt-4o-mini", 100, -1, 3)).tokens()).isBetween(220L, 235L);
    assertThat(pacer.reserve(chat(100, 10)).tokens()).isEqualTo(110); // a stated maximum wins
  }

  @Test
  void usageCalibratesThePromptEstimateToTheServersCount() {
    DefaultPacer pacer = pacer().build();
    for (int i = 0; i < 40; i++) {
      pacer.onResponse(pacer.reserve(chat(100, 20)), RateLimits.none(), new DefaultPacer.Usage(50, 20, 70));
    }
    assertThat(pacer.reserve(chat(100, 20)).tokens()).isBetween(70L, 71L);
  }

  @Test
  void withoutTokenHeadersUsageGivesBackWhatTheEstimateOvercharged() {
    DefaultPacer pacer = pacer().tokensPerMinute(600).build(); // 10 tokens a second
    Reservation big = pacer.reserve(chat(100, 500));
    pacer.onResponse(big, RateLimits.none(), new DefaultPacer.Usage(100, 20, 120)); // 480 tokens given back
    assertThat(pacer.reserve(chat(480, 0)).waitTime()).isZero();
    assertThat(pacer.reserve(chat(10, 0)).waitTime()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void withTokenHeadersTheServersLedgerWinsOverUsage() {
    DefaultPacer pacer = pacer().build();
    Reservation big = pacer.reserve(chat(100, 500));
    pacer.onResponse(big, limits(1_000, 999, "60ms", 600, 0, "60s"), new DefaultPacer.Usage(100, 20, 120));
    assertThat(pacer.reserve(chat(10, 0)).waitTime()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aCancelledReservationGivesItsCapacityBack() {
    DefaultPacer pacer = pacer().requestsPerMinute(60).build();
    for (int i = 0; i < 60; i++) {
      pacer.reserve(chat(1, 1));
    }
    Reservation unsent = pacer.reserve(chat(1, 1));
    assertThat(unsent.waitTime()).isEqualTo(Duration.ofSeconds(1));
    pacer.cancel(unsent);
    assertThat(pacer.reserve(chat(1, 1)).waitTime()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void acquireSleepsOnTheTimeSourceAndReportsThePacedTime() throws InterruptedException {
    List<Paced> paced = new CopyOnWriteArrayList<>();
    DefaultPacer pacer = pacer().requestsPerMinute(1).addListener(new PacerListener() {
      @Override
      public void onPaced(Paced event) {
        paced.add(event);
      }
    }).build();
    pacer.acquire(chat(1, 1));
    pacer.acquire(chat(1, 1));
    assertThat(time.sleeps()).containsExactly(Duration.ofMinutes(1));
    assertThat(paced).containsExactly(new Paced("gpt-4o-mini", 2, Duration.ofMinutes(1)));
    PacerStats stats = pacer.stats();
    assertThat(stats.paced()).isEqualTo(1);
    assertThat(stats.totalWait()).isEqualTo(Duration.ofMinutes(1));
    assertThat(stats.longestWait()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void concurrentCallersQueueInOrderWithoutGapsOrOverlaps() throws Exception {
    DefaultPacer pacer = pacer().requestsPerMinute(600).build(); // 10 a second after the first 600
    ExecutorService threads = Executors.newFixedThreadPool(8);
    List<Future<Duration>> futures = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      futures.add(threads.submit(() -> pacer.reserve(chat(1, 1)).waitTime()));
    }
    List<Duration> waits = new ArrayList<>();
    for (Future<Duration> future : futures) {
      waits.add(future.get());
    }
    threads.shutdown();
    assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    Collections.sort(waits);
    for (int i = 0; i < 1_000; i++) {
      long expectedMillis = i < 600 ? 0 : (i - 599) * 100L;
      assertThat(waits.get(i)).isEqualTo(Duration.ofMillis(expectedMillis));
    }
  }

  @Test
  void aListenerThatThrowsChangesNothing() {
    DefaultPacer pacer = pacer().requestsPerMinute(1).addListener(new PacerListener() {
      @Override
      public void onPaced(Paced event) {
        throw new IllegalStateException("boom");
      }
    }).build();
    pacer.reserve(chat(1, 1));
    assertThat(pacer.reserve(chat(1, 1)).waitTime()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void theJitterAllowanceKeepsSomeRefillInHandWithoutLoweringTheRate() {
    DefaultPacer pacer = (DefaultPacer) Pacer.builder().timeSource(time).requestsPerMinute(600).build(); // 10/s, 100 ms = 1 request
    List<Duration> waits = new ArrayList<>();
    for (int i = 0; i < 603; i++) {
      waits.add(pacer.reserve(chat(1, 1)).waitTime());
    }
    // One request (100 ms of refill) stays in hand; after that, still one every 100 ms.
    assertThat(waits.subList(0, 599)).allMatch(Duration::isZero);
    assertThat(waits.subList(599, 603)).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200),
        Duration.ofMillis(300), Duration.ofMillis(400));
  }

  @Test
  void invalidSettingsAreNamed() {
    assertThatThrownBy(() -> Pacer.builder().jitterAllowance(Duration.ofMillis(-1)).build())
        .hasMessageContaining("'jitterAllowance'");
    assertThatThrownBy(() -> Pacer.builder().requestsPerMinute(0).build())
        .hasMessage("pacer setting 'requestsPerMinute' must be a positive number, was 0.0");
    assertThatThrownBy(() -> Pacer.builder().tokensPerMinute(Double.POSITIVE_INFINITY).build())
        .hasMessageContaining("'tokensPerMinute'");
    assertThatThrownBy(() -> Pacer.builder().assumedCompletionTokens(-1).build())
        .hasMessageContaining("'assumedCompletionTokens'");
    assertThatThrownBy(() -> Pacer.builder().pauseWithoutHint(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("'pauseWithoutHint'");
  }
}
