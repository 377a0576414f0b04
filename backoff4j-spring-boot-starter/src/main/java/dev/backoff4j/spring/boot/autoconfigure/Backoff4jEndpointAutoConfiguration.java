package dev.backoff4j.spring.boot.autoconfigure;

import dev.backoff4j.spring.boot.Backoff4jClientFactory;
import dev.backoff4j.spring.boot.Backoff4jEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code backoff4j} actuator endpoint, when the actuator is there and the endpoint is available (exposed). */
@AutoConfiguration(after = Backoff4jAutoConfiguration.class)
@ConditionalOnClass(name = {"org.springframework.boot.actuate.endpoint.annotation.Endpoint",
    "org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint"})
@ConditionalOnBean(Backoff4jClientFactory.class)
public class Backoff4jEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint
  public Backoff4jEndpoint backoff4jEndpoint(Backoff4jClientFactory clients) {
    return new Backoff4jEndpoint(clients);
  }
}
