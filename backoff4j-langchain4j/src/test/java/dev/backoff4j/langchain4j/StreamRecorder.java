package dev.backoff4j.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A streaming handler that writes down what LangChain4j tells it, in order: {@code partial:TEXT},
 * {@code complete:TEXT}, {@code error:SimpleClassName}.
 */
class StreamRecorder implements StreamingChatResponseHandler {

  final List<String> events = new CopyOnWriteArrayList<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final Semaphore terminal = new Semaphore(0);
  volatile Throwable error;
  volatile ChatResponse response;

  @Override
  public void onPartialResponse(String partialResponse) {
    events.add("partial:" + partialResponse);
  }

  @Override
  public void onCompleteResponse(ChatResponse completeResponse) {
    response = completeResponse;
    events.add("complete:" + completeResponse.aiMessage().text());
    ended.countDown();
    terminal.release();
  }

  @Override
  public void onError(Throwable error) {
    this.error = error;
    events.add("error:" + error.getClass().getSimpleName());
    ended.countDown();
    terminal.release();
  }

  /**
   * Waits for the first completion or error, then a little longer so a second one (an
   * {@code onCompleteResponse} after an {@code onError}) would be seen too.
   */
  StreamRecorder awaitEnd() throws InterruptedException {
    assertThat(ended.await(20, TimeUnit.SECONDS)).as("the stream ended: %s", events).isTrue();
    Thread.sleep(50);
    return this;
  }

  /** Waits for {@code count} completions and errors in all (plain LangChain4j reports a cut stream twice). */
  StreamRecorder awaitTerminals(int count) throws InterruptedException {
    assertThat(terminal.tryAcquire(count, 20, TimeUnit.SECONDS)).as("%d ends: %s", count, events).isTrue();
    return this;
  }

  /** The text of every partial response, joined. */
  String partialText() {
    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> e.startsWith("partial:")).forEach(e -> text.append(e.substring(8)));
    return text.toString();
  }

  long terminals() {
    return events.stream().filter(e -> e.startsWith("complete:") || e.startsWith("error:")).count();
  }
}
