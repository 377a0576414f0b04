package dev.backoff4j.mock;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Random faults: each request independently gets fault F with probability {@code rates.get(F)},
 * e.g. {@code 500=0.1,reset=0.02} fails 10% of requests with a 500 and resets 2% of connections.
 * Scripted faults take precedence: a request that takes a {@link FaultScript} entry is not also
 * given a random one.
 *
 * @param rates probability per fault, each in [0, 1], summing to at most 1; iteration order is the
 *     order given
 */
public record FaultRates(Map<Fault, Double> rates) {

  /** No random faults. */
  public static final FaultRates NONE = new FaultRates(Map.of());

  /** Copies the map (keeping order) and validates each rate and their sum. */
  public FaultRates {
    Objects.requireNonNull(rates, "rates");
    Map<Fault, Double> copy = new LinkedHashMap<>();
    double sum = 0;
    for (Map.Entry<Fault, Double> e : rates.entrySet()) {
      Fault fault = Objects.requireNonNull(e.getKey(), "fault");
      double rate = Objects.requireNonNull(e.getValue(), "rate");
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException(
            "fault rate for '" + fault.token() + "' must be between 0 and 1, was " + rate);
      }
      sum += rate;
      copy.put(fault, rate);
    }
    if (sum > 1.0 + 1e-9) {
      throw new IllegalArgumentException("fault rates add up to " + sum + ", more than 1");
    }
    rates = java.util.Collections.unmodifiableMap(copy);
  }

  /**
   * Parses {@code TOKEN=RATE,...}, e.g. {@code 500=0.1,reset=0.02,outage:2s=0.001}. Blank text gives
   * {@link #NONE}.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static FaultRates parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isBlank()) {
      return NONE;
    }
    Map<Fault, Double> rates = new LinkedHashMap<>();
    for (String entry : text.split(",", -1)) {
      int eq = entry.lastIndexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException(
            "fault rate '" + entry.trim() + "' must look like TOKEN=RATE, e.g. 503=0.1");
      }
      String rateText = entry.substring(eq + 1).trim();
      double rate;
      try {
        rate = Double.parseDouble(rateText);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "fault rate '" + entry.trim() + "': '" + rateText + "' is not a number between 0 and 1",
            e);
      }
      put(rates, entry.substring(0, eq), rate, entry.trim());
    }
    return new FaultRates(rates);
  }

  /**
   * Rates by fault token (a scenario file's object form), e.g. {@code {"500": 0.1, "reset": 0.02}}.
   *
   * @throws IllegalArgumentException naming the bad entry, or a fault given twice
   */
  public static FaultRates parse(Map<String, Double> ratesByToken) {
    Map<Fault, Double> rates = new LinkedHashMap<>();
    ratesByToken.forEach((token, rate) -> put(rates, token, rate, token + "=" + rate));
    return new FaultRates(rates);
  }

  private static void put(Map<Fault, Double> rates, String token, double rate, String entry) {
    Fault fault;
    try {
      fault = Fault.parse(token);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("fault rate '" + entry + "': " + e.getMessage(), e);
    }
    if (rates.put(fault, rate) != null) {
      throw new IllegalArgumentException("fault rate for '" + fault.token() + "' is given twice");
    }
  }

  /** True when no random fault can happen. */
  public boolean isEmpty() {
    return rates.values().stream().allMatch(r -> r == 0);
  }

  /**
   * Picks the fault for a uniform random number in [0, 1): the first fault whose cumulative rate
   * exceeds {@code uniform}, or {@link Fault#NONE}.
   */
  public Fault pick(double uniform) {
    double cumulative = 0;
    for (Map.Entry<Fault, Double> e : rates.entrySet()) {
      cumulative += e.getValue();
      if (uniform < cumulative) {
        return e.getKey();
      }
    }
    return Fault.NONE;
  }

  /** {@code TOKEN=RATE,...}: the inverse of {@link #parse(String)}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    rates.forEach(
        (fault, rate) -> {
          if (out.length() > 0) {
            out.append(',');
          }
          out.append(fault.token()).append('=').append(rate);
        });
    return out.toString();
  }
}
