package dev.backoff4j.openai.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ErrorBodyTest {

  @Test
  void serializesAllFourFieldsIncludingNulls() {
    String json = ErrorBody.of("Slow down", "requests", null, "rate_limit_exceeded").toJson();

    assertThat(json)
        .isEqualTo(
            "{\"error\":{\"message\":\"Slow down\",\"type\":\"requests\",\"param\":null,"
                + "\"code\":\"rate_limit_exceeded\"}}");
  }

  @Test
  void parsesOpenAiErrorAndIgnoresUnknownFields() {
    String json =
        "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\","
            + "\"param\":null,\"code\":\"insufficient_quota\",\"extra\":1},\"more\":true}";

    assertThat(ErrorBody.parse(json))
        .contains(
            ErrorBody.of(
                "You exceeded your current quota", "insufficient_quota", null, "insufficient_quota"));
  }

  @Test
  void parseReturnsEmptyForHtmlBlankAndMissingError() {
    assertThat(ErrorBody.parse("<html><body>502 Bad Gateway</body></html>")).isEmpty();
    assertThat(ErrorBody.parse("")).isEmpty();
    assertThat(ErrorBody.parse(null)).isEmpty();
    assertThat(ErrorBody.parse("{}")).isEmpty();
    assertThat(ErrorBody.parse("[1,2]")).isEmpty();
  }

  @Test
  void nullMessageAndTypeBecomeEmptyStrings() {
    ErrorBody.Error error = new ErrorBody.Error(null, null, null, null);

    assertThat(error.message()).isEmpty();
    assertThat(error.type()).isEmpty();
  }

  @Test
  void rejectsNullError() {
    assertThatThrownBy(() -> new ErrorBody(null)).isInstanceOf(NullPointerException.class);
  }
}
