package dev.backoff4j.openai.pacing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.http.Request;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Token estimates, checked against the counts OpenAI's cookbook publishes for its example. */
class OpenAiTokenEstimatorTest {

  private final TokenEstimator estimator = TokenEstimator.openAi();

  /** The "How to count tokens with tiktoken" example conversation. */
  private static final String COOKBOOK_MESSAGES = """
      [
        {"role": "system", "content": "You are a helpful, pattern-following assistant that translates corporate jargon into plain English."},
        {"role": "system", "name": "example_user", "content": "New synergies will help drive top-line growth."},
        {"role": "system", "name": "example_assistant", "content": "Things working well together will increase revenue."},
        {"role": "system", "name": "example_user", "content": "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage."},
        {"role": "system", "name": "example_assistant", "content": "Let's talk later when we're less busy about how to do better."},
        {"role": "user", "content": "This late pivot means we don't have time to boil the ocean for the client deliverable."}
      ]""";

  private static Request post(String path, String json) {
    return Request.postJson(URI.create("http://127.0.0.1:1/v1" + path), json.getBytes(StandardCharsets.UTF_8));
  }

  private TokenEstimate estimate(String path, String json) {
    return estimator.estimate(post(path, json)).orElseThrow();
  }

  @Test
  void chatPromptsCountAsOpenAiDocumentsForCl100kModels() {
    TokenEstimate estimate = estimate("/chat/completions",
        "{\"model\":\"gpt-4-0613\",\"messages\":" + COOKBOOK_MESSAGES + "}");
    assertThat(estimate.promptTokens()).isEqualTo(129);
  }

  @Test
  void chatPromptsCountAsOpenAiDocumentsForTheGpt4oFamily() {
    TokenEstimate estimate = estimate("/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":" + COOKBOOK_MESSAGES + "}");
    assertThat(estimate.promptTokens()).isEqualTo(124);
    assertThat(estimate.model()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void theCompletionAllowanceIsMaxCompletionTokensElseMaxTokensTimesN() {
    String messages = "\"messages\":[{\"role\":\"user\",\"content\":\"Hello world\"}]";
    TokenEstimate both = estimate("/chat/completions",
        "{\"model\":\"gpt-4o\"," + messages + ",\"max_completion_tokens\":100,\"max_tokens\":7,\"n\":3}");
    assertThat(both.promptTokens()).isEqualTo(3 + 3 + 1 + 2); // priming, message, "user", "Hello world"
    assertThat(both.maxCompletionTokens()).isEqualTo(100);
    assertThat(both.total(0)).isEqualTo(9 + 300);
    TokenEstimate legacy = estimate("/chat/completions", "{\"model\":\"gpt-4o\"," + messages + ",\"max_tokens\":7}");
    assertThat(legacy.total(0)).isEqualTo(9 + 7);
    TokenEstimate none = estimate("/chat/completions", "{\"model\":\"gpt-4o\"," + messages + "}");
    assertThat(none.hasMaxCompletion()).isFalse();
    assertThat(none.total(50)).isEqualTo(9 + 50);
  }

  @Test
  void contentPartsCountTheirTextAndAFixedCostPerImage() {
    TokenEstimate estimate = estimate("/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"type\":\"text\",\"text\":\"Hello world\"},"
        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/a.png\"}}]}]}");
    assertThat(estimate.promptTokens()).isEqualTo(3 + 3 + 1 + 2 + 85);
  }

  @Test
  void toolDefinitionsAddToThePrompt() {
    String base = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";
    long without = estimate("/chat/completions", base + "}").promptTokens();
    long with = estimate("/chat/completions", base
        + ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{}}}]}").promptTokens();
    assertThat(with).isGreaterThan(without + 5);
  }

  @Test
  void embeddingsChargeTheirInputOnly() {
    assertThat(estimate("/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":\"Hello world\"}"))
        .isEqualTo(new TokenEstimate("text-embedding-3-small", 2, 0, 1));
    assertThat(estimate("/embeddings", "{\"model\":\"m\",\"input\":[\"Hello world\",\"Hello\",[1,2,3]]}").total(999))
        .isEqualTo(2 + 1 + 3);
  }

  @Test
  void legacyCompletionsDefaultToSixteenCompletionTokens() {
    assertThat(estimate("/completions", "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Hello world\"}").total(999))
        .isEqualTo(2 + 16);
  }

  @Test
  void requestsTheLimitsDoNotCountAreNotEstimated() {
    assertThat(estimator.estimate(Request.get(URI.create("http://127.0.0.1:1/v1/models")))).isEmpty();
    assertThat(estimator.estimate(post("/files", "{}"))).isEmpty();
    assertThat(estimator.estimate(post("/chat/completions", "not json"))).isEmpty();
    assertThat(estimator.estimate(post("/chat/completions", "[1,2]"))).isEmpty();
  }

  @Test
  void oddShapesAreCountedAsFarAsTheyGoWithoutThrowing() {
    Optional<TokenEstimate> estimate = estimator.estimate(post("/chat/completions",
        "{\"messages\":\"not an array\",\"n\":-4,\"max_tokens\":\"many\"}"));
    assertThat(estimate).contains(new TokenEstimate("", 0, -1, 1));
  }

  @Test
  void aResponsesStringInputCountsAsOneUserMessage() {
    TokenEstimate responses = estimate("/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"Hello world\"}");
    TokenEstimate chat = estimate("/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello world\"}]}");
    assertThat(responses.promptTokens()).isEqualTo(chat.promptTokens()).isEqualTo(3 + 3 + 1 + 2);
  }

  @Test
  void responsesMessageItemsCountLikeChatMessagesWhateverTheirForm() {
    assertThat(estimate("/responses", "{\"model\":\"gpt-4o-mini\",\"input\":" + COOKBOOK_MESSAGES + "}")
        .promptTokens()).isEqualTo(124);
    TokenEstimate parts = estimate("/responses", "{\"model\":\"gpt-4o-mini\",\"input\":[{\"type\":\"message\","
        + "\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Hello world\"}]}]}");
    TokenEstimate plain = estimate("/responses", "{\"model\":\"gpt-4o-mini\",\"input\":[{\"role\":\"user\","
        + "\"content\":\"Hello world\"}]}");
    assertThat(parts.promptTokens()).isEqualTo(plain.promptTokens());
  }

  @Test
  void responsesInstructionsCountAsASystemMessageAndMaxOutputTokensIsTheAllowance() {
    TokenEstimate responses = estimate("/responses", "{\"model\":\"gpt-4o-mini\",\"instructions\":\"Be brief.\","
        + "\"input\":\"Hello world\",\"max_output_tokens\":50}");
    TokenEstimate chat = estimate("/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Hello world\"}]}");
    assertThat(responses.promptTokens()).isEqualTo(chat.promptTokens());
    assertThat(responses.maxCompletionTokens()).isEqualTo(50);
    assertThat(responses.choices()).isEqualTo(1);
    assertThat(estimate("/responses", "{\"model\":\"gpt-4o-mini\",\"input\":\"x\"}").maxCompletionTokens())
        .isEqualTo(-1);
  }
}
