package dev.backoff4j.docs;

// tag::mock-sdk[]
import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.RequestRecord;
import dev.backoff4j.mock.Scenario;
// end::mock-sdk[]
// tag::mock-scenario[]
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
// end::mock-scenario[]

import org.junit.jupiter.api.Test;

/** backoff4j-mock/README.md and the root README's mock section; its JUnit examples are ClientTest.java. */
class MockReadmeTest {

  @Test
  void mockScenario() {
    // tag::mock-scenario[]

    Scenario scenario = Scenario.builder()
        .script("hint-ms:200,503,200")       // a 429 with retry-after-ms, then a 503, then success
        .rateLimit(60, 10_000).window("10s")  // per API key
        .faultRates("reset=0.01")
        .build();
    try (MockServer server = MockServer.start(scenario)) {   // 127.0.0.1, random port
      // point any client at server.baseUrl(), then check server.stats()
    }
    // end::mock-scenario[]
  }

  @Test
  void theOfficialSdkRetriesUntilTheScriptLetsItThrough() {
    // tag::mock-sdk[]

    Scenario scenario = Scenario.builder()
        .reply("Hello!")
        .script("hint-ms:200,503,200")      // a 429 with retry-after-ms, a 503, then success
        .rateLimit(60, 10_000).window("10s") // 60 requests and 10k tokens per 10 s, per API key
        .build();
    try (MockServer server = MockServer.start(scenario)) {  // 127.0.0.1, random port
      OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl()).apiKey("any").build();
      client.chat().completions().create(ChatCompletionCreateParams.builder()
          .model("gpt-4o-mini").addUserMessage("Hi").build());  // retried by the SDK until it succeeds
      assertThat(server.stats().requests()).extracting(RequestRecord::status).containsExactly(429, 503, 200);
    }
    // end::mock-sdk[]
  }
}
