package dev.backoff4j.mock.internal;

import dev.backoff4j.openai.protocol.GoDuration;
import java.time.Duration;

/** Parses human-written durations ({@code 500ms}, {@code 1.5s}, {@code 2m}) for a named setting. */
public final class DurationText {
  private DurationText() {}

  /**
   * @throws IllegalArgumentException naming {@code setting} when the text is not a non-negative Go
   *     style duration
   */
  public static Duration parse(String setting, String text) {
    return GoDuration.parse(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    setting + ": '" + text + "' is not a duration like 500ms, 1.5s or 2m"));
  }
}
