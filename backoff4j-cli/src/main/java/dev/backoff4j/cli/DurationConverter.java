package dev.backoff4j.cli;

import dev.backoff4j.openai.spi.GoDuration;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code 500ms}, {@code 1.5s}, {@code 2m}, {@code 1h30m}: Go-style durations, as OpenAI's headers use. */
final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    // GoDuration.parse never returns a negative duration: "-1s" is "not a duration".
    return GoDuration.parse(value.trim()).orElseThrow(() -> new TypeConversionException(
        "'" + value + "' is not a duration; write it like 500ms, 1.5s or 2m"));
  }
}
