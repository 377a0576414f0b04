package dev.backoff4j.openai.internal;

import static dev.backoff4j.openai.ServerInput.bytes;
import static dev.backoff4j.openai.ServerInput.qt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.generators.SourceDSL.arbitrary;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** SSE framing on any input: events or the typed refusal, never anything else. */
class SseReaderPropertiesTest {

  private static List<SseReader.Event> readAll(byte[] bytes, int limit) throws IOException {
    SseReader reader = new SseReader(new ByteArrayInputStream(bytes), limit, () -> { });
    List<SseReader.Event> events = new ArrayList<>();
    for (SseReader.Event event = reader.next(); event != null; event = reader.next()) {
      events.add(event);
    }
    return events;
  }

  @Test
  void anyBytesGiveEventsOrTheTypedRefusal() {
    qt().forAll(bytes(), integers().between(1, 300)).checkAssert((bytes, limit) -> {
      try {
        for (SseReader.Event event : readAll(bytes, limit)) {
          // each undecodable byte may widen to a 3-byte replacement character
          assertThat(event.data().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(limit * 3);
        }
      } catch (SseReader.EventTooLargeException refused) {
        assertThat(refused.limit()).isEqualTo(limit);
      } catch (IOException e) {
        throw new AssertionError("a byte array cannot fail to read", e);
      }
    });
  }

  /** What a well-behaved server writes: a name or none, and each data line's text (no line breaks). */
  record Written(String name, List<String> lines) {
    String data() {
      return String.join("\n", lines);
    }
  }

  private static Gen<List<Written>> events() {
    Gen<String> line = strings().betweenCodePoints(0x20, 0x4E2D).ofLengthBetween(0, 30)
        .map(s -> s.replace('\r', 'r').replace('\n', 'n'))
        .map(s -> s.startsWith(" ") ? "x" + s : s) // one leading space is the separator's, as the standard says
        .assuming(s -> s.codePoints().noneMatch(c -> c >= 0xD800 && c <= 0xDFFF));
    Gen<String> name = Generate.oneOf(arbitrary().pick("response.created", "response.output_text.delta", "error"),
        arbitrary().constant((String) null));
    return lists().of(name.zip(lists().of(line).ofSizeBetween(1, 4), Written::new)).ofSizeBetween(0, 12);
  }

  @Test
  void whatAServerWritesIsWhatIsRead() {
    qt().withExamples(500).forAll(events(), arbitrary().pick("\n", "\r\n", "\r"), booleans().all())
        .checkAssert((written, ending, comments) -> {
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
          try {
            assertThat(readAll(stream.toString().getBytes(StandardCharsets.UTF_8), 1 << 20))
                .containsExactlyElementsOf(written.stream()
                    .map(event -> new SseReader.Event(event.name(), event.data())).toList());
          } catch (IOException e) {
            throw new AssertionError(e);
          }
        });
  }
}
