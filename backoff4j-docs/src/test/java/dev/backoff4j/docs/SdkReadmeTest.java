package dev.backoff4j.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

// tag::sdk-quickstart[]
import com.openai.client.OpenAIClient;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.backoff4j.openai.OpenAiRetryPolicy;
import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
// end::sdk-quickstart[]
// tag::sdk-wrap[]
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
import dev.backoff4j.retry.RetryPolicy;
// end::sdk-wrap[]

import com.openai.errors.RateLimitException;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import org.junit.jupiter.api.Test;

/** backoff4j-openai-sdk/README.md (the quick start is in the root README too). */
class SdkReadmeTest {

  @Test
  void sdkQuickstart() {
    MockServer mock = Docs.envMock(Scenario.builder().reply("Hi!").script("503,200").build());
    // tag::sdk-quickstart[]

    OpenAIClient client = Backoff4jOpenAI.builder()   // $OPENAI_API_KEY, $OPENAI_BASE_URL, ...
        .retryPolicy(OpenAiRetryPolicy.defaults())   // optional: the preset is the default
        .build();                                    // buildAsync() for OpenAIClientAsync; SDK maxRetries = 0
    ChatCompletion reply = client.chat().completions().create(ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O_MINI).addUserMessage("Say hi").build());   // the SDK's API, unchanged
    // end::sdk-quickstart[]

    assertThat(reply.choices().get(0).message().content()).hasValue("Hi!");
    assertThat(mock.stats().totalRequests()).as("the 503 retried once by backoff4j").isEqualTo(2);
  }

  @Test
  void aWrappedClientWithoutSdkRetriesSendsAQuotaErrorOnce() {
    MockServer mock = Docs.envMock(Scenario.builder().script("quota").build());
    assertThatThrownBy(() -> {
      // tag::sdk-wrap[]

      OpenAIClient client = OpenAIOkHttpClient.builder()
          .fromEnv()
          .maxRetries(0)           // required: else the SDK retries inside every attempt of the policy
          .build();
      ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
          .model("gpt-4o-mini").addUserMessage("Say hi").build();
      RetryPolicy<Object> policy = Backoff4jOpenAI.retryPolicy();           // preset + SdkExceptionClassifier
      ChatCompletion reply = policy.get(() -> client.chat().completions().create(params));
      // end::sdk-wrap[]
    }).isInstanceOf(RateLimitException.class);
    assertThat(mock.stats().totalRequests()).as("insufficient_quota: one request, no retry").isEqualTo(1);
  }
}
