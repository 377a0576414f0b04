package dev.backoff4j.mock.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class HttpDateTest {

  @Test
  void retryAfterDatesAreImfFixdateWithTwoDigitDays() {
    assertThat(MockHttpHandler.httpDate(ZonedDateTime.parse("2025-03-05T01:02:03Z")))
        .isEqualTo("Wed, 05 Mar 2025 01:02:03 GMT");
    assertThat(MockHttpHandler.httpDate(ZonedDateTime.parse("2025-03-05T03:02:03+02:00")))
        .isEqualTo("Wed, 05 Mar 2025 01:02:03 GMT");
  }
}
