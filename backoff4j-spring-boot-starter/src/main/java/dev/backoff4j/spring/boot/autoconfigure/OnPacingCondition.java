package dev.backoff4j.spring.boot.autoconfigure;

import dev.backoff4j.spring.boot.Backoff4jProperties;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Pacing is on when {@code backoff4j.openai.pacing.enabled=true}, or a seed (rpm, tpm) is set and it is not {@code false}. */
class OnPacingCondition extends SpringBootCondition {

  @Override
  public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
    Backoff4jProperties.Pacing pacing = Binder.get(context.getEnvironment())
        .bind(Backoff4jProperties.PREFIX + ".pacing", Backoff4jProperties.Pacing.class)
        .orElseGet(Backoff4jProperties.Pacing::new);
    return pacing.isOn()
        ? ConditionOutcome.match("backoff4j.openai.pacing asks for a pacer")
        : ConditionOutcome.noMatch("backoff4j.openai.pacing is off (set enabled=true, rpm or tpm)");
  }
}
