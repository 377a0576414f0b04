package dev.backoff4j.openai.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.backoff4j.openai.OpenAiClient;
import dev.backoff4j.openai.TestSupport;
import dev.backoff4j.openai.chat.ChatMessage;
import dev.backoff4j.openai.chat.ChatRequest;
import dev.backoff4j.openai.errors.OpenAiHttpException;
import dev.backoff4j.testkit.VirtualTime;
import java.io.IOException;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A redirect is never followed (the key must not reach another origin) and says where it points. */
class RedirectTest {

  private final MockWebServer server = new MockWebServer();
  private final MockWebServer elsewhere = new MockWebServer();
  private final VirtualTime time = new VirtualTime();

  @BeforeEach
  void start() throws IOException {
    server.start();
    elsewhere.start();
  }

  @AfterEach
  void stop() {
    server.close();
    elsewhere.close();
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 302, 307, 308})
  void aRedirectNamesItsLocationAndIsNotFollowed(int status) {
    String location = elsewhere.url("/v1/chat/completions").toString();
    server.enqueue(new MockResponse.Builder().code(status).addHeader("Location", location).build());
    OpenAiClient client = TestSupport.client(server.url("/v1").toString(), TestSupport.preset(time)).build();

    OpenAiHttpException e = catchThrowableOfType(OpenAiHttpException.class,
        () -> client.chat().create(ChatRequest.of("gpt-4o-mini", ChatMessage.user("hi"))));

    assertThat(e.getMessage()).startsWith(status + ": redirect to " + location + ", not followed (");
    assertThat(e.status()).isEqualTo(status);
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(elsewhere.getRequestCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void aLocationEchoingTheKeyIsMasked(boolean withoutLocation) {
    MockResponse.Builder redirect = new MockResponse.Builder().code(307);
    if (!withoutLocation) {
      redirect.addHeader("Location", "https://x.example/v1?key=" + TestSupport.KEY);
    }
    server.enqueue(redirect.build());
    OpenAiClient client = TestSupport.client(server.url("/v1").toString(), TestSupport.preset(time)).build();

    OpenAiHttpException e = catchThrowableOfType(OpenAiHttpException.class,
        () -> client.chat().create(ChatRequest.of("gpt-4o-mini", ChatMessage.user("hi"))));
    assertThat(e.getMessage()).doesNotContain(TestSupport.KEY)
        .contains(withoutLocation ? "redirect without a Location" : "key=***");
  }
}
