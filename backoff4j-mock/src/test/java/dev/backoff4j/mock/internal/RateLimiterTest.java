package dev.backoff4j.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.mock.RateLimit;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong now = new AtomicLong(5_000_000_000L);

  private RateLimiter limiter(long rpm, long tpm, Duration window) {
    return new RateLimiter(new RateLimit(rpm, tpm, window), now::get);
  }

  @Test
  void fullBucketAllowsUpToTheLimitThenRejects() {
    RateLimiter limiter = limiter(3, 1_000, Duration.ofSeconds(60));

    assertThat(limiter.charge("k", 10).allowed()).isTrue();
    assertThat(limiter.charge("k", 10).allowed()).isTrue();
    RateLimiter.Decision third = limiter.charge("k", 10);
    RateLimiter.Decision fourth = limiter.charge("k", 10);

    assertThat(third.allowed()).isTrue();
    assertThat(third.remainingRequests()).isZero();
    assertThat(third.remainingTokens()).isEqualTo(970);
    assertThat(fourth.allowed()).isFalse();
    assertThat(fourth.tokenLimited()).isFalse();
    assertThat(fourth.retryAfterNanos()).isEqualTo(Duration.ofSeconds(20).toNanos());
  }

  @Test
  void bucketsRefillContinuouslyOverTheWindow() {
    RateLimiter limiter = limiter(2, 1_000, Duration.ofSeconds(10));
    limiter.charge("k", 0);
    limiter.charge("k", 0);

    now.addAndGet(Duration.ofSeconds(5).toNanos());
    RateLimiter.Decision afterHalfAWindow = limiter.charge("k", 0);

    assertThat(afterHalfAWindow.allowed()).isTrue();
    assertThat(afterHalfAWindow.remainingRequests()).isZero();
    assertThat(afterHalfAWindow.resetRequestsNanos()).isEqualTo(Duration.ofSeconds(10).toNanos());
  }

  @Test
  void resetIsTheTimeUntilTheBucketIsFull() {
    RateLimiter limiter = limiter(60, 6_000, Duration.ofSeconds(60));

    RateLimiter.Decision d = limiter.charge("k", 600);

    assertThat(d.resetRequestsNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
    assertThat(d.resetTokensNanos()).isEqualTo(Duration.ofSeconds(6).toNanos());
  }

  @Test
  void rejectedRequestsStillUseUpARequestButNoTokens() {
    RateLimiter limiter = limiter(2, 100, Duration.ofSeconds(10));

    RateLimiter.Decision tooBig = limiter.charge("k", 150);

    assertThat(tooBig.allowed()).isFalse();
    assertThat(tooBig.tokenLimited()).isTrue();
    assertThat(tooBig.remainingRequests()).isEqualTo(1);
    assertThat(tooBig.remainingTokens()).isEqualTo(100);
    // Larger than the whole budget: advise a full window.
    assertThat(tooBig.retryAfterNanos()).isEqualTo(Duration.ofSeconds(10).toNanos());
  }

  @Test
  void retryAfterIsEnoughForTheRejectedRequestToFit() {
    RateLimiter limiter = limiter(100, 100, Duration.ofSeconds(10));
    limiter.charge("k", 80);

    RateLimiter.Decision rejected = limiter.charge("k", 50);
    now.addAndGet(rejected.retryAfterNanos());

    assertThat(rejected.allowed()).isFalse();
    assertThat(rejected.retryAfterNanos()).isEqualTo(Duration.ofSeconds(3).toNanos());
    assertThat(limiter.charge("k", 50).allowed()).isTrue();
  }

  @Test
  void keysHaveSeparateBuckets() {
    RateLimiter limiter = limiter(1, 100, Duration.ofSeconds(10));

    assertThat(limiter.charge("a", 1).allowed()).isTrue();
    assertThat(limiter.charge("b", 1).allowed()).isTrue();
    assertThat(limiter.charge("a", 1).allowed()).isFalse();
  }

  @Test
  void clockGoingBackwardsDoesNotRefill() {
    RateLimiter limiter = limiter(1, 100, Duration.ofSeconds(10));
    limiter.charge("k", 1);

    now.addAndGet(-Duration.ofSeconds(30).toNanos());

    assertThat(limiter.charge("k", 1).allowed()).isFalse();
  }
}
