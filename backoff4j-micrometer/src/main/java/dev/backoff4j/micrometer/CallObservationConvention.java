package dev.backoff4j.micrometer;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and key values of the observation each call makes; see {@link DefaultCallObservationConvention}. */
public interface CallObservationConvention extends ObservationConvention<CallObservationContext> {

  @Override
  default boolean supportsContext(Observation.Context context) {
    return context instanceof CallObservationContext;
  }
}
