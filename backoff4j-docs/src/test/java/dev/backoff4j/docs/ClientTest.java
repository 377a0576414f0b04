package dev.backoff4j.docs;

// tag::mock-junit[]
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.MockServerExtension;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.errors.RateLimitException;
import dev.backoff4j.testkit.VirtualTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

@ExtendWith(MockServerExtension.class)
class ClientTest {
  @Test void survivesA503(MockServer mock) {
    mock.scenario(Scenario.builder().script("503,200").build());
    OpenAiClient client = OpenAiClient.builder().baseUrl(mock.baseUrl())
        .retryPolicy(OpenAiRetryPolicy.builder(new VirtualTime()).build())  // backoff recorded, not slept
        .build();
    client.chat().create(ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hi")));
    assertThat(mock.stats().count(503)).isEqualTo(1);
  }
}

class RateLimitedTest {
  @RegisterExtension
  final MockServerExtension mock =
      MockServerExtension.withScenario(Scenario.builder().rateLimit(2, 1_000).window("1m").build());

  @Test void theThirdRequestInAMinuteIsRateLimited() {
    OpenAiClient client = OpenAiClient.builder().baseUrl(mock.baseUrl())
        .retryPolicy(OpenAiRetryPolicy.builder(new VirtualTime()).maxAttempts(1).maxRateLimitRetries(0).build())  // no retries, rate limits neither
        .build();
    ChatRequest hi = ChatRequest.of("gpt-4o-mini", ChatMessage.user("Hi"));
    client.chat().create(hi);
    client.chat().create(hi);
    assertThatThrownBy(() -> client.chat().create(hi)).isInstanceOf(RateLimitException.class);
    assertThat(mock.stats().rateLimited()).isEqualTo(1);
  }
}
// end::mock-junit[]
