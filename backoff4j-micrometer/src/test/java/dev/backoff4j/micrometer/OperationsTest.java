package dev.backoff4j.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.backoff4j.openai.errors.OpenAiConnectionException;
import dev.backoff4j.openai.errors.OpenAiTimeoutException;
import dev.backoff4j.openai.errors.MalformedResponseException;
import dev.backoff4j.openai.pacing.PacingTimeoutException;
import dev.backoff4j.retry.AttemptRecord;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperationsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "https://api.openai.com/v1/chat/completions, chat.completions",
      "http://127.0.0.1:8080/v1/embeddings, embeddings",
      "https://api.openai.com/v1/responses, responses",
      "https://api.openai.com/v1/responses/resp_abc123, responses",
      "https://api.openai.com/v1/chat/completions/chatcmpl-123, chat.completions",
      "https://api.openai.com/v1/files/file-abc/content, files",
      "https://api.openai.com/v1/audio/transcriptions, audio.transcriptions",
      "https://api.openai.com/v1/images/generations, images.generations",
      "https://api.openai.com/v1/models/gpt-4o-mini, models",
      "https://x.openai.azure.com/openai/deployments/my-gpt/chat/completions?api-version=1, chat.completions",
      "https://example.com/v1/chat/abc, chat",
      "https://example.com/v1/secret-user-id/thing, other",
      "https://example.com, other"})
  void anOperationIsAKnownResourceNeverAnIdFromThePath(String url, String operation) {
    assertThat(Operations.of(URI.create(url))).isEqualTo(operation);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"connection, io", "ioexception, io", "timeout, timeout", "pacing, timeout", "gate-deadline, timeout",
      "gate-closed, gate_closed", "malformed, other"})
  void aFailedAttemptIsNamedByWhatWentWrong(String kind, String status) {
    Throwable failure = switch (kind) {
      case "connection" -> new OpenAiConnectionException("reset", null);
      case "ioexception" -> new IOException("reset");
      case "timeout" -> new OpenAiTimeoutException(Duration.ofSeconds(1), null);
      case "pacing" -> new PacingTimeoutException(Duration.ofSeconds(9), Duration.ofSeconds(1));
      case "gate-deadline" -> new dev.backoff4j.openai.gate.OutageGateTimeoutException(null, null,
          Duration.ofSeconds(3), 0, null, null);
      case "gate-closed" -> new dev.backoff4j.openai.gate.OutageGateClosedException(java.time.Instant.EPOCH,
          Duration.ofSeconds(3), "503 server_error");
      default -> new MalformedResponseException("not json", 200, null, "{", null);
    };
    assertThat(Operations.status(new AttemptRecord(1, Duration.ZERO, Duration.ZERO, failure, null, null)))
        .isEqualTo(status);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"backoff, backoff", "budget, budget", "retry-after-ms, hint", "retry-after, hint",
      "retry-after-ms+backoff, hint", "x-ratelimit-reset-requests, hint", "message, hint"})
  void aRetrysWaitIsNamedBySourceARepeatedRateLimitsHintPlusBackoffBeingAHint(String delaySource, String source) {
    assertThat(MeteredCall.waitSource(delaySource)).isEqualTo(source);
  }
}
