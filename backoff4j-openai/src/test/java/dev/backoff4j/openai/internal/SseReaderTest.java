package dev.backoff4j.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  private final AtomicInteger dataLines = new AtomicInteger();

  private List<SseReader.Event> read(String stream, int limit) throws IOException {
    SseReader reader = new SseReader(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)), limit,
        dataLines::incrementAndGet);
    List<SseReader.Event> events = new ArrayList<>();
    for (SseReader.Event event = reader.next(); event != null; event = reader.next()) {
      events.add(event);
    }
    assertThat(reader.next()).isNull(); // ended, and stays ended
    return events;
  }

  private List<SseReader.Event> read(String stream) throws IOException {
    return read(stream, 1 << 20);
  }

  @Test
  void eventsEndAtABlankLineWhateverTheLineEndings() throws IOException {
    assertThat(read("data: a\n\ndata: b\r\n\r\ndata: c\r\rdata: d\n\n"))
        .extracting(SseReader.Event::data).containsExactly("a", "b", "c", "d");
  }

  @Test
  void dataLinesOfOneEventAreJoinedWithNewlines() throws IOException {
    assertThat(read("data: one\ndata:two\ndata\n\n")).containsExactly(new SseReader.Event(null, "one\ntwo\n"));
  }

  @Test
  void theEventLineNamesTheEventAndOnlyOneSpaceIsDropped() throws IOException {
    assertThat(read("event: response.created\ndata:  {\"x\":1}\n\n"))
        .containsExactly(new SseReader.Event("response.created", " {\"x\":1}"));
  }

  @Test
  void commentsIdsRetriesAndUnknownFieldsAreSkippedAndAreNotProgress() throws IOException {
    assertThat(read(": keep-alive\n\nid: 7\nretry: 100\nfoo: bar\n\n: ping\ndata: x\n\n"))
        .containsExactly(new SseReader.Event(null, "x"));
    assertThat(dataLines).hasValue(1);
  }

  @Test
  void anEventWithoutDataIsDropped() throws IOException {
    assertThat(read("event: ping\n\ndata: real\n\n")).containsExactly(new SseReader.Event(null, "real"));
  }

  @Test
  void anEventPendingAtTheEndIsStillDelivered() throws IOException {
    assertThat(read("data: a\n\ndata: [DONE]")).extracting(SseReader.Event::data).containsExactly("a", "[DONE]");
  }

  @Test
  void aByteOrderMarkIsDropped() throws IOException {
    assertThat(read("\uFEFFdata: a\n\n")).extracting(SseReader.Event::data).containsExactly("a");
  }

  @Test
  void multiByteCharactersSplitAcrossReadsStayWhole() throws IOException {
    String text = "é".repeat(10_000); // 20,000 bytes: crosses the 8 KiB reads
    assertThat(read("data: " + text + "\n\n")).extracting(SseReader.Event::data).containsExactly(text);
  }

  @Test
  void aLineLongerThanTheLimitIsRefusedBeforeItIsBuffered() {
    assertThatThrownBy(() -> read(": " + "x".repeat(200) + "\n", 64))
        .isInstanceOf(SseReader.EventTooLargeException.class).hasMessage("stream event larger than 64 bytes");
  }

  @Test
  void anEventLongerThanTheLimitIsRefusedEvenInShortLines() {
    assertThatThrownBy(() -> read("data: 0123456789\n".repeat(10) + "\n", 64))
        .isInstanceOf(SseReader.EventTooLargeException.class);
  }

  @Test
  void eventsUpToTheLimitPass() throws IOException {
    String data = "x".repeat(63); // 63 bytes of data + its newline
    assertThat(read("data: " + data + "\n\n", 64)).extracting(SseReader.Event::data).containsExactly(data);
  }
}
