package dev.backoff4j.mock;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Faults applied, in order, to the next requests: {@code 429,503,200} makes the first request a
 * 429, the second a 503 and the third succeed; requests after the script has run out are answered
 * normally (unless random {@link FaultRates} say otherwise).
 *
 * <p>With a {@link HeaderMatch}, only matching requests take (and use up) script entries; other
 * requests pass through untouched by the script. The position in the script is reset by
 * {@code POST /_mock/reset}, {@link MockServer#reset()} and by installing a scenario.
 *
 * @param faults the faults in order; may be empty
 * @param match requests the script applies to; empty means all
 */
public record FaultScript(List<Fault> faults, Optional<HeaderMatch> match) {

  /** A script that never injects anything. */
  public static final FaultScript EMPTY = new FaultScript(List.of(), Optional.empty());

  /** Copies the list and rejects nulls. */
  public FaultScript {
    faults = List.copyOf(faults);
    Objects.requireNonNull(match, "match");
  }

  /** A script applied to every request. */
  public static FaultScript of(Fault... faults) {
    return new FaultScript(List.of(faults), Optional.empty());
  }

  /**
   * Parses a comma-separated list of {@link Fault} tokens, e.g. {@code hint-ms:200,503,200}.
   * Whitespace around tokens is ignored; an empty or blank text gives {@link #EMPTY}.
   *
   * @throws IllegalArgumentException naming the first bad token and its position (1-based)
   */
  public static FaultScript parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      return EMPTY;
    }
    String[] tokens = text.split(",", -1);
    for (int i = 0; i < tokens.length; i++) {
      if (tokens[i].isBlank()) {
        throw new IllegalArgumentException(
            "fault script '" + text + "': entry " + (i + 1) + " is empty");
      }
    }
    return parse(List.of(tokens));
  }

  /**
   * Parses a list of {@link Fault} tokens (a scenario file's array form).
   *
   * @throws IllegalArgumentException naming the first bad token and its position (1-based)
   */
  public static FaultScript parse(List<String> tokens) {
    List<Fault> faults = new ArrayList<>(tokens.size());
    for (int i = 0; i < tokens.size(); i++) {
      String token = tokens.get(i);
      if (token == null || token.isBlank()) {
        throw new IllegalArgumentException("fault script entry " + (i + 1) + " is empty");
      }
      try {
        faults.add(Fault.parse(token));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "fault script entry " + (i + 1) + ": " + e.getMessage(), e);
      }
    }
    return faults.isEmpty() ? EMPTY : new FaultScript(faults, Optional.empty());
  }

  /** The same faults, applied only to requests matching {@code headerMatch}. */
  public FaultScript onlyWhen(HeaderMatch headerMatch) {
    return new FaultScript(faults, Optional.of(headerMatch));
  }

  /** True when the script has no entries. */
  public boolean isEmpty() {
    return faults.isEmpty();
  }

  /** The tokens joined by commas: the inverse of {@link #parse(String)}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    for (Fault fault : faults) {
      if (out.length() > 0) {
        out.append(',');
      }
      out.append(fault.token());
    }
    match.ifPresent(m -> out.append(" when ").append(m));
    return out.toString();
  }
}
