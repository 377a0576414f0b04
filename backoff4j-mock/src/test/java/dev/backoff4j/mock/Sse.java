package dev.backoff4j.mock;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Splits a server-sent event body into its events, for tests. */
final class Sse {

  /** One event: its {@code event:} name (null if none) and its {@code data:} text. */
  record Event(String name, String data) {
    JsonNode json() {
      try {
        return Http.JSON.readTree(data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private Sse() {}

  /** The events of {@code body}, in order; a trailing event without its blank line is kept. */
  static List<Event> events(String body) {
    List<Event> events = new ArrayList<>();
    String name = null;
    StringBuilder data = null;
    for (String line : body.split("\n", -1)) {
      if (line.isEmpty()) {
        if (data != null) {
          events.add(new Event(name, data.toString()));
        }
        name = null;
        data = null;
      } else if (line.startsWith("event: ")) {
        name = line.substring(7);
      } else if (line.startsWith("data: ")) {
        data = data == null ? new StringBuilder(line.substring(6)) : data.append('\n').append(line.substring(6));
      }
    }
    if (data != null) {
      events.add(new Event(name, data.toString()));
    }
    return events;
  }
}
