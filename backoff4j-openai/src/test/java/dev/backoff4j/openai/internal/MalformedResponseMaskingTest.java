package dev.backoff4j.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.chat.ChatStream;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.testkit.VirtualTime;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A success that is not what the endpoint returns is quoted in the exception, with the request's key masked. */
class MalformedResponseMaskingTest {

  private static final String AZURE_KEY = "0123456789abcdef0123456789abcdef"; // not sk-shaped

  private final MockWebServer server = new MockWebServer();
  private OpenAiClient client;

  @BeforeEach
  void start() throws IOException {
    server.start();
    client = TestSupport.client(server.url("/v1").toString(), TestSupport.preset(new VirtualTime()))
        .apiKey(AZURE_KEY).azure("2024-10-21").build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void reply(String contentType, String body) {
    server.enqueue(new MockResponse.Builder().code(200).addHeader("Content-Type", contentType).body(body).build());
  }

  @Test
  void aBodyThatIsNotJsonIsQuotedWithTheKeyMasked() {
    reply("text/html", "<html>proxy login for api-key " + AZURE_KEY + "</html>");

    MalformedResponseException e = catchThrowableOfType(MalformedResponseException.class,
        () -> client.chat().create(ChatRequest.of("m", ChatMessage.user("x"))));

    assertThat(e.getMessage()).contains("proxy login for api-key ***").doesNotContain(AZURE_KEY);
  }

  @Test
  void jsonOfTheWrongShapeIsQuotedWithTheKeyMasked() {
    reply("application/json", "{\"echo\":{\"api-key\":\"" + AZURE_KEY + "\"}}");

    MalformedResponseException e = catchThrowableOfType(MalformedResponseException.class,
        () -> client.chat().create(ChatRequest.of("m", ChatMessage.user("x"))));

    assertThat(e.getMessage()).doesNotContain(AZURE_KEY).contains("***");
  }

  @Test
  void aStreamEventThatIsNotJsonIsQuotedWithTheKeyMasked() {
    reply("text/event-stream", "data: {\"id\":\"c\",\"choices\":[]}\n\ndata: <html>" + AZURE_KEY + "</html>\n\n");

    try (ChatStream stream = client.chat().stream(ChatRequest.of("m", ChatMessage.user("x")))) {
      MalformedResponseException e = catchThrowableOfType(MalformedResponseException.class, stream::readText);
      assertThat(e.getMessage()).contains("stream event is not JSON").doesNotContain(AZURE_KEY);
    }
  }
}
