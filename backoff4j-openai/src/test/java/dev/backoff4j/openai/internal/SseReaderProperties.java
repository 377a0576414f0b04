package dev.backoff4j.openai.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** SSE framing on any input: events or a typed refusal, never anything else. */
class SseReaderProperties {

  @Property(tries = 500)
  void anyBytesGiveEventsOrTheTypedRefusal(@ForAll @Size(max = 2000) byte[] bytes,
      @ForAll @IntRange(min = 1, max = 300) int limit) {
    SseReader reader = new SseReader(new ByteArrayInputStream(bytes), limit, () -> { });
    try {
      for (SseReader.Event event = reader.next(); event != null; event = reader.next()) {
        assertThat(event.data().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit * 3);
      }
    } catch (SseReader.EventTooLargeException refused) {
      assertThat(refused.limit()).isEqualTo(limit);
    } catch (IOException e) {
      throw new AssertionError("a byte array cannot fail to read", e);
    }
  }

  /** What a well-behaved server writes: each data line's text without line breaks. */
  record Written(String name, List<String> lines) {
    String data() {
      return String.join("\n", lines);
    }
  }

  @Provide
  Arbitrary<List<Written>> events() {
    Arbitrary<String> text = Arbitraries.strings().withCharRange(' ', '~').withChars('é', '€', '\u4e2d', ':').ofMaxLength(40)
        .map(s -> s.startsWith(" ") ? "x" + s : s); // one leading space is the separator's, as the standard says
    Arbitrary<String> name = Arbitraries.of("response.created", "response.output_text.delta", "error").injectNull(0.5);
    Arbitrary<Written> event = Combinators.combine(name, text.list().ofMinSize(1).ofMaxSize(4)).as(Written::new);
    return event.list().ofMaxSize(20);
  }

  @Property(tries = 300)
  void whatAServerWritesIsWhatIsRead(@ForAll("events") List<Written> written,
      @ForAll("endings") String ending, @ForAll boolean comments) throws IOException {
    StringBuilder stream = new StringBuilder();
    for (Written event : written) {
      if (comments) {
        stream.append(": keep-alive").append(ending);
      }
      if (event.name() != null) {
        stream.append("event: ").append(event.name()).append(ending);
      }
      for (String line : event.lines()) {
        stream.append("data: ").append(line).append(ending);
      }
      stream.append(ending);
    }
    SseReader reader = new SseReader(new ByteArrayInputStream(stream.toString().getBytes(StandardCharsets.UTF_8)),
        1 << 20, () -> { });
    List<SseReader.Event> read = new ArrayList<>();
    for (SseReader.Event event = reader.next(); event != null; event = reader.next()) {
      read.add(event);
    }
    assertThat(read).containsExactlyElementsOf(written.stream()
        .map(event -> new SseReader.Event(event.name(), event.data())).toList());
  }

  @Provide
  Arbitrary<String> endings() {
    return Arbitraries.of("\n", "\r\n", "\r");
  }
}
