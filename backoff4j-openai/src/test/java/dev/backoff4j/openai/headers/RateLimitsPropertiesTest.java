package dev.backoff4j.openai.headers;

import static dev.backoff4j.openai.ServerInput.maybeText;
import static dev.backoff4j.openai.ServerInput.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.backoff4j.openai.http.Headers;
import dev.backoff4j.openai.spi.RateLimitHeaders;
import java.util.List;
import org.junit.jupiter.api.Test;

/** x-ratelimit-* headers with any values: counts and resets that are never negative, or absent. */
class RateLimitsPropertiesTest {

  private static final List<String> NAMES = List.of(RateLimitHeaders.LIMIT_REQUESTS, RateLimitHeaders.LIMIT_TOKENS,
      RateLimitHeaders.REMAINING_REQUESTS, RateLimitHeaders.REMAINING_TOKENS, RateLimitHeaders.RESET_REQUESTS,
      RateLimitHeaders.RESET_TOKENS);

  @Test
  void anyValuesReadAsNonNegativeOrAbsent() {
    qt().forAll(maybeText(), maybeText(), maybeText(), maybeText()).checkAssert((a, b, c, d) -> {
      String[] values = {a, b, c, d, b, a};
      Headers headers = Headers.empty();
      for (int i = 0; i < NAMES.size(); i++) {
        if (values[i] != null) {
          headers = headers.with(NAMES.get(i), values[i]);
        }
      }
      RateLimits limits = RateLimits.from(headers);
      limits.limitRequests().ifPresent(n -> assertThat(n).isNotNegative());
      limits.limitTokens().ifPresent(n -> assertThat(n).isNotNegative());
      limits.remainingRequests().ifPresent(n -> assertThat(n).isNotNegative());
      limits.remainingTokens().ifPresent(n -> assertThat(n).isNotNegative());
      limits.resetRequests().ifPresent(reset -> assertThat(reset.isNegative()).isFalse());
      limits.resetTokens().ifPresent(reset -> assertThat(reset.isNegative()).isFalse());
      assertThat(limits.toString()).isNotNull();
    });
  }

  @Test
  void wholeNumbersAreReadAsTheyAreAndNegativeOnesAsUnknown() {
    qt().forAll(longs().all()).checkAssert(n -> {
      RateLimits limits = RateLimits.from(Headers.empty().with(RateLimitHeaders.REMAINING_TOKENS, Long.toString(n)));
      if (n < 0) {
        assertThat(limits.remainingTokens()).isEmpty();
      } else {
        assertThat(limits.remainingTokens()).hasValue(n);
      }
    });
  }
}
