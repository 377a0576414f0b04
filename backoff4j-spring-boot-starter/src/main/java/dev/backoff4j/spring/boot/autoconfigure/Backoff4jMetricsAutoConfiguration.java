package dev.backoff4j.spring.boot.autoconfigure;

import dev.backoff4j.micrometer.Backoff4jMetrics;
import dev.backoff4j.micrometer.CallObservationConvention;
import dev.backoff4j.spring.boot.Backoff4jProperties;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * When the application has a {@link MeterRegistry} (Spring Boot's metrics auto-configuration, or a
 * bean of its own): backoff4j's meters in it, and each call's observation in the application's
 * {@link ObservationRegistry}. See {@link Backoff4jMetrics} for the meters.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
    "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
    "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
@ConditionalOnProperty(prefix = Backoff4jProperties.PREFIX, name = "enabled", havingValue = "true", matchIfMissing = true)
public class Backoff4jMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  public Backoff4jMetrics backoff4jMetrics(MeterRegistry registry, ObjectProvider<ObservationRegistry> observations,
      ObjectProvider<CallObservationConvention> convention) {
    return Backoff4jMetrics.builder(registry)
        .observationRegistry(observations.getIfUnique(() -> ObservationRegistry.NOOP))
        .observationConvention(convention.getIfUnique())
        .build();
  }

  /**
   * Spring Boot's observation handler turns every observation into a timer of the same name; the
   * {@value Backoff4jMetrics#OBSERVATION} observation would so repeat {@value Backoff4jMetrics#CALLS}
   * (with fewer tags) and add a counter per event. The meters already count calls and attempts:
   * these copies are denied, the observation still reaches tracing.
   */
  @Bean
  @ConditionalOnMissingBean(name = "backoff4jObservationMeterFilter")
  public MeterFilter backoff4jObservationMeterFilter() {
    String name = Backoff4jMetrics.OBSERVATION;
    return MeterFilter.deny(id -> id.getName().equals(name) || id.getName().startsWith(name + "."));
  }
}
