package dev.backoff4j.micrometer;

import io.micrometer.common.KeyValues;

/**
 * The observation of one call: named {@value Backoff4jMetrics#OBSERVATION}, its span named
 * {@code backoff4j <operation>} (e.g. {@code backoff4j chat.completions}); low-cardinality keys
 * {@code operation}, {@code outcome}, {@code reason}, {@code exception}; high-cardinality key
 * {@code attempts}. Key values are read when the observation stops, so they describe the ended call.
 */
public class DefaultCallObservationConvention implements CallObservationConvention {

  /** The shared instance. */
  public static final DefaultCallObservationConvention INSTANCE = new DefaultCallObservationConvention();

  @Override
  public String getName() {
    return Backoff4jMetrics.OBSERVATION;
  }

  @Override
  public String getContextualName(CallObservationContext context) {
    return "backoff4j " + context.operation();
  }

  @Override
  public KeyValues getLowCardinalityKeyValues(CallObservationContext context) {
    return KeyValues.of("operation", context.operation(), "outcome", context.outcome(), "reason", context.reason(),
        "exception", context.exception());
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(CallObservationContext context) {
    return KeyValues.of("attempts", Integer.toString(context.attempts()));
  }
}
