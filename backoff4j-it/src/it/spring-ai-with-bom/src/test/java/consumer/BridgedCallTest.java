package consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.backoff4j.mock.MockServer;
import dev.backoff4j.mock.Scenario;
import dev.backoff4j.openai.sdk.Backoff4jOpenAI;
import org.junit.jupiter.api.Test;

/** One bridged SDK call, as a user's code makes it, against the mock on 127.0.0.1. */
class BridgedCallTest {
  @Test
  void bridgedCallIsAnswered() {
    try (MockServer mock = MockServer.start(Scenario.builder().reply("pong").build())) {
      ChatCompletion reply = Backoff4jOpenAI.builder().baseUrl(mock.baseUrl()).apiKey("test").build()
          .chat().completions().create(ChatCompletionCreateParams.builder()
              .model("gpt-4o-mini").addUserMessage("ping").build());
      assertEquals("pong", reply.choices().get(0).message().content().orElseThrow());
    }
  }
}
